import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryStore, type BillingStore, type PlanRecord } from '../../src/index.js';
import { createPgStore, createPgliteStore, migrateToLatest } from '../../src/storage/kysely/index.js';
import { databaseAppUrl, databaseUrl, requireDependency } from '../support/environment.js';
import { createLoginRole, type TestLoginRole } from './support/billing-roles.js';
import { billingGrantStatements, grantAppRole } from './support/grant-app-role.js';
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
  let worker: TestLoginRole | undefined;
  afterAll(async () => {
    await database?.drop();
    await worker?.drop();
  });

  it.runIf(hasServer)('works on a PostgreSQL server: migrate as the owner, serve as the app role, cross workspaces as the worker', async () => {
    database = await createTestDatabase(databaseUrl!, 'readme');
    worker = await createLoginRole(databaseUrl!, 'phonepe_billing_worker', { inSystemRole: true });
    const DATABASE_URL = database.url;
    const DATABASE_APP_URL = database.urlFor(databaseAppUrl!);
    const DATABASE_SYSTEM_URL = worker.urlFor(database.name);

    const owner = await createPgStore({ connectionString: DATABASE_URL });
    await migrateToLatest(owner.db);
    await owner.close();
    await grantAppRole(DATABASE_URL, database.name, { app: decodeURIComponent(new URL(DATABASE_APP_URL).username), worker: worker.name });
    const store = await createPgStore({ connectionString: DATABASE_APP_URL, systemConnectionString: DATABASE_SYSTEM_URL });
    try {
      expect(await readmeExample(store)).toEqual(EXPECTED);
    } finally {
      await store.close();
    }
  });
});

describe('README: row-level security and roles', () => {
  const readme = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Row-level security and roles'), readme.indexOf('## The PhonePe emulator'));

  it('documents exactly the grants test/storage/support/grant-app-role.ts runs, in that order', () => {
    const documented = section.split('\n').filter((line) => line.startsWith('grant '));
    expect(documented).toEqual(billingGrantStatements('app', 'billing_app', 'billing_worker'));
  });

  it('gives the app role nothing on the migrations table and no membership of the system role', () => {
    const appGrants = section.split('\n').filter((line) => line.startsWith('grant ') && /\bbilling_app\b/.test(line));
    expect(appGrants.length).toBeGreaterThan(0);
    expect(appGrants.join('\n')).not.toMatch(/phonepe_billing_migrations|all tables|phonepe_billing_system|create|alter|truncate|references|trigger/i);
    expect(section).toContain('create role billing_app login password \'change-me\' nosuperuser nobypassrls;');
    expect(section).toContain('create role billing_worker login password \'change-me\' nosuperuser nobypassrls in role phonepe_billing_system;');
  });
});
