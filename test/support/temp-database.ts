import { randomBytes } from 'node:crypto';
import pg from 'pg';

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
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
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
