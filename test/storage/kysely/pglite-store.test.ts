import { createPgliteStore, type KyselyStore } from '../../../src/storage/kysely/index.js';
import { runConformanceSuite } from '../conformance/run-conformance.js';
import { truncateBillingTables } from '../support/billing-tables.js';
import { migratedPgliteSnapshot } from '../support/pglite-snapshot.js';

runConformanceSuite('KyselyStore on PGlite', async () => {
  const store: KyselyStore = await createPgliteStore({ loadDataDir: await migratedPgliteSnapshot() });
  return {
    store,
    // One PGlite, one connection: "workers" share it, and its pool runs their transactions in turn.
    workers: async (n: number) => Array.from({ length: n }, () => store),
    reset: () => truncateBillingTables(store.db),
    close: () => store.close(),
  };
});
