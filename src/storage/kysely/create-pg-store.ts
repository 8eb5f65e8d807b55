import { Kysely, PostgresDialect } from 'kysely';
import { z } from 'zod';
import type { IdGenerator } from '../../shared/id-generator.js';
import { silentLogger, type Logger } from '../../shared/logger.js';
import { parseOptions } from '../validation/parse-options.js';
import { KyselyStore } from './kysely-store.js';
import { createPgTypeParsers } from './pg-type-parsers.js';
import { watchPoolErrors } from './watch-pool-errors.js';
import type { PgPoolLike } from './pg-pool-like.js';

interface CommonOptions {
  /** Connection errors of idle clients and store diagnostics go here (never credentials). @default silentLogger */
  logger?: Logger;
  /** Makes ids for audit entries appended without one. @default defaultIdGenerator */
  ids?: IdGenerator;
}

/** Options of {@link createPgStore}: a connection string (the store creates and owns the pool) or the host's pool. */
export type CreatePgStoreOptions = CommonOptions &
  (
    | {
        /** e.g. `postgres://app:secret@db:5432/app`. */
        connectionString: string;
        pool?: never;
        /** Pool size. @default 10 */
        max?: number;
        /** How long to wait for a connection before failing with `StoreUnavailableError`. @default 10000 */
        connectionTimeoutMs?: number;
        /** Server-side `statement_timeout` for every statement; 0 = none. @default 0 */
        statementTimeoutMs?: number;
      }
    | {
        /**
         * The host's pg `Pool`; the store never ends it, keeps its type parsers (the store reads either
         * form) and leaves its error handling to the host (attach `pool.on('error')`, and an `error`
         * listener per client via `pool.on('connect')`, or a dropped connection can crash the process).
         */
        pool: PgPoolLike;
        connectionString?: never;
      }
  );

const isFunction = (value: unknown) => typeof value === 'function';
const optionsSchema = z
  .strictObject({
    connectionString: z.string().min(1).optional(),
    pool: z.custom<PgPoolLike>((value) => !!value && isFunction((value as PgPoolLike).connect), 'expected a pg Pool').optional(),
    max: z.int().min(1).optional(),
    connectionTimeoutMs: z.int().min(0).optional(),
    statementTimeoutMs: z.int().min(0).optional(),
    logger: z.custom<Logger>((value) => !!value && isFunction((value as Logger).error), 'expected a pino-shaped logger').optional(),
    ids: z.custom<IdGenerator>(isFunction, 'expected a function (prefix) => string').optional(),
  })
  .refine((o) => (o.connectionString === undefined) !== (o.pool === undefined), 'pass exactly one of connectionString or pool')
  .refine((o) => o.pool === undefined || (o.max ?? o.connectionTimeoutMs ?? o.statementTimeoutMs) === undefined, 'max and the timeouts apply only with connectionString');

/**
 * A `KyselyStore` on a PostgreSQL server. With `connectionString` it creates a pg pool with its
 * own type parsers (int8 -> number, checked; timestamptz -> epoch ms; `pg.types` is left alone),
 * logs connection errors instead of crashing, and ends the pool in `store.close()`. With `pool`
 * the host owns the pool: `close()` leaves it open. Run `migrateToLatest` (or
 * `phonepe-billing migrate`) first.
 *
 * @example
 * import { createPgStore } from 'phonepe-billing/kysely';
 * const store = await createPgStore({ connectionString: process.env.DATABASE_URL! });
 * // … at shutdown:
 * await store.close();
 */
export async function createPgStore(options: CreatePgStoreOptions): Promise<KyselyStore> {
  const parsed = parseOptions(optionsSchema, options, 'createPgStore');
  const logger = parsed.logger ?? silentLogger;
  const common = { logger, ...(parsed.ids ? { ids: parsed.ids } : {}) };
  if (parsed.pool) {
    // No db.destroy(): Kysely would end the host's pool.
    return new KyselyStore({ db: new Kysely<any>({ dialect: new PostgresDialect({ pool: parsed.pool }) }), ...common });
  }
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: parsed.connectionString,
    max: parsed.max ?? 10,
    connectionTimeoutMillis: parsed.connectionTimeoutMs ?? 10_000,
    ...(parsed.statementTimeoutMs ? { statement_timeout: parsed.statementTimeoutMs } : {}),
    types: createPgTypeParsers(pg.types),
  });
  watchPoolErrors(pool, logger);
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  return new KyselyStore({ db, ...common, onClose: () => db.destroy() });
}
