import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPgStore,
  isStorePrivilegeError,
  mapPgError,
  migrateToLatest,
  SYSTEM_ROLE,
  type KyselyStore,
  type StorePrivilegeError,
} from '../../../src/storage/kysely/index.js';
import { StoreScopeError } from '../../../src/storage/index.js';
import { databaseAppUrl, databaseUrl, requireDependency } from '../../support/environment.js';
import { aPayment, aRefund, aSubscription, anAuditEntry, aPlan, SYSTEM, T0 } from '../conformance/fixtures.js';
import { BILLING_TABLES, TENANT_TABLES } from '../support/billing-tables.js';
import { createLoginRole, ensureSystemRole, type TestLoginRole } from '../support/billing-roles.js';
import { grantAppRole } from '../support/grant-app-role.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres-database.js';

const hasServer =
  requireDependency(
    databaseUrl,
    'A PostgreSQL server (DATABASE_URL)',
    'set DATABASE_URL=postgres://postgres@127.0.0.1:5432/phonepe_billing_test',
  ) &&
  requireDependency(
    databaseAppUrl,
    'A non-owner PostgreSQL role (DATABASE_APP_URL)',
    'create a NOSUPERUSER NOBYPASSRLS login role and set DATABASE_APP_URL',
  );

const A = 'ws_rls_a';
const B = 'ws_rls_b';

/** A row of workspace `ws` for each tenant table, as raw SQL (the store is not involved). */
const INSERTS: Record<(typeof TENANT_TABLES)[number], (ws: string, id: string) => [string, unknown[]]> = {
  subscriptions: (ws, id) => [
    `insert into subscriptions (id, workspace_id, plan_id, status, renewal_mode, current_period_start, current_period_end, created_at, updated_at) values ($1, $2, 'pro', 'expired', 'manual', now(), now(), now(), now())`,
    [id, ws],
  ],
  payment_transactions: (ws, id) => [
    `insert into payment_transactions (id, workspace_id, plan_id, merchant_order_id, method, purpose, amount_paise, currency, state, created_at, updated_at) values ($1, $2, 'pro', $1, 'checkout', 'renewal', 1, 'INR', 'created', now(), now())`,
    [id, ws],
  ],
  payment_refunds: (ws, id) => [
    `insert into payment_refunds (id, workspace_id, payment_id, merchant_refund_id, amount_paise, state, created_at, updated_at) values ($1, $2, 'p', $1, 1, 'failed', now(), now())`,
    [id, ws],
  ],
  subscription_usage: (ws, id) => [
    `insert into subscription_usage (workspace_id, metric, period_start, used, updated_at) values ($2, $1, now(), 1, now())`,
    [id, ws],
  ],
  subscription_usage_events: (ws, id) => [
    `insert into subscription_usage_events (workspace_id, usage_key, metric, period_start, amount, created_at) values ($2, $1, 'm', now(), 1, now())`,
    [id, ws],
  ],
  webhook_events: (ws, id) => [
    `insert into webhook_events (dedupe_key, event, workspace_id, status, received_at) values ($1, 'e', $2, 'processed', now())`,
    [id, ws],
  ],
  billing_audit_log: (ws, id) => [
    `insert into billing_audit_log (id, workspace_id, actor, action, entity_type, entity_id, created_at) values ($1, $2, 'a', 'b', 'plan', 'x', now())`,
    [id, ws],
  ],
  billing_outbox: (ws, id) => [
    `insert into billing_outbox (id, workspace_id, event, payload, next_attempt_at, created_at) values ($1, $2, 'anomaly', '{}', now(), now())`,
    [id, ws],
  ],
};

/**
 * Every way a session can switch system mode on, each run inside an open transaction. The store
 * itself uses the transaction-local form; an injected statement could use any of them.
 */
const SYSTEM_SWITCHES: Record<string, string[]> = {
  'set local': [`set local app.billing_system = 'on'`],
  'set (session)': [`set app.billing_system = 'on'`],
  'set_config(…, true)': [`select set_config('app.billing_system', 'on', true)`],
  'set_config(…, false)': [`select set_config('app.billing_system', 'on', false)`],
};

