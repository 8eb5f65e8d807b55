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
        await dropDatabase(client, name);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * Drops database `name` as `admin`. The test's own pools were closed just before, but `pool.end()` resolves
 * before the server has seen every connection go: forcing the drop at once would terminate such a connection
 * and its client would report `57P01` as an uncaught error in whatever test runs next in the process. So it
 * waits (up to 2 s) for the database's other sessions to leave, then forces out any that remain.
 */
export async function dropDatabase(admin: pg.Client, name: string): Promise<void> {
  for (let waited = 0; waited < 2_000; waited += 25) {
    const { rows } = await admin.query<{ n: number }>(
      'select count(*)::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [name],
    );
    if (rows[0]?.n === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await admin.query(`drop database if exists "${name}" with (force)`);
}
