import { createHash } from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { findMigrationsFolder, migrateToLatest, readMigrationFiles } from '../../src/storage/kysely/index.js';

/** Any number that no other advisory lock of the suite uses: serialises template builders on one cluster. */
const TEMPLATE_LOCK_KEY = 7_312_405_981;

/** The migrations' names and checksums, hashed: a changed or added migration names a new template. */
export function migrationsHash(): string {
  return createHash('sha256')
    .update(
      readMigrationFiles(findMigrationsFolder())
        .map((file) => `${file.name}:${file.checksum}`)
        .join('\n'),
    )
    .digest('hex')
    .slice(0, 12);
}

/** `phonepe_billing_test_template_<hash of migrations/>`. */
export function migratedTemplateName(): string {
  return `phonepe_billing_test_template_${migrationsHash()}`;
}

const ensured = new Map<string, Promise<string>>();

/**
 * Makes sure the server at `adminUrl` (a superuser) has a database with every migration applied,
 * migrated as that superuser exactly like `migrateToLatest` on a fresh database, and returns its
 * name. Test databases are then `create database … template <it>`: a file copy, instead of running
 * the migrations again for every test file. Built once per cluster and migrations checksum
 * (test/support/global-setup.ts builds it before the workers start); concurrent runs take an
 * advisory lock, and the template is built under a temporary name and renamed when complete, so a
 * half-built template is never cloned. Nobody stays connected to it (PostgreSQL refuses to copy a
 * database that has sessions).
 */
export function ensureMigratedTemplate(adminUrl: string): Promise<string> {
  const key = `${adminUrl}\n${migratedTemplateName()}`;
  let pending = ensured.get(key);
  if (!pending) {
    pending = buildTemplate(adminUrl).catch((error: unknown) => {
      ensured.delete(key);
      throw error;
    });
    ensured.set(key, pending);
  }
  return pending;
}

async function buildTemplate(adminUrl: string): Promise<string> {
  const name = migratedTemplateName();
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    if (await exists(admin, name)) return name;
    await admin.query('select pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
    try {
      if (await exists(admin, name)) return name;
      const building = `${name}_building_${process.pid}`;
      await admin.query(`drop database if exists "${building}" with (force)`);
      await admin.query(`create database "${building}"`);
      try {
        const url = new URL(adminUrl);
        url.pathname = `/${building}`;
        const db = new Kysely<any>({
          dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url.href, max: 1 }) }),
        });
        try {
          await migrateToLatest(db);
        } finally {
          await db.destroy();
        }
        await admin.query(`alter database "${building}" rename to "${name}"`);
      } catch (error) {
        await admin.query(`drop database if exists "${building}" with (force)`);
        throw error;
      }
      return name;
    } finally {
      await admin.query('select pg_advisory_unlock($1)', [TEMPLATE_LOCK_KEY]);
    }
  } finally {
    await admin.end();
  }
}

async function exists(admin: pg.Client, name: string): Promise<boolean> {
  const result = await admin.query('select 1 from pg_database where datname = $1', [name]);
  return (result.rowCount ?? 0) > 0;
}
