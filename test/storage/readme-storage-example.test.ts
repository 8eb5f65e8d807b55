import { afterAll, describe, expect, it } from 'vitest';
import { MemoryStore, type BillingStore, type PlanRecord } from '../../src/index.js';
import { createPgStore, createPgliteStore, migrateToLatest } from '../../src/storage/kysely/index.js';
import { databaseAppUrl, databaseUrl, requireDependency } from '../support/environment.js';
import { grantAppRole } from './support/grant-app-role.js';
import { createTestDatabase, type TestDatabase } from './support/postgres-database.js';

// The README's "Storage and migrations" example, run on each backend it shows.
async function readmeExample(store: BillingStore) {
  const plan: PlanRecord = {
    id: 'pro', name: 'Pro', description: null, pricePaise: 299_900, currency: 'INR', interval: 'month',
    limits: { api_calls: 1000 }, features: ['sso'], autopay: true, trialDays: 0, active: true, sortOrder: 1,
    createdAt: Date.now(), updatedAt: Date.now(),
  };
  await store.transaction({ system: true }, (tx) => tx.plans.upsert(plan)); // plans: system scope only

  const count = () =>
    store.transaction({ workspaceId: 'ws_1' }, (tx) =>
      tx.usage.increment({ workspaceId: 'ws_1', metric: 'api_calls', periodStart: Date.UTC(2026, 0, 1), by: 1, limit: 1000, usageKey: 'req_42', now: Date.now() }),
    );
  return [await count(), await count()];
}
const EXPECTED = [{ ok: true, used: 1, duplicate: false }, { ok: true, used: 1, duplicate: true }];

describe('README: Storage and migrations example', () => {
  it('works on MemoryStore', async () => {
    const memory = new MemoryStore();
    expect(await readmeExample(memory)).toEqual(EXPECTED);
  });

  it('works on PGlite', async () => {
    const embedded = await createPgliteStore();
    try {
      expect(await readmeExample(embedded)).toEqual(EXPECTED);
    } finally {
      await embedded.close();
    }
  });

  const hasServer =
    requireDependency(databaseUrl, 'A PostgreSQL server (DATABASE_URL)', 'set DATABASE_URL=postgres://postgres@127.0.0.1:5432/phonepe_billing_test') &&
    requireDependency(databaseAppUrl, 'A non-owner PostgreSQL role (DATABASE_APP_URL)', 'set DATABASE_APP_URL');
  let database: TestDatabase | undefined;
  afterAll(async () => database?.drop());

  it.runIf(hasServer)('works on a PostgreSQL server: migrate as the owner, serve as the app role', async () => {
    database = await createTestDatabase(databaseUrl!, 'readme');
    const DATABASE_URL = database.url;
    const DATABASE_APP_URL = database.urlFor(databaseAppUrl!);

    const owner = await createPgStore({ connectionString: DATABASE_URL });
    await migrateToLatest(owner.db);
    await owner.close();
    await grantAppRole(DATABASE_URL, database.name, decodeURIComponent(new URL(DATABASE_APP_URL).username));
    const store = await createPgStore({ connectionString: DATABASE_APP_URL });
    try {
      expect(await readmeExample(store)).toEqual(EXPECTED);
    } finally {
      await store.close();
    }
  });
});
