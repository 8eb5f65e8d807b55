import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgStore, mapPgError, migrateToLatest, type KyselyStore } from '../../../src/storage/kysely/index.js';
import { StoreScopeError } from '../../../src/storage/index.js';
import { databaseAppUrl, databaseUrl, requireDependency } from '../../support/environment.js';
import { aPayment, aRefund, aSubscription, anAuditEntry, aPlan, SYSTEM, T0 } from '../conformance/fixtures.js';
import { TENANT_TABLES } from '../support/billing-tables.js';
import { grantAppRole } from '../support/grant-app-role.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres-database.js';

const hasServer =
  requireDependency(databaseUrl, 'A PostgreSQL server (DATABASE_URL)', 'set DATABASE_URL=postgres://postgres@127.0.0.1:5432/phonepe_billing_test') &&
  requireDependency(databaseAppUrl, 'A non-owner PostgreSQL role (DATABASE_APP_URL)', 'create a NOSUPERUSER NOBYPASSRLS login role and set DATABASE_APP_URL');

const A = 'ws_rls_a';
const B = 'ws_rls_b';

/** A row of workspace `ws` for each tenant table, as raw SQL (the store is not involved). */
const INSERTS: Record<(typeof TENANT_TABLES)[number], (ws: string, id: string) => [string, unknown[]]> = {
  subscriptions: (ws, id) => [`insert into subscriptions (id, workspace_id, plan_id, status, renewal_mode, current_period_start, current_period_end, created_at, updated_at) values ($1, $2, 'pro', 'expired', 'manual', now(), now(), now(), now())`, [id, ws]],
  payment_transactions: (ws, id) => [`insert into payment_transactions (id, workspace_id, plan_id, merchant_order_id, method, purpose, amount_paise, currency, state, created_at, updated_at) values ($1, $2, 'pro', $1, 'checkout', 'renewal', 1, 'INR', 'created', now(), now())`, [id, ws]],
  payment_refunds: (ws, id) => [`insert into payment_refunds (id, workspace_id, payment_id, merchant_refund_id, amount_paise, state, created_at, updated_at) values ($1, $2, 'p', $1, 1, 'failed', now(), now())`, [id, ws]],
  subscription_usage: (ws, id) => [`insert into subscription_usage (workspace_id, metric, period_start, used, updated_at) values ($2, $1, now(), 1, now())`, [id, ws]],
  subscription_usage_events: (ws, id) => [`insert into subscription_usage_events (workspace_id, usage_key, metric, period_start, amount, created_at) values ($2, $1, 'm', now(), 1, now())`, [id, ws]],
  webhook_events: (ws, id) => [`insert into webhook_events (dedupe_key, event, workspace_id, status, received_at) values ($1, 'e', $2, 'processed', now())`, [id, ws]],
  billing_audit_log: (ws, id) => [`insert into billing_audit_log (id, workspace_id, actor, action, entity_type, entity_id, created_at) values ($1, $2, 'a', 'b', 'plan', 'x', now())`, [id, ws]],
};

