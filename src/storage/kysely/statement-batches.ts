import type { Kysely } from 'kysely';
import type { PgPoolLike } from './pg-pool-like.js';

// A statement batch is several SQL statements sent as one simple-protocol query (no bound
// parameters): one round trip instead of one per statement. The store uses it to open a
// transaction and set its scope at once, and to run a metered call (scope + one statement) as one
// implicit transaction. pg answers a batch with one result per statement, which Kysely's
// PostgresConnection cannot read (it destructures a single result), so the pools of createPgStore /
// createPgliteStore hand Kysely the batch's last result instead; only Kysely instances built on
// such a pool are marked as able to run batches. A host's own Kysely runs every statement alone.

const batchCapable = new WeakSet<object>();

interface PgResultLike {
  command?: unknown;
  rows?: unknown;
}
interface PgClientLike {
  query(text: unknown, values?: unknown): Promise<unknown>;
  release(destroy?: unknown): void;
}

/**
 * A pool whose clients answer a statement batch with the result of its last statement, so Kysely
 * can read it (single statements are answered as before). Everything else is passed through.
 *
 * @example
 * const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: lastResultPool(pool) }) });
 */
export function lastResultPool(pool: PgPoolLike): PgPoolLike {
  const clients = new WeakMap<object, PgClientLike>();
  const wrap = (client: PgClientLike): PgClientLike => {
    let wrapped = clients.get(client);
    if (!wrapped) {
      wrapped = {
        query: async (text, values) => {
          const result = await client.query(text, values);
          return Array.isArray(result) ? (result[result.length - 1] as PgResultLike | undefined) : result;
        },
        release: (destroy) => client.release(destroy),
      };
      clients.set(client, wrapped);
    }
    return wrapped;
  };
  return {
    connect: async () => wrap((await pool.connect()) as unknown as PgClientLike) as never,
    end: () => pool.end(),
  };
}

/** Marks a Kysely instance built on a {@link lastResultPool} as able to run statement batches. */
export function markStatementBatches<T extends Kysely<any>>(db: T): T {
  batchCapable.add(db);
  return db;
}

/** Whether `db` was built on a {@link lastResultPool} (see {@link markStatementBatches}). */
export function runsStatementBatches(db: Kysely<any>): boolean {
  return batchCapable.has(db);
}

/**
 * A text value as a PostgreSQL string literal, for a statement batch (which cannot bind
 * parameters). Quotes are doubled; a value with a backslash uses the `E''` form with backslashes
 * doubled, so the literal reads the same whatever `standard_conforming_strings` is. NUL cannot be
 * part of a PostgreSQL text value and is refused (the store's input checks refuse it earlier).
 *
 * @example
 * sqlLiteral("it's"); // 'it''s'
 */
export function sqlLiteral(value: string): string {
  if (value.includes('\u0000')) throw new TypeError('A NUL character cannot be part of a PostgreSQL text value.');
  const quoted = value.replace(/'/g, "''");
  return quoted.includes('\\') ? ` E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
}

/**
 * Whether a driver error says the connection cannot run several statements in one query (a pool
 * that always uses the extended protocol): then the store stops batching and sends them one by one.
 */
export function isBatchRefused(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === '42601' && typeof message === 'string' && /multiple commands/i.test(message);
}
