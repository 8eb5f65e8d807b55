import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgStore, createPgTypeParsers, type KyselyStore } from '../../../src/storage/kysely/index.js';
import { isStoreUnavailableError, StoreUnavailableError } from '../../../src/storage/index.js';
import { databaseUrl, requireDependency } from '../../support/environment.js';
import { aPayment, aSubscription, SYSTEM, T0 } from '../conformance/fixtures.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres-database.js';

describe('createPgStore without a server', () => {
  it('throws StoreUnavailableError when the database refuses connections', async () => {
    const store = await createPgStore({
      connectionString: 'postgres://nobody:secret@127.0.0.1:1/none',
      connectionTimeoutMs: 2_000,
    });
    try {
      const error = await store.transaction(SYSTEM, (tx) => tx.payments.getById('x')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).message).not.toMatch(/secret/);
    } finally {
      await store.close();
    }
    await expect(store.transaction(SYSTEM, async () => 1)).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('validates its options, naming the known ones', async () => {
    await expect(createPgStore({ connectionString: 'postgres://x', poolSize: 3 } as never)).rejects.toThrow(
      /unknown option "poolSize"; known options: connectionString, pool/,
    );
    await expect(createPgStore({} as never)).rejects.toThrow(/exactly one of connectionString or pool/);
    await expect(createPgStore({ systemConnectionString: 'postgres://x' } as never)).rejects.toThrow(
      /exactly one of connectionString or pool/,
    );
    const pool = { connect: async () => ({}) } as never;
    await expect(
      createPgStore({
        connectionString: 'postgres://x',
        systemConnectionString: 'postgres://y',
        systemPool: pool,
      } as never),
    ).rejects.toThrow(/at most one of systemConnectionString or systemPool/);
    await expect(createPgStore({ pool, max: 3 })).rejects.toThrow(
      /max and the timeouts apply only to pools the store creates/,
    );
    await expect(createPgStore({ pool, systemPool: pool, statementTimeoutMs: 5 })).rejects.toThrow(
      /max and the timeouts apply only to pools the store creates/,
    );
  });
});

describe('per-pool type parsers', () => {
  const parsers = createPgTypeParsers(pg.types);

  it('parse int8 to a number and refuse to lose precision', () => {
    expect(parsers.getTypeParser(20)('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => parsers.getTypeParser(20)('9007199254740993')).toThrow(RangeError);
  });

  it('parse timestamptz to epoch milliseconds', () => {
    expect(parsers.getTypeParser(1184)('2026-01-01 00:00:00.123+00')).toBe(T0 + 123);
    expect(parsers.getTypeParser(1184)('2026-01-01 05:30:00+05:30')).toBe(T0);
  });

  it('leave the global pg.types alone', async () => {
    const store = await createPgStore({ connectionString: 'postgres://127.0.0.1:1/none' });
    await store.close();
    expect(pg.types.getTypeParser(20)('42')).toBe('42');
    expect(pg.types.getTypeParser(1184)('2026-01-01 00:00:00+00')).toBeInstanceOf(Date);
  });
});

const hasServer = requireDependency(
  databaseUrl,
  'A PostgreSQL server (DATABASE_URL)',
  'set DATABASE_URL=postgres://postgres@127.0.0.1:5432/phonepe_billing_test',
);

describe.runIf(hasServer)('createPgStore on a real server', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(databaseUrl!, 'connection', { migrated: true });
  });
  afterAll(async () => database?.drop());

  it("over a host pool with pg's default parsers: same records, and close() leaves the pool open", async () => {
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    try {
      const store = await createPgStore({ pool });
      const payment = aPayment({ amountPaise: 123_456, settledAt: T0 + 1, metadata: { list: [1, 'a'] } });
      await store.transaction(SYSTEM, (tx) => tx.payments.insert(payment));
      expect(await store.transaction(SYSTEM, (tx) => tx.payments.getById(payment.id))).toEqual(payment);
      expect(
        await store.transaction(SYSTEM, (tx) =>
          tx.usage.increment({ workspaceId: 'w', metric: 'm', periodStart: T0, by: 2, limit: 5, now: T0 }),
        ),
      ).toEqual({ ok: true, used: 2, duplicate: false });
      await store.close();
      expect((await pool.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });

  it('runs system scopes on the system connection and workspace scopes on the app connection; close() ends only its own pools', async () => {
    const hostSystemPool = new pg.Pool({ connectionString: database.url, max: 1, application_name: 'billing-system' });
    try {
      const store = await createPgStore({ connectionString: database.url, systemPool: hostSystemPool });
      const appName = sql<{ name: string }>`select current_setting('application_name') as name`;
      expect(store.systemDb).not.toBe(store.db);
      expect((await appName.execute(store.systemDb)).rows[0]!.name).toBe('billing-system');
      let systemAcquires = 0;
      hostSystemPool.on('acquire', () => void systemAcquires++);
      const payment = aPayment({ workspaceId: 'ws_split' });
      await store.transaction(SYSTEM, (tx) => tx.payments.insert(payment));
      expect(systemAcquires).toBe(1);
      expect(await store.transaction({ workspaceId: 'ws_split' }, (tx) => tx.payments.getById(payment.id))).toEqual(
        payment,
      );
      expect(systemAcquires).toBe(1);
      await store.close();
      expect((await hostSystemPool.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
      await expect(appName.execute(store.db)).rejects.toThrow();
    } finally {
      await hostSystemPool.end();
    }
  });

  it('sends BEGIN and the scope one by one over a pool that refuses statement batches, and keeps working', async () => {
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    const sent: string[] = [];
    // A pg-compatible pool that always binds (extended protocol), as some proxies do: the server
    // refuses a batch there with "cannot insert multiple commands into a prepared statement".
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (config: unknown) => Promise<unknown>;
      (client as unknown as { query: unknown }).query = (text: string, values?: unknown[]) => {
        sent.push(text);
        return query({ text, values: values ?? [], queryMode: 'extended' });
      };
    });
    try {
      const store = await createPgStore({ pool });
      const payment = aPayment({ workspaceId: 'ws_extended' });
      await store.transaction(SYSTEM, (tx) => tx.payments.insert(payment));
      expect(await store.transaction({ workspaceId: 'ws_extended' }, (tx) => tx.payments.getById(payment.id))).toEqual(
        payment,
      );
      expect(await store.transaction({ workspaceId: 'ws_other' }, (tx) => tx.payments.getById(payment.id))).toBeNull();
      // One refused batch, then never again.
      expect(sent.filter((text) => text.includes(';'))).toHaveLength(1);
      expect(sent.filter((text) => /^start transaction/.test(text))).toHaveLength(4);
      await store.close();
    } finally {
      await pool.end();
    }
  });

  it('prepares the metered statement on each connection that lacks it, also after DEALLOCATE ALL', async () => {
    const store = await createPgStore({ connectionString: database.url, max: 1 });
    try {
      const sub = aSubscription({ planId: 'pro', currentPeriodStart: T0 });
      await store.transaction(SYSTEM, (tx) => tx.subscriptions.insert(sub));
      const meter = () =>
        store.meterUsage({
          workspaceId: sub.workspaceId,
          metric: 'api_calls',
          by: 1,
          mode: 'record',
          now: T0,
          planLimits: { pro: { api_calls: 10 } },
        });
      const prepared = async () =>
        (
          await sql<{
            name: string;
          }>`select name from pg_prepared_statements where name like 'phonepe_billing_meter%'`.execute(store.db)
        ).rows.map((r) => r.name);
      expect(await meter()).toMatchObject({ status: 'ok', used: 1 });
      expect(await prepared()).toEqual(['phonepe_billing_meter_record_v1']);
      await sql`deallocate all`.execute(store.db); // a pooler or the host resetting the session
      expect(await meter()).toMatchObject({ status: 'ok', used: 2 });
      expect(
        await store.meterUsage({
          workspaceId: sub.workspaceId,
          metric: 'api_calls',
          by: 9,
          mode: 'check',
          now: T0,
          planLimits: { pro: { api_calls: 10 } },
        }),
      ).toMatchObject({ status: 'over_limit', used: 2 });
    } finally {
      await store.close();
    }
  });

  it('turns a connection killed mid-transaction into StoreUnavailableError and logs, without crashing', async () => {
    const logged: Array<Record<string, unknown>> = [];
    const logger = {
      debug() {},
      info() {},
      warn: (obj: Record<string, unknown>) => logged.push(obj),
      error: (obj: Record<string, unknown>) => logged.push(obj),
    };
    const store: KyselyStore = await createPgStore({ connectionString: database.url, logger });
    try {
      const outcome = store.transaction(SYSTEM, async (tx) => {
        await tx.payments.getById('before');
        await terminateOtherSessions(database);
        return tx.payments.getById('after');
      });
      const error = await outcome.catch((e: unknown) => e);
      expect(isStoreUnavailableError(error)).toBe(true);
      expect(logged).toContainEqual(expect.objectContaining({ code: '57P01' }));
      // The pool replaces the dead connection: the next transaction works.
      expect(await store.transaction(SYSTEM, (tx) => tx.payments.getById('again'))).toBeNull();
    } finally {
      await store.close();
    }
  });
});

async function terminateOtherSessions(database: TestDatabase): Promise<void> {
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  try {
    await admin.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [database.name],
    );
  } finally {
    await admin.end();
  }
}