describe.runIf(hasServer)('row-level security for a non-owner app role', () => {
  let database: TestDatabase;
  let ownerUrl: string;
  let appRole: string;
  let ownerStore: KyselyStore;
  let appStore: KyselyStore;
  let app: pg.Client;

  beforeAll(async () => {
    // The README's set-up: a non-superuser owner role owns the database and runs the migrations;
    // the app role (DATABASE_APP_URL) gets exactly the documented grants.
    database = await createTestDatabase(databaseUrl!, 'rls');
    ownerUrl = await createOwnerRole(database);
    ownerStore = await createPgStore({ connectionString: ownerUrl });
    await migrateToLatest(ownerStore.db);
    appRole = decodeURIComponent(new URL(databaseAppUrl!).username);
    await grantAppRole(ownerUrl, database.name, appRole);
    appStore = await createPgStore({ connectionString: database.urlFor(databaseAppUrl!) });
    app = new pg.Client({ connectionString: database.urlFor(databaseAppUrl!) });
    await app.connect();
    await seedBothWorkspaces(appStore);
  });
  afterAll(async () => {
    await app?.end();
    await appStore?.close();
    await ownerStore?.close();
    await database?.drop();
    await dropOwnerRole();
  });

  /** Runs `fn` on the raw app-role connection inside a transaction scoped like the store's. */
  async function asWorkspace<T>(workspace: string | 'system' | 'unset', fn: () => Promise<T>): Promise<T> {
    await app.query('begin');
    try {
      if (workspace === 'system') await app.query(`select set_config('app.billing_system', 'on', true)`);
      else if (workspace !== 'unset') await app.query(`select set_config('app.workspace_id', $1, true)`, [workspace]);
      return await fn();
    } finally {
      await app.query('rollback');
    }
  }
  const count = async (table: string, where = 'true') => Number((await app.query(`select count(*) from ${table} where ${where}`)).rows[0].count);
  const rlsRefusal = async (text: string, values: unknown[]) => {
    await app.query('savepoint attempt');
    const error = await app.query(text, values).then(() => null, (e: unknown) => e);
    await app.query('rollback to savepoint attempt');
    return error as { code?: string; message?: string } | null;
  };

  it('connects as a role that is neither superuser nor BYPASSRLS, and not the tables\' owner', async () => {
    const { rows } = await app.query('select rolsuper, rolbypassrls from pg_roles where rolname = current_user');
    expect(rows[0]).toEqual({ rolsuper: false, rolbypassrls: false });
    const owners = await app.query(`select distinct tableowner from pg_tables where schemaname = 'public'`);
    expect(owners.rows.map((row) => row.tableowner)).toEqual([ownerRole]);
  });

  it('binds the tables\' owner too (FORCE ROW LEVEL SECURITY): without a scope it sees no tenant row', async () => {
    const owner = new pg.Client({ connectionString: ownerUrl });
    await owner.connect();
    try {
      expect((await owner.query('select rolsuper, rolbypassrls from pg_roles where rolname = current_user')).rows[0]).toEqual({ rolsuper: false, rolbypassrls: false });
      for (const table of TENANT_TABLES) expect(Number((await owner.query(`select count(*) from ${table}`)).rows[0].count)).toBe(0);
    } finally {
      await owner.end();
    }
  });

  it.each(TENANT_TABLES)('raw SQL under workspace A cannot see, change, delete or create workspace B rows in %s', async (table) => {
    await asWorkspace(A, async () => {
      expect(await count(table, `workspace_id = '${B}'`)).toBe(0);
      expect(await count(table)).toBe(await count(table, `workspace_id = '${A}'`));
      expect(await count(table)).toBeGreaterThan(0);
      expect((await app.query(`update ${table} set workspace_id = workspace_id where workspace_id = $1`, [B])).rowCount).toBe(0);
      expect((await app.query(`delete from ${table} where workspace_id = $1`, [B])).rowCount).toBe(0);
      const [text, values] = INSERTS[table](B, `${table}_forged`);
      const insert = await rlsRefusal(text, values);
      expect(insert).toMatchObject({ code: '42501', message: expect.stringMatching(/row-level security/) });
      expect(mapPgError(insert)).toBeInstanceOf(StoreScopeError);
      const move = await rlsRefusal(`update ${table} set workspace_id = $1 where workspace_id = $2`, [B, A]);
      expect(move).toMatchObject({ code: '42501' });
    });
    await asWorkspace('system', async () => {
      expect(await count(table, `workspace_id = '${B}'`)).toBeGreaterThan(0);
      expect(await count(table, `workspace_id = '${A}'`)).toBeGreaterThan(0);
    });
    await asWorkspace('unset', async () => expect(await count(table)).toBe(0));
  });

  it('hides webhook events not yet matched to a workspace from every workspace', async () => {
    await asWorkspace(A, async () => expect(await count('webhook_events', 'workspace_id is null')).toBe(0));
    await asWorkspace('system', async () => expect(await count('webhook_events', 'workspace_id is null')).toBe(1));
  });

  it('lets every session read plans and only system mode write them', async () => {
    await asWorkspace(A, async () => {
      expect(await count('plans')).toBe(1);
      const insert = await rlsRefusal(`insert into plans (id, name, price_paise, currency, billing_interval, created_at, updated_at) values ('forged', 'x', 1, 'INR', 'month', now(), now())`, []);
      expect(insert).toMatchObject({ code: '42501' });
      expect((await app.query(`update plans set name = 'changed'`)).rowCount).toBe(0);
    });
    await asWorkspace('system', async () => expect((await app.query(`update plans set name = 'changed'`)).rowCount).toBe(1));
  });

  it('through the store under workspace A: B is invisible and unwritable, system mode sees both', async () => {
    const seen = await appStore.transaction({ workspaceId: A }, async (tx) => ({
      subscription: await tx.subscriptions.getLive(B),
      payments: await tx.payments.listByWorkspace(B, { limit: 10 }),
      due: await tx.subscriptions.listDue({ now: T0 + 1, limit: 10 }),
      stale: await tx.payments.listStale({ states: ['created'], olderThan: T0 + 1, limit: 10 }),
      usage: await tx.usage.get(B, T0),
      audit: await tx.audit.listByWorkspace(B, { limit: 10 }),
      webhook: await tx.webhookEvents.get('evt_b'),
      updated: await tx.payments.update('pay_b', { errorCode: 'X' }, T0 + 2),
    }));
    expect(seen).toEqual({ subscription: null, payments: [], due: [expect.objectContaining({ workspaceId: A })], stale: [expect.objectContaining({ workspaceId: A })], usage: {}, audit: [], webhook: null, updated: null });
    await expect(appStore.transaction({ workspaceId: A }, (tx) => tx.payments.insert(aPayment({ workspaceId: B })))).rejects.toBeInstanceOf(StoreScopeError);
    const both = await appStore.transaction(SYSTEM, async (tx) => [await tx.payments.getById('pay_a'), await tx.payments.getById('pay_b')]);
    expect(both.map((p) => p?.workspaceId)).toEqual([A, B]);
  });
});

