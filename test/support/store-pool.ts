import { inject } from 'vitest';
import { createPgliteStore, createPgStore, type KyselyStore } from '../../src/storage/kysely/index.js';
import type { BillingStore } from '../../src/storage/billing-store.js';
import { MemoryStore } from '../../src/storage/memory/memory-store.js';
import { truncateBillingTables } from '../storage/support/billing-tables.js';
import { migratedPgliteSnapshot } from '../storage/support/pglite-snapshot.js';
import { databaseUrl } from './environment.js';
import { createMigratedTempDatabase, type TempDatabase } from './temp-database.js';

/** Where a harness keeps its data. */
export type Backend = 'memory' | 'pglite' | 'postgres';

/** A migrated, empty store lent to one harness until it gives it back. */
export interface LentStore {
  store: BillingStore;
  /** A second handle on the same data: a new pool on PostgreSQL, the same store otherwise. */
  another(): Promise<BillingStore>;
  /** Empties the store and keeps it for the next harness of this worker (closes it if it cannot be emptied). */
  giveBack(): Promise<void>;
}

interface PooledStore {
  store: KyselyStore;
  url: string | null;
  discard(): Promise<void>;
}

// One migrated store per backend per worker process, lent to the billing and HTTP harnesses one after another
// and emptied in between: opening PGlite from the migrated snapshot costs about 0.45 CPU-seconds (starting its
// WebAssembly PostgreSQL), creating and dropping a PostgreSQL database from the template about 90 ms; emptying
// the tables takes 15–45 ms. The integration files share a process per worker (vitest.config.ts), so this
// module, and the idle stores in it, outlive each file. A store a test closed or broke is discarded.
const idle = new Map<Backend, PooledStore[]>();
const EMPTYING_LIMIT_MS = 5_000;

/** Lends a migrated, empty store on `backend` (memory stores are new each time: they cost nothing to make). */
export async function borrowStore(backend: Backend): Promise<LentStore> {
  if (backend === 'memory') {
    const store = new MemoryStore();
    return { store, another: async () => store, giveBack: () => store.close() };
  }
  const pooled = idle.get(backend)?.pop() ?? (await openPooled(backend));
  return {
    store: pooled.store,
    another: async () => (pooled.url ? createPgStore({ connectionString: pooled.url }) : pooled.store),
    async giveBack() {
      if (await emptied(pooled.store)) {
        idle.set(backend, [...(idle.get(backend) ?? []), pooled]);
      } else {
        await pooled.discard();
      }
    },
  };
}

async function openPooled(backend: Exclude<Backend, 'memory'>): Promise<PooledStore> {
  if (backend === 'pglite') {
    const store = await createPgliteStore({ loadDataDir: await migratedPgliteSnapshot(), migrate: false });
    return { store, url: null, discard: () => store.close().catch(() => undefined) };
  }
  const temp: TempDatabase = await createMigratedTempDatabase(databaseUrl as string, `phonepe_billing_t_${runId()}`);
  const store = await createPgStore({ connectionString: temp.url });
  return {
    store,
    url: temp.url,
    async discard() {
      await store.close().catch(() => undefined);
      await temp.drop();
    },
  };
}

/** True when every billing table of `store` is empty again (false if the store is closed, broken or stuck). */
async function emptied(store: KyselyStore): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), EMPTYING_LIMIT_MS);
  });
  try {
    return await Promise.race([
      truncateBillingTables(store.db).then(
        () => true,
        () => false,
      ),
      stuck,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * This run's tag in the names of the PostgreSQL databases the pool creates; the global set-up drops the run's
 * databases when it ends (workers end without a last hook in which to drop them).
 */
function runId(): string {
  return inject('testRunId');
}

declare module 'vitest' {
  export interface ProvidedContext {
    testRunId: string;
  }
}

/** The backends every end-to-end billing and HTTP test runs on (real PostgreSQL when DATABASE_URL is set). */
export const BACKENDS: Backend[] = databaseUrl ? ['memory', 'pglite', 'postgres'] : ['memory', 'pglite'];
