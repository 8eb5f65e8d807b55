import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPgStore, migrateToLatest, SYSTEM_ROLE, type MigrationError } from '../../../src/storage/kysely/index.js';
import { databaseUrl, requireDependency } from '../../support/environment.js';
import { aPayment, SYSTEM } from '../conformance/fixtures.js';
import { admin, createLoginRole, ensureSystemRole, type TestLoginRole } from '../support/billing-roles.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres-database.js';

const hasServer = requireDependency(
  databaseUrl,
  'A PostgreSQL server (DATABASE_URL)',
  'set DATABASE_URL=postgres://postgres@127.0.0.1:5432/phonepe_billing_test',
);
const MIGRATION = '003_restrict_system_mode_to_role.sql';
const kyselyOn = (connectionString: string) =>
  new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString, max: 1 }) }) });

/**
 * The package's migrations with the system role renamed to a fresh name, so a test can watch
 * migration 003 create the role on this shared cluster (where phonepe_billing_system already
 * exists and other test files depend on it).
 */
function migrationsWithRole(role: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'phonepe-billing-role-'));
  cpSync(resolve(import.meta.dirname, '../../../migrations'), folder, { recursive: true });
  const file = join(folder, MIGRATION);
  writeFileSync(file, readFileSync(file, 'utf8').replaceAll(SYSTEM_ROLE, role));
  return folder;
}

describe.runIf(hasServer)('migration 003: the system role', () => {
  const databases: TestDatabase[] = [];
  const loginRoles: TestLoginRole[] = [];
  const groupRoles: string[] = [];
  const folders: string[] = [];
  afterAll(async () => {
    await Promise.all(databases.map((database) => database.drop()));
    await Promise.all(loginRoles.map((role) => role.drop()));
    for (const role of groupRoles) await admin(databaseUrl!, `drop role if exists ${role}`);
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });
  const freshRole = () => {
    const role = `phonepe_billing_system_t${Math.random().toString(36).slice(2, 10)}`;
    groupRoles.push(role);
    const folder = migrationsWithRole(role);
    folders.push(folder);
    return { role, folder };
  };
  const newDatabase = async (purpose: string) => {
    const database = await createTestDatabase(databaseUrl!, purpose);
    databases.push(database);
    return database;
  };

  it('creates the role once when migrations of several databases race to create it', async () => {
    const { role, folder } = freshRole();
    const targets = await Promise.all([1, 2, 3].map(() => newDatabase('role_race')));
    // Another migration is inside 003 and has created the role but not committed yet: the three
    // migrations below find no role, try to create it, and wait on that uncommitted row.
    const [holder, monitor] = [
      new pg.Client({ connectionString: databaseUrl }),
      new pg.Client({ connectionString: databaseUrl }),
    ];
    await Promise.all([holder.connect(), monitor.connect()]);
    const dbs = targets.map((database) => kyselyOn(database.url));
    try {
      await holder.query('begin');
      await holder.query(`create role ${role} nologin`);
      const migrations = dbs.map((db) =>
        migrateToLatest(db, { migrationsFolder: folder }).then(
          (result) => result,
          (error: unknown) => error,
        ),
      );
      await waitUntil(async () => (await blockedOn(holder, monitor)) === targets.length);
      await holder.query('commit');
      const results = await Promise.all(migrations);
      expect(
        results.map((result) => (result as { applied?: string[] }).applied?.includes(MIGRATION.slice(0, -4))),
      ).toEqual(targets.map(() => true));
      for (const db of dbs) {
        const policies = await sql<{
          n: string;
        }>`select count(*) as n from pg_policies where ${role} = any(roles)`.execute(db);
        expect(Number(policies.rows[0]!.n)).toBe(8);
      }
      const created = await holder.query('select rolcanlogin from pg_roles where rolname = $1', [role]);
      expect(created.rows).toEqual([{ rolcanlogin: false }]);
    } finally {
      await Promise.all([holder.end(), monitor.end()]);
      await Promise.all(dbs.map((db) => db.destroy()));
    }
  });

  it('stops with the statement a superuser must run when the migrating role may not create the role', async () => {
    const { role, folder } = freshRole();
    const database = await newDatabase('role_denied');
    const owner = await createLoginRole(databaseUrl!, 'phonepe_billing_owner');
    loginRoles.push(owner);
    await admin(databaseUrl!, `alter database "${database.name}" owner to "${owner.name}"`);
    const db = kyselyOn(owner.urlFor(database.name));
    try {
      const error = (await migrateToLatest(db, { migrationsFolder: folder }).catch(
        (e: unknown) => e,
      )) as MigrationError;
      expect(error).toMatchObject({
        name: 'MigrationError',
        code: 'MIGRATION_FAILED',
        migration: MIGRATION.slice(0, -4),
      });
      expect(error.message).toContain(`the role ${role} does not exist and role ${owner.name} may not create it`);
      expect(error.message).toContain(`as a superuser run "create role ${role} nologin", then run migrate again`);
      const applied = await sql<{ name: string }>`select name from phonepe_billing_migrations order by name`.execute(
        db,
      );
      expect(applied.rows.map((row) => row.name)).toEqual([
        '001_create_billing_tables',
        '002_enable_row_level_security',
      ]);
    } finally {
      await db.destroy();
    }
  });

  it('lets a migrating owner with CREATEROLE serve system scopes on its one connection, as before 003', async () => {
    await ensureSystemRole(databaseUrl!);
    const database = await newDatabase('role_owner');
    const owner = await createLoginRole(databaseUrl!, 'phonepe_billing_owner');
    loginRoles.push(owner);
    await admin(databaseUrl!, `alter role "${owner.name}" createrole`);
    await admin(databaseUrl!, `alter database "${database.name}" owner to "${owner.name}"`);
    const store = await createPgStore({ connectionString: owner.urlFor(database.name) });
    try {
      await migrateToLatest(store.db);
      const member = await sql<{
        member: boolean;
      }>`select pg_has_role(current_user, ${SYSTEM_ROLE}, 'USAGE') as member`.execute(store.db);
      expect(member.rows[0]!.member).toBe(true);
      await store.transaction(SYSTEM, async (tx) => {
        await tx.payments.insert(aPayment({ id: 'pay_x', workspaceId: 'ws_x' }));
        await tx.payments.insert(aPayment({ id: 'pay_y', workspaceId: 'ws_y' }));
      });
      const seen = await store.transaction(SYSTEM, async (tx) => [
        await tx.payments.getById('pay_x'),
        await tx.payments.getById('pay_y'),
      ]);
      expect(seen.map((payment) => payment?.workspaceId)).toEqual(['ws_x', 'ws_y']);
    } finally {
      await store.close();
    }
  });
});

/**
 * How many sessions wait on a lock held by `holder`, asked on `monitor` (pg_stat_activity is a
 * snapshot fixed for the rest of a transaction, so the holder cannot watch it itself).
 */
async function blockedOn(holder: pg.Client, monitor: pg.Client): Promise<number> {
  const holderPid = (holder as unknown as { processID: number }).processID;
  const { rows } = await monitor.query(
    `select count(*) as n from pg_stat_activity where $1::int = any(pg_blocking_pids(pid))`,
    [holderPid],
  );
  return Number(rows[0].n);
}

/** Polls `condition` until it holds (a state to reach, not a time limit: vitest's timeout bounds it). */
async function waitUntil(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 20));
}