const ownerRole = `phonepe_billing_owner_${Math.random().toString(36).slice(2, 10)}`;
const ownerPassword = Math.random().toString(36).slice(2);

/** `create role … nosuperuser nobypassrls` and hand it the database, as the README says. Returns its URL. */
async function createOwnerRole(database: TestDatabase): Promise<string> {
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query(`create role "${ownerRole}" login password '${ownerPassword}' nosuperuser nobypassrls`);
    await admin.query(`alter database "${database.name}" owner to "${ownerRole}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(database.url);
  url.username = ownerRole;
  url.password = ownerPassword;
  return url.toString();
}

async function dropOwnerRole(): Promise<void> {
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query(`drop role if exists "${ownerRole}"`);
  } finally {
    await admin.end();
  }
}

async function seedBothWorkspaces(store: KyselyStore): Promise<void> {
  await store.transaction(SYSTEM, async (tx) => {
    await tx.plans.upsert(aPlan({ id: 'pro' }));
    for (const ws of [A, B]) {
      const suffix = ws.slice(-1);
      const payment = await tx.payments.insert(aPayment({ id: `pay_${suffix}`, workspaceId: ws, createdAt: T0 }));
      await tx.refunds.insert(aRefund(payment));
      await tx.subscriptions.insert(aSubscription({ workspaceId: ws, nextActionAt: T0 }));
      await tx.usage.increment({ workspaceId: ws, metric: 'api_calls', periodStart: T0, by: 1, limit: null, usageKey: `key_${suffix}`, now: T0 });
      await tx.webhookEvents.record({ dedupeKey: `evt_${suffix}`, event: 'e', subjectId: null, payload: null, now: T0 });
      await tx.webhookEvents.markProcessed(`evt_${suffix}`, { workspaceId: ws, outcome: 'ok', now: T0 });
      await tx.audit.append(anAuditEntry(ws));
    }
    await tx.webhookEvents.record({ dedupeKey: 'evt_unmatched', event: 'e', subjectId: null, payload: null, now: T0 });
  });
}
