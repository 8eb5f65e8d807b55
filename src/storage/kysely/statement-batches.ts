import type { Kysely } from 'kysely';
import type { PgPoolLike } from './pg-pool.js';

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

/** The text that opens a query needing a prepared statement (see {@link preparedBatch}). */
const PREPARED = '/* phonepe-billing: prepared ';
/** `PREPARE` text by statement name, for connections that have not prepared it yet. */
const preparations = new Map<string, string>();

/**
 * A statement batch that `EXECUTE`s the prepared statement `name` (whose `PREPARE` is `prepare`): on a
 * connection of a {@link lastResultPool} that has not prepared it yet, the `PREPARE` goes first in the
 * same batch, so every call is one round trip and the server parses and plans the statement once per
 * connection (a client's first use asks `pg_prepared_statements` whether its session already has it, as a
 * PGlite session shared by successive clients does). A connection whose prepared statements were dropped
 * meanwhile (`DEALLOCATE ALL`, `DISCARD ALL`) prepares it again.
 *
 * @example
 * await sql.raw(preparedBatch('meter_v1', 'prepare meter_v1 (text) as select $1', `${scope}; execute meter_v1('a')`)).execute(db);
 */
export function preparedBatch(name: string, prepare: string, batch: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name))
    throw new TypeError(`A prepared statement name must be a plain identifier, not ${name}.`);
  preparations.set(name, prepare);
  return `${PREPARED}${name} */ ${batch}`;
}

/**
 * The text that opens a deferred BEGIN (see {@link lastResultPool}): a query starting with it is not
 * sent but held, and goes to the server in front of the connection's next query.
 */
export const DEFERRED_BEGIN = '/* phonepe-billing: deferred begin */ ';

/**
 * A pool whose clients answer a statement batch with the result of its last statement, so Kysely
 * can read it (single statements are answered as before), and which carry a deferred BEGIN: a query
 * starting with {@link DEFERRED_BEGIN} is held and sent in one batch with the next query, whose bound
 * parameters are then inlined as literals (one round trip for BEGIN, scope and first statement). When
 * the next query is COMMIT or ROLLBACK, the transaction never started and nothing is sent. A query
 * whose parameters cannot be inlined is sent after the held text, as before. Everything else is
 * passed through.
 *
 * @example
 * const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: lastResultPool(pool) }) });
 */
export function lastResultPool(pool: PgPoolLike): PgPoolLike {
  const clients = new WeakMap<object, PgClientLike>();
  const wrap = (client: PgClientLike): PgClientLike => {
    let wrapped = clients.get(client);
    if (wrapped) return wrapped;
    let held: string | null = null;
    const prepared = new Set<string>();
    const send = async (text: unknown, values?: unknown) => lastResult(await client.query(text, values));
    const sessionHas = async (name: string) =>
      (
        (lastResult(await client.query('select 1 from pg_prepared_statements where name = $1', [name])) as PgResultLike)
          .rows as unknown[]
      ).length > 0;
    /** A {@link preparedBatch}: its PREPARE first unless this connection has it; once more if it was dropped. */
    const sendPrepared = async (text: string) => {
      const end = text.indexOf(' */ ');
      const name = text.slice(PREPARED.length, end);
      const batch = text.slice(end + 4);
      const withPrepare = () => `${preparations.get(name) as string}; ${batch}`;
      if (!prepared.has(name)) {
        // The session may hold it although this client never prepared it: PGlite is one session that every
        // client of its pool shares (a client closed when idle is replaced by a new one on the same session).
        if (await sessionHas(name)) {
          prepared.add(name);
          return send(batch);
        }
        const result = await send(withPrepare());
        prepared.add(name);
        return result;
      }
      try {
        return await send(batch);
      } catch (error) {
        if ((error as { code?: unknown } | null)?.code !== '26000') throw error;
        prepared.delete(name);
        const result = await send(withPrepare());
        prepared.add(name);
        return result;
      }
    };
    wrapped = {
      query: async (text, values) => {
        if (typeof text === 'string' && text.startsWith(PREPARED) && held === null) return sendPrepared(text);
        if (typeof text === 'string' && text.startsWith(DEFERRED_BEGIN)) {
          held = text.slice(DEFERRED_BEGIN.length);
          return { command: 'BEGIN', rows: [], rowCount: null };
        }
        if (held === null || typeof text !== 'string') return send(text, values);
        const begin = held;
        held = null;
        const ending = /^\s*(commit|rollback)\s*$/i.exec(text);
        if (ending) return { command: (ending[1] as string).toUpperCase(), rows: [], rowCount: null };
        const inlined = inlineParameters(text, Array.isArray(values) ? values : []);
        if (inlined === null) {
          await send(begin);
          return send(text, values);
        }
        return send(`${begin}; ${inlined}`);
      },
      release: (destroy) => {
        held = null;
        client.release(destroy);
      },
    };
    clients.set(client, wrapped);
    return wrapped;
  };
  return {
    connect: async () => wrap((await pool.connect()) as unknown as PgClientLike) as never,
    end: () => pool.end(),
  };
}

