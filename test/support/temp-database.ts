import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { ensureMigratedTemplate } from './migrated-template.js';

/** A database created for one test file on the real server, dropped by `drop()`. */
export interface TempDatabase {
  /** Connection string for the new database (same user as the admin URL). */
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * Creates a uniquely named, empty database on the server at `adminUrl` (a role that may create
 * databases), so test files running in parallel — and runs repeated back to back — never share rows.
 */
export async function createTempDatabase(adminUrl: string, prefix = 'phonepe_billing_t'): Promise<TempDatabase> {
  return create(adminUrl, prefix, null);
}

/**
 * Like {@link createTempDatabase}, but with every migration already applied (as the superuser of
 * `adminUrl`, as `migrateToLatest` on the new database would): a copy of the migrated template
 * (test/support/migrated-template.ts), which takes a fraction of the time of migrating.
 */
export async function createMigratedTempDatabase(
  adminUrl: string,
  prefix = 'phonepe_billing_t',
): Promise<TempDatabase> {
  return create(adminUrl, prefix, await ensureMigratedTemplate(adminUrl));
}

async function create(adminUrl: string, prefix: string, template: string | null): Promise<TempDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}${template ? ` template "${template}"` : ''}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    name,
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
