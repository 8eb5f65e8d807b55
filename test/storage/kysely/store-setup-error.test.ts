import { afterAll, describe, expect, it } from 'vitest';
import {
  createPgliteStore,
  createPgStore,
  isStoreSetupError,
  type StoreSetupError,
} from '../../../src/storage/kysely/index.js';
import { databaseUrl, requireDependency } from '../../support/environment.js';
import { SYSTEM } from '../conformance/fixtures.js';
import { createLoginRole, type TestLoginRole } from '../support/billing-roles.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres-database.js';
import { emptyPgliteSnapshot } from '../support/pglite-snapshot.js';

// A new user met a bare `relation "plans" does not exist` (migrations not run) and a bare `permission
// denied` (app role without grants). The store now says which command or grant fixes it.
const hasServer = requireDependency(
  databaseUrl,
  'A PostgreSQL server (DATABASE_URL)',
  'set DATABASE_URL=postgres://postgres@127.0.0.1:5432/phonepe_billing_test',
);

async function setupError(run: () => Promise<unknown>): Promise<StoreSetupError> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isStoreSetupError(error)).toBe(true);
  return error as StoreSetupError;
}

it('PGlite without migrations: the error names the migrate command', async () => {
  const store = await createPgliteStore({ migrate: false, loadDataDir: await emptyPgliteSnapshot() });
  try {
    const error = await setupError(() => store.transaction(SYSTEM, (tx) => tx.plans.listActive()));
    expect(error.code).toBe('STORE_SETUP');
    expect(error.message).toMatch(/billing tables are missing \(relation "\w+" does not exist\)/);
    expect(error.message).toMatch(/phonepe-billing migrate/);
  } finally {
    await store.close();
  }
});

describe.runIf(hasServer)('on a real PostgreSQL server', () => {
  const databases: TestDatabase[] = [];
  const roles: TestLoginRole[] = [];
  afterAll(async () => {
    await Promise.all(databases.map((d) => d.drop()));
    await Promise.all(roles.map((r) => r.drop()));
  });

  it('a database without migrations: the error names the migrate command', async () => {
    const database = await createTestDatabase(databaseUrl!, 'setup_nomigrate');
    databases.push(database);
    const store = await createPgStore({ connectionString: database.url });
    try {
      const error = await setupError(() =>
        store.transaction({ workspaceId: 'ws_1' }, (tx) => tx.subscriptions.getLive('ws_1')),
      );
      expect(error.fix).toMatch(/phonepe-billing migrate/);
    } finally {
      await store.close();
    }
  });

  it('a role without grants: the error names the grants to run', async () => {
    const database = await createTestDatabase(databaseUrl!, 'setup_nogrant', { migrated: true });
    databases.push(database);
    const role = await createLoginRole(databaseUrl!, 'phonepe_billing_nogrant');
    roles.push(role);
    const { admin } = await import('../support/billing-roles.js');
    await admin(
      database.url,
      `grant connect on database "${database.name}" to "${role.name}"; grant usage on schema public to "${role.name}"`,
    );
    const store = await createPgStore({ connectionString: role.urlFor(database.name) });
    try {
      const error = await setupError(() =>
        store.transaction({ workspaceId: 'ws_1' }, (tx) => tx.subscriptions.getLive('ws_1')),
      );
      expect(error.message).toMatch(/permission denied for table subscriptions/);
      expect(error.fix).toMatch(/select, insert, update, delete on the tenant tables/);
    } finally {
      await store.close();
      await admin(database.url, `drop owned by "${role.name}"`).catch(() => undefined);
    }
  });
});
