import type { TempDatabase } from '../../test/support/temp-database.js';
import { openBenchDatabase, requireDatabaseUrl } from './database.js';
import type { BenchOptions } from './options.js';

/** What every figure gets: the options, and the run's temporary database (created on first use). */
export interface BenchContext {
  options: BenchOptions;
  /** URL of this run's migrated temporary database. */
  database(): Promise<string>;
  /** Drops the temporary database, if one was made. */
  dispose(): Promise<void>;
}

export function createBenchContext(options: BenchOptions): BenchContext {
  let temp: Promise<TempDatabase> | undefined;
  return {
    options,
    async database() {
      temp ??= openBenchDatabase(requireDatabaseUrl());
      return (await temp).url;
    },
    async dispose() {
      if (temp) await (await temp).drop();
    },
  };
}