function lastResult(result: unknown): unknown {
  return Array.isArray(result) ? (result[result.length - 1] as PgResultLike | undefined) : result;
}

/**
 * `text` with its `$n` placeholders replaced by `values` as literals, or `null` when that is not
 * certain to mean the same: a value other than text, a number, a boolean, null or a valid Date, or
 * text with a dollar-quoted string or an `E''` string (the store's own statements have neither).
 * A literal is quoted like a string, so it takes its type from its place exactly as an untyped bound
 * parameter does; quoted strings, quoted identifiers and comments are left alone.
 *
 * @example
 * inlineParameters('select * from t where id = $1', ['a']); // select * from t where id = 'a'
 */
export function inlineParameters(text: string, values: readonly unknown[]): string | null {
  const literals: string[] = [];
  for (const value of values) {
    const literal = sqlValue(value);
    if (literal === null) return null;
    literals.push(literal);
  }
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === "'" || c === '"') {
      const end = closing(text, i, c);
      if (end < 0 || (c === "'" && i > 0 && /[eE]/.test(text[i - 1] as string) && !/[\w$]/.test(text[i - 2] ?? ' ')))
        return null;
      out += text.slice(i, end + 1);
      i = end + 1;
    } else if (c === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      out += text.slice(i, stop);
      i = stop;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return null;
      out += text.slice(i, end + 2);
      i = end + 2;
    } else if (c === '$') {
      const digits = /^\$(\d+)/.exec(text.slice(i));
      if (!digits) return null; // a dollar-quoted string
      const literal = literals[Number(digits[1]) - 1];
      if (literal === undefined) return null;
      out += literal;
      i += digits[0].length;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

/** Where the quoted run that opens at `start` with `quote` ends (a doubled quote stays inside), or -1. */
function closing(text: string, start: number, quote: string): number {
  let i = start + 1;
  for (;;) {
    const end = text.indexOf(quote, i);
    if (end < 0) return -1;
    if (text[end + 1] !== quote) return end;
    i = end + 2;
  }
}

/**
 * A parameter value as the literal that means the same in its place (quoted, so it takes its type from
 * there as an untyped bound parameter does), or `null` for a value that cannot be written so (objects,
 * arrays, invalid dates, text with NUL).
 *
 * @example
 * sqlValue(42); // '42'
 */
export function sqlValue(value: unknown): string | null {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return value.includes('\u0000') ? null : sqlLiteral(value);
  if (typeof value === 'number' || typeof value === 'bigint') return `'${String(value)}'`;
  if (typeof value === 'boolean') return value ? "'true'" : "'false'";
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : `'${utcTimestamp(value)}'`;
  return null;
}

// A point in time as PostgreSQL reads it: years padded to four digits, past 9999 without the `+` of
// toISOString, and before year 1 as `BC` (as pg itself sends a Date).
function utcTimestamp(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const year = date.getUTCFullYear();
  const bc = year < 1;
  const day = `${String(bc ? 1 - year : year).padStart(4, '0')}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())}`;
  const time = `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}.${String(date.getUTCMilliseconds()).padStart(3, '0')}`;
  return `${day}T${time}+00:00${bc ? ' BC' : ''}`;
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
