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
