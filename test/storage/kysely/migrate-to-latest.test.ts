import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  findMigrationsFolder,
  isMigrationError,
  migrateToLatest,
  type MigrationError,
} from '../../../src/storage/kysely/index.js';
import { databaseUrl, requireDependency } from '../../support/environment.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres-database.js';
import { MIGRATION_NAMES } from '../../support/migration-names.js';
import { emptyPgliteSnapshot } from '../support/pglite-snapshot.js';

const repoMigrations = resolve(import.meta.dirname, '../../../migrations');
const EXPECTED = [...MIGRATION_NAMES];
const kyselyOn = (connectionString: string) =>
  new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString, max: 2 }) }) });
const appliedRows = async (db: Kysely<any>) =>
  (await sql<{ name: string }>`select name from phonepe_billing_migrations order by name`.execute(db)).rows.map(
    (row) => row.name,
  );
const tablesIn = async (db: Kysely<any>) =>
  (
    await sql<{
      table_name: string;
    }>`select table_name from information_schema.tables where table_schema = 'public' order by table_name`.execute(db)
  ).rows.map((r) => r.table_name);

/** A copy of the migrations folder the test may edit. */
function migrationsCopy(): string {
  const folder = mkdtempSync(join(tmpdir(), 'phonepe-billing-migrations-'));
  cpSync(repoMigrations, folder, { recursive: true });
  return folder;
}

it('finds the repository migrations folder when run from source', () => {
  expect(findMigrationsFolder()).toBe(repoMigrations);
});

describe('migrateToLatest on PGlite', () => {
  it('applies every migration to an empty database, then does nothing', async () => {
    // A freshly initialised PGlite, loaded from a cached tarball of initdb's result (initdb takes seconds).
    const pglite = await PGlite.create({ loadDataDir: await emptyPgliteSnapshot() });
    const db = new Kysely<any>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ ...createPgConfig(pglite), max: 1 }) }),
    });
    try {
      expect(await migrateToLatest(db)).toEqual({ applied: EXPECTED });
      expect(await migrateToLatest(db)).toEqual({ applied: [] });
      expect(await appliedRows(db)).toEqual(EXPECTED);
      expect(await tablesIn(db)).toContain('payment_transactions');
    } finally {
      await db.destroy();
      await pglite.close();
    }
  });
});

const hasServer = requireDependency(
  databaseUrl,
  'A PostgreSQL server (DATABASE_URL)',
  'set DATABASE_URL=postgres://postgres@127.0.0.1:5432/phonepe_billing_test',
);

describe('migration 005 on rows written before it', () => {
  it('puts every existing payment, refund, webhook event and mandate on phonepe, with no account', async () => {
    const pglite = await PGlite.create({ loadDataDir: await emptyPgliteSnapshot() });
    const db = new Kysely<any>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ ...createPgConfig(pglite), max: 1 }) }),
    });
    const before = migrationsCopy();
    for (const name of EXPECTED.filter((n) => n >= '005')) rmSync(join(before, `${name}.sql`));
    try {
      await migrateToLatest(db, { migrationsFolder: before });
      await sql`insert into payment_transactions (id, workspace_id, plan_id, merchant_order_id, method, purpose,
        amount_paise, currency, state, created_at, updated_at)
        values ('txn_1', 'ws_1', 'pro', 'ord_1', 'checkout', 'new_subscription', 299900, 'INR', 'completed', now(), now())`.execute(
        db,
      );
      await sql`insert into payment_refunds (id, workspace_id, payment_id, merchant_refund_id, amount_paise, state,
        created_at, updated_at) values ('rfd_1', 'ws_1', 'txn_1', 'rf_1', 100, 'pending', now(), now())`.execute(db);
      await sql`insert into subscriptions (id, workspace_id, plan_id, status, renewal_mode, current_period_start,
        current_period_end, merchant_subscription_id, created_at, updated_at) values
        ('sub_1', 'ws_1', 'pro', 'active', 'autopay', now(), now(), 'mnd_1', now(), now()),
        ('sub_2', 'ws_2', 'pro', 'active', 'manual', now(), now(), null, now(), now())`.execute(db);
      await sql`insert into webhook_events (dedupe_key, event, status, received_at)
        values ('evt_1', 'checkout.order.completed', 'processed', now())`.execute(db);
      expect((await migrateToLatest(db)).applied).toEqual(EXPECTED.filter((n) => n >= '005'));
      const rows = async (query: ReturnType<typeof sql>) => (await query.execute(db)).rows;
      expect(await rows(sql`select gateway, gateway_account from payment_transactions`)).toEqual([
        { gateway: 'phonepe', gateway_account: null },
      ]);
      expect(await rows(sql`select gateway, gateway_account from payment_refunds`)).toEqual([
        { gateway: 'phonepe', gateway_account: null },
      ]);
      expect(await rows(sql`select gateway from webhook_events`)).toEqual([{ gateway: 'phonepe' }]);
      expect(
        await rows(sql`select id, mandate_gateway, mandate_gateway_account from subscriptions order by id`),
      ).toEqual([
        { id: 'sub_1', mandate_gateway: 'phonepe', mandate_gateway_account: null },
        { id: 'sub_2', mandate_gateway: null, mandate_gateway_account: null },
      ]);
      // A row written by the previous version during a rolling deploy (no gateway given) is a PhonePe row.
      await sql`insert into webhook_events (dedupe_key, event, status, received_at)
        values ('evt_2', 'checkout.order.failed', 'received', now())`.execute(db);
      expect(await rows(sql`select gateway from webhook_events where dedupe_key = 'evt_2'`)).toEqual([
        { gateway: 'phonepe' },
      ]);
    } finally {
      rmSync(before, { recursive: true, force: true });
      await db.destroy();
      await pglite.close();
    }
  });
});

