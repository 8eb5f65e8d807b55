import pg from 'pg';
import { ensureMigratedTemplate } from '../../support/migrated-template.js';
import { dropDatabase } from '../../support/temp-database.js';

/** A database created for one test file on the real server, dropped by `drop()`. */
export interface TestDatabase {
  name: string;
  /** `adminUrl` pointing at the new database. */
  url: string;
  /** `url` for another role (same host, new database). */
  urlFor(roleUrl: string): string;
  drop(): Promise<void>;
}

/** Points a connection URL at another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * Creates `phonepe_billing_<purpose>_<random>` as the superuser of `adminUrl`, so test files (and
 * repeated runs) never share tables: each file gets its own database (empty, or already migrated
 * with `{ migrated: true }`) and drops it after.
 */
export async function createTestDatabase(
  adminUrl: string,
  purpose: string,
  options: { migrated?: boolean } = {},
): Promise<TestDatabase> {
  const name = `phonepe_billing_${purpose}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  // `migrated`: a copy of the migrated template (test/support/migrated-template.ts), owned and
  // migrated by the superuser of `adminUrl` exactly as `migrateToLatest` on an empty database would.
  const template = options.migrated ? ` template "${await ensureMigratedTemplate(adminUrl)}"` : '';
  await admin(adminUrl, `create database "${name}"${template}`);
  return {
    name,
    url: withDatabase(adminUrl, name),
    urlFor: (roleUrl) => withDatabase(roleUrl, name),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await dropDatabase(client, name);
      } finally {
        await client.end();
      }
    },
  };
}

async function admin(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
