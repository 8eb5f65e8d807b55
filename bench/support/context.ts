import type { TempDatabase } from '../../test/support/temp-database.js';
import { openBenchDatabase, requireDatabaseUrl } from './database.js';
import type { BenchOptions } from './options.js';

/** What every figure gets: the options, and the run's temporary databases (created on first use). */
export interface BenchContext {
  options: BenchOptions;
  /**
   * URL of a migrated temporary database for this run. Figures share `shared`; a figure whose workers
   * would otherwise pick up other figures' rows (renewals claim every due subscription) asks for its own.
   */
  database(name?: string): Promise<string>;
  /** Drops the temporary databases made so far. */
  dispose(): Promise<void>;
}

export function createBenchContext(options: BenchOptions): BenchContext {
  const made = new Map<string, Promise<TempDatabase>>();
  return {
    options,
    async database(name = 'shared') {
      let temp = made.get(name);
      if (!temp) {
        temp = openBenchDatabase(requireDatabaseUrl());
        made.set(name, temp);
      }
      return (await temp).url;
    },
    async dispose() {
      const all = [...made.values()];
      made.clear();
      await Promise.all(all.map(async (temp) => (await temp).drop()));
    },
  };
}
