import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from '../../src/storage/kysely/index.js';
import { createTempDatabase, type TempDatabase } from '../../test/support/temp-database.js';
import { BenchUsageError } from './options.js';

/** The server's admin URL, or a clear error saying how to provide it. */
export function requireDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new BenchUsageError(
      'npm run bench needs a PostgreSQL server: set DATABASE_URL to a role that may create databases, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres (a temporary database is created for the run and dropped after it).',
    );
  }
  return url;
}

/** A temporary database for this run, with the billing migrations applied. */
export async function openBenchDatabase(adminUrl: string): Promise<TempDatabase> {
  const temp = await createTempDatabase(adminUrl, 'phonepe_billing_bench');
  const db = new Kysely<any>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: temp.url, max: 1 }) }),
  });
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
  return temp;
}

/** Statements and transactions sent through one pool, counted at the driver. */
export interface SqlCounter {
  statements: number;
  transactions: number;
}

/**
 * A pg pool whose clients count every `query` they send — from outside the library: the store is
 * given this pool and never knows. A transaction is a statement that starts one (`begin` /
 * `start transaction`, which is what Kysely sends).
 */
export function countingPool(connectionString: string, max = 10): { pool: pg.Pool; counter: SqlCounter } {
  const counter: SqlCounter = { statements: 0, transactions: 0 };
  const pool = new pg.Pool({ connectionString, max });
  pool.on('error', () => {}); // an idle client dropped by the server (a database dropped at the end)
  pool.on('connect', (client) => {
    client.on('error', () => {});
    const send = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      counter.statements += 1;
      const first = args[0];
      const text =
        typeof first === 'string'
          ? first
          : typeof first === 'object' && first !== null && 'text' in first
            ? String((first as { text: unknown }).text)
            : '';
      if (/^\s*(begin|start transaction)\b/i.test(text)) counter.transactions += 1;
      return send(...args);
    };
  });
  return { pool, counter };
}

/** Counter values now, to subtract later. */
export function snapshot(counter: SqlCounter): SqlCounter {
  return { statements: counter.statements, transactions: counter.transactions };
}

export function since(counter: SqlCounter, before: SqlCounter): SqlCounter {
  return {
    statements: counter.statements - before.statements,
    transactions: counter.transactions - before.transactions,
  };
}
