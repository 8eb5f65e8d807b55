import { describe } from 'vitest';
import { createPgStore, migrateToLatest, type KyselyStore } from '../../../src/storage/kysely/index.js';
import { databaseUrl, requireDependency } from '../../support/environment.js';
import { runConformanceSuite } from '../conformance/run-conformance.js';
import { truncateBillingTables } from '../support/billing-tables.js';
import { createTestDatabase } from '../support/postgres-database.js';

const hasServer = requireDependency(databaseUrl, 'A PostgreSQL server (DATABASE_URL)', 'set DATABASE_URL=postgres://postgres@127.0.0.1:5432/phonepe_billing_test');

describe.runIf(hasServer)('real PostgreSQL server', () => {
  runConformanceSuite('KyselyStore on PostgreSQL', async () => {
    const database = await createTestDatabase(databaseUrl!, 'conformance');
    const store: KyselyStore = await createPgStore({ connectionString: database.url });
    await migrateToLatest(store.db);
    const workers: KyselyStore[] = [];
    return {
      store,
      // Separate stores, each with its own pool: like separate processes on separate machines.
      workers: async (n: number) => {
        while (workers.length < n) workers.push(await createPgStore({ connectionString: database.url, max: 4 }));
        return workers.slice(0, n);
      },
      reset: () => truncateBillingTables(store.db),
      close: async () => {
        await Promise.all(workers.map((worker) => worker.close()));
        await store.close();
        await database.drop();
      },
    };
  });
});