type Failure = { code?: string; message?: string } | null;

describe.runIf(hasServer)('row-level security for a non-owner app role and a worker role', () => {
  let database: TestDatabase;
  let owner: TestLoginRole;
  let worker: TestLoginRole;
  let appRole: string;
  let ownerStore: KyselyStore;
  let appStore: KyselyStore;
  let workerStore: KyselyStore;
  let splitStore: KyselyStore;
  let app: pg.Client;
  let workerClient: pg.Client;
  /** Roles a test made for itself; dropped after the database (their grants go with it). */
  const extraRoles: TestLoginRole[] = [];

  beforeAll(async () => {
    // docs/storage.md's set-up: a non-superuser owner role (no CREATEROLE) owns the database and runs the
    // migrations; the system role exists (created once per cluster by a superuser); the app role
    // (DATABASE_APP_URL) and a worker role in the system role get exactly the documented grants.
    await ensureSystemRole(databaseUrl!);
    database = await createTestDatabase(databaseUrl!, 'rls');
    owner = await createLoginRole(databaseUrl!, 'phonepe_billing_owner');
    worker = await createLoginRole(databaseUrl!, 'phonepe_billing_worker', { inSystemRole: true });
    await adminQuery(`alter database "${database.name}" owner to "${owner.name}"`);
    ownerStore = await createPgStore({ connectionString: owner.urlFor(database.name) });
    await migrateToLatest(ownerStore.db);
    appRole = decodeURIComponent(new URL(databaseAppUrl!).username);
    await grantAppRole(owner.urlFor(database.name), database.name, { app: appRole, worker: worker.name });
    appStore = await createPgStore({ connectionString: database.urlFor(databaseAppUrl!) });
    workerStore = await createPgStore({ connectionString: worker.urlFor(database.name) });
    splitStore = await createPgStore({
      connectionString: database.urlFor(databaseAppUrl!),
      systemConnectionString: worker.urlFor(database.name),
    });
    app = new pg.Client({ connectionString: database.urlFor(databaseAppUrl!) });
    workerClient = new pg.Client({ connectionString: worker.urlFor(database.name) });
    await Promise.all([app.connect(), workerClient.connect()]);
    await seedBothWorkspaces(workerStore);
  });
  afterAll(async () => {
    await Promise.all([app?.end(), workerClient?.end()]);
    await Promise.all([appStore?.close(), workerStore?.close(), splitStore?.close(), ownerStore?.close()]);
    await database?.drop();
    await Promise.all([owner?.drop(), worker?.drop(), ...extraRoles.map((role) => role.drop())]);
  });

  /** Runs `fn` on `client` inside a transaction scoped like the store's, then rolls back (and undoes session settings). */
  async function inTransaction<T>(
    client: pg.Client,
    workspace: string | 'system' | 'unset',
    fn: () => Promise<T>,
  ): Promise<T> {
    await client.query('begin');
    try {
      if (workspace === 'system') await client.query(`select set_config('app.billing_system', 'on', true)`);
      else if (workspace !== 'unset')
        await client.query(`select set_config('app.workspace_id', $1, true)`, [workspace]);
      return await fn();
    } finally {
      await client.query('rollback');
      await client.query('reset all');
    }
  }
  const asWorkspace = <T>(workspace: string | 'system' | 'unset', fn: () => Promise<T>) =>
    inTransaction(app, workspace, fn);
  const countOn = async (client: pg.Client, table: string, where = 'true') =>
    Number((await client.query(`select count(*) from ${table} where ${where}`)).rows[0].count);
  const count = (table: string, where = 'true') => countOn(app, table, where);
  /** Runs one statement on the app connection inside a savepoint and returns its error (null if it succeeded). */
  const attempt = async (text: string, values: unknown[] = []): Promise<Failure> => {
    await app.query('savepoint attempt');
    const error = await app.query(text, values).then(
      () => null,
      (e: unknown) => e,
    );
    await app.query('rollback to savepoint attempt');
    return error as Failure;
  };

  it("connects the app as a role that is neither superuser, BYPASSRLS, the tables' owner nor a member of the system role", async () => {
    const { rows } = await app.query(
      `select rolsuper, rolbypassrls, pg_has_role(current_user, $1, 'member') as in_system_role from pg_roles where rolname = current_user`,
      [SYSTEM_ROLE],
    );
    expect(rows[0]).toEqual({ rolsuper: false, rolbypassrls: false, in_system_role: false });
    const owners = await app.query(`select distinct tableowner from pg_tables where schemaname = 'public'`);
    expect(owners.rows.map((row) => row.tableowner)).toEqual([owner.name]);
    const worker = await workerClient.query(
      `select rolsuper, rolbypassrls, pg_has_role(current_user, $1, 'usage') as in_system_role from pg_roles where rolname = current_user`,
      [SYSTEM_ROLE],
    );
    expect(worker.rows[0]).toEqual({ rolsuper: false, rolbypassrls: false, in_system_role: true });
  });

  it("binds the tables' owner too (FORCE ROW LEVEL SECURITY): without a scope it sees no tenant row", async () => {
    const client = new pg.Client({ connectionString: owner.urlFor(database.name) });
    await client.connect();
    try {
      expect(
        (await client.query('select rolsuper, rolbypassrls from pg_roles where rolname = current_user')).rows[0],
      ).toEqual({ rolsuper: false, rolbypassrls: false });
      for (const table of TENANT_TABLES) expect(await countOn(client, table)).toBe(0);
    } finally {
      await client.end();
    }
  });

  it.each(TENANT_TABLES)(
    'raw SQL under workspace A cannot see, change, delete or create workspace B rows in %s',
    async (table) => {
      await asWorkspace(A, async () => {
        expect(await count(table, `workspace_id = '${B}'`)).toBe(0);
        expect(await count(table)).toBe(await count(table, `workspace_id = '${A}'`));
        expect(await count(table)).toBeGreaterThan(0);
        expect(
          (await app.query(`update ${table} set workspace_id = workspace_id where workspace_id = $1`, [B])).rowCount,
        ).toBe(0);
        expect((await app.query(`delete from ${table} where workspace_id = $1`, [B])).rowCount).toBe(0);
        const [text, values] = INSERTS[table](B, `${table}_forged`);
        const insert = await attempt(text, values);
        expect(insert).toMatchObject({ code: '42501', message: expect.stringMatching(/row-level security/) });
        expect(mapPgError(insert)).toBeInstanceOf(StoreScopeError);
        expect(await attempt(`update ${table} set workspace_id = $1 where workspace_id = $2`, [B, A])).toMatchObject({
          code: '42501',
        });
      });
      await asWorkspace('unset', async () => expect(await count(table)).toBe(0));
    },
  );

  describe.each(Object.entries(SYSTEM_SWITCHES))('the app role switching system mode on with %s', (_how, switchOn) => {
    it.each(TENANT_TABLES)("still sees, changes and creates only its own workspace's rows in %s", async (table) => {
      await asWorkspace(A, async () => {
        for (const statement of switchOn) await app.query(statement);
        expect((await app.query(`select current_setting('app.billing_system') as on`)).rows[0].on).toBe('on');
        const own = await count(table, `workspace_id = '${A}'`);
        expect(own).toBeGreaterThan(0);
        expect(await count(table)).toBe(own);
        expect(
          (
            await app.query(`update ${table} set workspace_id = workspace_id where workspace_id is distinct from $1`, [
              A,
            ])
          ).rowCount,
        ).toBe(0);
        expect((await app.query(`delete from ${table} where workspace_id is distinct from $1`, [A])).rowCount).toBe(0);
        const [text, values] = INSERTS[table](B, `${table}_forged_system`);
        expect(await attempt(text, values)).toMatchObject({
          code: '42501',
          message: expect.stringMatching(/row-level security/),
        });
      });
      await asWorkspace('unset', async () => {
        for (const statement of switchOn) await app.query(statement);
        expect(await count(table)).toBe(0);
      });
    });
  });

  it("sees not a single row of another workspace when system mode is set as the session default before the store's transaction", async () => {
    // An injected statement that outlives its request: the next transaction on that pooled connection.
    await app.query(`set app.billing_system = 'on'`);
    try {
      await app.query('begin');
      await app.query(`select set_config('app.workspace_id', $1, true)`, [A]);
      const seen = await app.query(
        `select distinct workspace_id from payment_transactions union select distinct workspace_id from subscriptions`,
      );
      await app.query('rollback');
      expect(seen.rows.map((row) => row.workspace_id)).toEqual([A]);
    } finally {
      await app.query('reset all');
    }
  });

  it("cannot learn other workspaces' ids from the planner statistics", async () => {
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      await admin.query('analyze');
      const statistics = await admin.query(
        `select count(*) as n from pg_stats where schemaname = 'public' and attname = 'workspace_id'`,
      );
      expect(Number(statistics.rows[0].n)).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    await asWorkspace('system', async () => {
      const visible = await app.query(
        `select tablename from pg_stats where schemaname = 'public' and tablename = any($1)`,
        [[...TENANT_TABLES]],
      );
      expect(visible.rows).toEqual([]);
    });
  });

  it('cannot become or join the system role', async () => {
    await asWorkspace(A, async () => {
      expect(await attempt(`set role ${SYSTEM_ROLE}`)).toMatchObject({
        code: '42501',
        message: expect.stringMatching(/permission denied to set role/),
      });
      expect(await attempt(`set local role ${SYSTEM_ROLE}`)).toMatchObject({ code: '42501' });
      expect(await attempt(`select set_config('role', '${SYSTEM_ROLE}', true)`)).toMatchObject({ code: '42501' });
      expect(await attempt(`grant ${SYSTEM_ROLE} to current_user`)).toMatchObject({ code: '42501' });
      expect(await attempt(`set session authorization ${SYSTEM_ROLE}`)).toMatchObject({ code: '42501' });
    });
  });

  it('cannot read or change the migrations table', async () => {
    await asWorkspace('system', async () => {
      expect(await attempt(`select * from phonepe_billing_migrations`)).toMatchObject({
        code: '42501',
        message: expect.stringMatching(/permission denied/),
      });
      expect(
        await attempt(`insert into phonepe_billing_migrations (name, checksum) values ('004_forged', 'x')`),
      ).toMatchObject({ code: '42501' });
      expect(await attempt(`update phonepe_billing_migrations set checksum = 'x'`)).toMatchObject({ code: '42501' });
      expect(await attempt(`delete from phonepe_billing_migrations`)).toMatchObject({ code: '42501' });
      expect(await attempt(`truncate phonepe_billing_migrations`)).toMatchObject({ code: '42501' });
    });
  });

  it.each(BILLING_TABLES)(
    'cannot alter, drop or add policies, switch row-level security off, or truncate %s',
    async (table) => {
      await asWorkspace(A, async () => {
        const policy = table === 'plans' ? 'plans_written_by_system' : `${table}_system_mode`;
        for (const statement of [
          `alter policy ${policy} on ${table} to public`,
          `drop policy ${policy} on ${table}`,
          `create policy forged on ${table} using (true)`,
          `alter table ${table} disable row level security`,
          `alter table ${table} no force row level security`,
          `alter table ${table} owner to current_user`,
          `truncate ${table}`,
        ]) {
          expect(await attempt(statement), statement).toMatchObject({ code: '42501' });
        }
      });
    },
  );

  it('hides webhook events not yet matched to a workspace from every workspace, and from the app role in system mode', async () => {
    await asWorkspace(A, async () => expect(await count('webhook_events', 'workspace_id is null')).toBe(0));
    await asWorkspace('system', async () => expect(await count('webhook_events', 'workspace_id is null')).toBe(0));
    await inTransaction(workerClient, 'system', async () =>
      expect(await countOn(workerClient, 'webhook_events', 'workspace_id is null')).toBe(1),
    );
  });

  it('lets every session read plans, the app role write none, and only the worker in system mode write them', async () => {
    await asWorkspace('system', async () => {
      expect(await count('plans')).toBe(1);
      expect(
        await attempt(
          `insert into plans (id, name, price_paise, currency, billing_interval, created_at, updated_at) values ('forged', 'x', 1, 'INR', 'month', now(), now())`,
        ),
      ).toMatchObject({ code: '42501' });
      expect(await attempt(`update plans set name = 'changed'`)).toMatchObject({ code: '42501' });
    });
    await inTransaction(workerClient, A, async () => {
      expect(await countOn(workerClient, 'plans')).toBe(1);
      expect((await workerClient.query(`update plans set name = 'changed'`)).rowCount).toBe(0);
    });
    await inTransaction(workerClient, 'system', async () =>
      expect((await workerClient.query(`update plans set name = 'changed'`)).rowCount).toBe(1),
    );
  });

  it.each(TENANT_TABLES)(
    'lets the worker see every workspace in %s only in system mode (membership and setting both needed)',
    async (table) => {
      await inTransaction(workerClient, 'system', async () => {
        expect(await countOn(workerClient, table, `workspace_id = '${A}'`)).toBeGreaterThan(0);
        expect(await countOn(workerClient, table, `workspace_id = '${B}'`)).toBeGreaterThan(0);
      });
      await inTransaction(workerClient, A, async () => {
        expect(await countOn(workerClient, table, `workspace_id = '${B}'`)).toBe(0);
        expect(await countOn(workerClient, table)).toBe(await countOn(workerClient, table, `workspace_id = '${A}'`));
      });
      await inTransaction(workerClient, 'unset', async () => expect(await countOn(workerClient, table)).toBe(0));
    },
  );

  it('through the app store under workspace A: B is invisible and unwritable', async () => {
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
    expect(seen).toEqual({
      subscription: null,
      payments: [],
      due: [expect.objectContaining({ workspaceId: A })],
      stale: [expect.objectContaining({ workspaceId: A })],
      usage: {},
      audit: [],
      webhook: null,
      updated: null,
    });
    await expect(
      appStore.transaction({ workspaceId: A }, (tx) => tx.payments.insert(aPayment({ workspaceId: B }))),
    ).rejects.toBeInstanceOf(StoreScopeError);
  });

  it('sets a workspace id with quotes and backslashes as exactly that id (the scope travels inlined in a statement batch)', async () => {
    const odd = [`ws_'q`, 'ws_\\b', `ws_\\'); select set_config('app.billing_system', 'on', true); --`, `ws_\\'`];
    for (const workspaceId of odd) {
      const payment = aPayment({ workspaceId });
      await appStore.transaction({ workspaceId }, (tx) => tx.payments.insert(payment));
      const seen = await appStore.transaction({ workspaceId }, async (tx) => ({
        own: await tx.payments.getById(payment.id),
        other: await tx.payments.getById('pay_a'),
      }));
      expect(seen.own?.workspaceId).toBe(workspaceId);
      expect(seen.other).toBeNull();
      // Read in system mode as the worker: the row carries exactly the id given.
      expect((await workerStore.transaction(SYSTEM, (tx) => tx.payments.getById(payment.id)))?.workspaceId).toBe(
        workspaceId,
      );
    }
  });

  it('refuses a system-scope transaction on the app role with a StorePrivilegeError that names the missing grant', async () => {
    const error = (await appStore
      .transaction(SYSTEM, (tx) => tx.payments.getById('pay_b'))
      .catch((e: unknown) => e)) as StorePrivilegeError;
    expect(isStorePrivilegeError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'STORE_PRIVILEGE',
      role: appRole,
      grant: `grant ${SYSTEM_ROLE} to ${appRole}`,
    });
    expect(error.message).toContain(`role ${appRole} is not a member of ${SYSTEM_ROLE}`);
    expect(error.message).toContain('systemConnectionString');
    // Nothing ran: the refusal comes before the callback.
    let called = 0;
    await expect(appStore.transaction(SYSTEM, async () => void called++)).rejects.toBeInstanceOf(Error);
    expect(called).toBe(0);
  });

  it('refuses a system scope as soon as the role loses the privilege, also once BEGIN rides with the first statement', async () => {
    // A worker of its own: its membership is revoked half way.
    const leaving = await createLoginRole(databaseUrl!, 'phonepe_billing_leaving', { inSystemRole: true });
    extraRoles.push(leaving);
    await grantAppRole(owner.urlFor(database.name), database.name, { app: appRole, worker: leaving.name });
    const store = await createPgStore({ connectionString: leaving.urlFor(database.name), max: 1 });
    try {
      // Checked up front the first time; later transactions send BEGIN and the scope with their first statement.
      expect((await store.transaction(SYSTEM, (tx) => tx.payments.getById('pay_b')))?.workspaceId).toBe(B);
      expect((await store.transaction(SYSTEM, (tx) => tx.payments.getById('pay_a')))?.workspaceId).toBe(A);
      await adminQuery(`revoke ${SYSTEM_ROLE} from "${leaving.name}"`);
      // Not an empty answer (row-level security hiding every workspace): the grant it needs.
      const error = await store.transaction(SYSTEM, (tx) => tx.payments.getById('pay_b')).catch((e: unknown) => e);
      expect(isStorePrivilegeError(error)).toBe(true);
      expect(error).toMatchObject({ role: leaving.name, grant: `grant ${SYSTEM_ROLE} to ${leaving.name}` });
      await expect(store.transaction(SYSTEM, async () => 1)).rejects.toSatisfy(isStorePrivilegeError);
    } finally {
      await store.close();
    }
  });

  it('through a store with a system connection: workspace scopes use the app role, system scopes the worker', async () => {
    const both = await splitStore.transaction(SYSTEM, async (tx) => [
      await tx.payments.getById('pay_a'),
      await tx.payments.getById('pay_b'),
    ]);
    expect(both.map((p) => p?.workspaceId)).toEqual([A, B]);
    const roles = await Promise.all(
      [splitStore.db, splitStore.systemDb].map(
        async (db) => (await sql<{ role: string }>`select current_user as role`.execute(db)).rows[0]!.role,
      ),
    );
    expect(roles).toEqual([appRole, worker.name]);
    const scoped = await splitStore.transaction({ workspaceId: A }, async (tx) => [
      await tx.payments.getById('pay_a'),
      await tx.payments.getById('pay_b'),
    ]);
    expect(scoped.map((p) => p?.workspaceId ?? null)).toEqual([A, null]);
    await expect(
      splitStore.transaction({ workspaceId: A }, (tx) => tx.plans.upsert(aPlan({ id: 'pro' }))),
    ).rejects.toBeInstanceOf(StoreScopeError);
  });

  it('through the worker store alone: a workspace scope still sees only that workspace', async () => {
    const scoped = await workerStore.transaction({ workspaceId: B }, async (tx) => ({
      payments: await tx.payments.listByWorkspace(A, { limit: 10 }),
      own: await tx.payments.getById('pay_b'),
      other: await tx.payments.getById('pay_a'),
    }));
    expect(scoped).toEqual({ payments: [], own: expect.objectContaining({ workspaceId: B }), other: null });
  });
});

async function adminQuery(statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query(statement);
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
      await tx.usage.increment({
        workspaceId: ws,
        metric: 'api_calls',
        periodStart: T0,
        by: 1,
        limit: null,
        usageKey: `key_${suffix}`,
        now: T0,
      });
      await tx.webhookEvents.record({
        dedupeKey: `evt_${suffix}`,
        event: 'e',
        subjectId: null,
        payload: null,
        now: T0,
      });
      await tx.webhookEvents.markProcessed(`evt_${suffix}`, { workspaceId: ws, outcome: 'ok', now: T0 });
      await tx.audit.append(anAuditEntry(ws));
      await tx.outbox.append([
        { id: `obx_${suffix}`, workspaceId: ws, event: 'anomaly', payload: { detail: 'x' }, now: T0 },
      ]);
    }
    await tx.outbox.append([{ id: 'obx_system', workspaceId: null, event: 'anomaly', payload: {}, now: T0 }]);
    await tx.webhookEvents.record({ dedupeKey: 'evt_unmatched', event: 'e', subjectId: null, payload: null, now: T0 });
  });
}
