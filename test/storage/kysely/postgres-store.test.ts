import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { describe } from 'vitest';
import { createPgStore, createPgTypeParsers, KyselyStore } from '../../../src/storage/kysely/index.js';
import { databaseAppUrl, databaseUrl, requireDependency } from '../../support/environment.js';
import { runConformanceSuite } from '../conformance/run-conformance.js';
import { truncateBillingTables } from '../support/billing-tables.js';
import { createLoginRole } from '../support/billing-roles.js';
import { grantAppRole } from '../support/grant-app-role.js';
import { createTestDatabase } from '../support/postgres-database.js';

const hasServer = requireDependency(
  databaseUrl,
  'A PostgreSQL server (DATABASE_URL)',
  'set DATABASE_URL=postgres://postgres@127.0.0.1:5432/phonepe_billing_test',
);

describe.runIf(hasServer)('real PostgreSQL server', () => {
  runConformanceSuite('KyselyStore on PostgreSQL', async () => {
    const database = await createTestDatabase(databaseUrl!, 'conformance', { migrated: true });
    const store: KyselyStore = await createPgStore({ connectionString: database.url });
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

// A host's own Kysely (not built by createPgStore): the store cannot read statement batches through
// it, so it sends BEGIN, the scope and every statement one by one; the guarantees are the same.
describe.runIf(hasServer)("real PostgreSQL server, through a host's own Kysely", () => {
  runConformanceSuite('KyselyStore on a host Kysely (no statement batches)', async () => {
    const database = await createTestDatabase(databaseUrl!, 'conformance_host', { migrated: true });
    const open = (max: number) => {
      const pool = new pg.Pool({ connectionString: database.url, max, types: createPgTypeParsers(pg.types) });
      pool.on('error', () => {}); // idle connections end when the database is dropped
      return new KyselyStore({ db: new Kysely<any>({ dialect: new PostgresDialect({ pool }) }) });
    };
    const store = open(10);
    const workers: KyselyStore[] = [];
    return {
      store,
      workers: async (n: number) => {
        while (workers.length < n) workers.push(open(4));
        return workers.slice(0, n);
      },
      reset: () => truncateBillingTables(store.db),
      close: async () => {
        await Promise.all([...workers, store].map((each) => each.db.destroy()));
        await database.drop();
      },
    };
  });
});

const hasAppRole =
  hasServer &&
  requireDependency(
    databaseAppUrl,
    'A non-owner PostgreSQL role (DATABASE_APP_URL)',
    'create a NOSUPERUSER NOBYPASSRLS login role and set DATABASE_APP_URL',
  );

// docs/storage.md's production set-up: workspace scopes as the app role with only the documented grants,
// system scopes as a worker role in phonepe_billing_system, row-level security enforced on both.
describe.runIf(hasAppRole)("real PostgreSQL server, as docs/storage.md's app and worker roles", () => {
  runConformanceSuite('KyselyStore on PostgreSQL (app role + worker role)', async () => {
    const database = await createTestDatabase(databaseUrl!, 'conformance_roles', { migrated: true });
    const worker = await createLoginRole(databaseUrl!, 'phonepe_billing_worker', { inSystemRole: true });
    const owner = await createPgStore({ connectionString: database.url });
    await grantAppRole(database.url, database.name, {
      app: decodeURIComponent(new URL(databaseAppUrl!).username),
      worker: worker.name,
    });
    const open = (max?: number) =>
      createPgStore({
        connectionString: database.urlFor(databaseAppUrl!),
        systemConnectionString: worker.urlFor(database.name),
        ...(max ? { max } : {}),
      });
    const store = await open();
    const workers: KyselyStore[] = [];
    return {
      store,
      workers: async (n: number) => {
        while (workers.length < n) workers.push(await open(4));
        return workers.slice(0, n);
      },
      reset: () => truncateBillingTables(owner.db),
      close: async () => {
        await Promise.all([...workers, store, owner].map((each) => each.close()));
        await database.drop();
        await worker.drop();
      },
    };
  });
});