describe.runIf(hasServer)('migrateToLatest on a real PostgreSQL server', () => {
  let database: TestDatabase;
  let db: Kysely<any>;
  const folders: string[] = [];
  beforeEach(async () => {
    database = await createTestDatabase(databaseUrl!, 'migrate');
    db = kyselyOn(database.url);
  });
  afterEach(async () => {
    await db.destroy();
    await database.drop();
  });
  afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

  it('applies every migration to an empty database in order, records it, and re-runs as a no-op', async () => {
    const logged: unknown[] = [];
    const logger = { debug() {}, info: (obj: unknown) => logged.push(obj), warn() {}, error() {} };
    expect(await migrateToLatest(db, { logger })).toEqual({ applied: EXPECTED });
    expect(logged).toEqual(EXPECTED.map((migration) => ({ migration })));
    expect(await tablesIn(db)).toEqual([
      'billing_audit_log',
      'billing_outbox',
      'payment_refunds',
      'payment_transactions',
      'phonepe_billing_migrations',
      'plans',
      'subscription_usage',
      'subscription_usage_events',
      'subscriptions',
      'webhook_events',
    ]);
    expect(await migrateToLatest(db)).toEqual({ applied: [] });
    expect(await appliedRows(db)).toEqual(EXPECTED);
  });

  it('applies each migration exactly once when several processes migrate at once', async () => {
    const others = [kyselyOn(database.url), kyselyOn(database.url), kyselyOn(database.url)];
    try {
      const results = await Promise.all(others.map((other) => migrateToLatest(other)));
      expect(results.flatMap((result) => result.applied).sort()).toEqual(EXPECTED);
      expect(await appliedRows(db)).toEqual(EXPECTED);
    } finally {
      await Promise.all(others.map((other) => other.destroy()));
    }
  });

  it('refuses to run when an applied migration was edited, naming the file', async () => {
    const folder = migrationsCopy();
    folders.push(folder);
    await migrateToLatest(db, { migrationsFolder: folder });
    writeFileSync(join(folder, '001_create_billing_tables.sql'), '-- edited\n', { flag: 'a' });
    const error = (await migrateToLatest(db, { migrationsFolder: folder }).catch((e: unknown) => e)) as MigrationError;
    expect(isMigrationError(error)).toBe(true);
    expect(error.code).toBe('MIGRATION_CHECKSUM_MISMATCH');
    expect(error.migration).toBe('001_create_billing_tables');
    expect(error.message).toMatch(/001_create_billing_tables\.sql was changed after it was applied/);
  });

  it('rolls back a failing migration as a whole, keeping the earlier ones, and names it', async () => {
    const folder = migrationsCopy();
    folders.push(folder);
    writeFileSync(
      join(folder, '999_break_things.sql'),
      'create table half_done (id int);\nselect * from no_such_table;\n',
    );
    const error = (await migrateToLatest(db, { migrationsFolder: folder }).catch((e: unknown) => e)) as MigrationError;
    expect(error).toMatchObject({ name: 'MigrationError', code: 'MIGRATION_FAILED', migration: '999_break_things' });
    expect(error.message).toMatch(/999_break_things\.sql failed/);
    expect(await appliedRows(db)).toEqual(EXPECTED);
    expect(await tablesIn(db)).not.toContain('half_done');
  });
});
