import { Kysely, PostgresDialect } from 'kysely';
import { z } from 'zod';
import type { IdGenerator } from '../../common/id-generator.js';
import { silentLogger, type Logger } from '../../common/logger.js';
import { parseOptions } from '../../common/invalid-options.js';
import { KyselyStore } from './kysely-store.js';
import { createPgTypeParsers } from './kysely-tables.js';
import { lastResultPool, markStatementBatches } from './statement-batches.js';
import { type PgPoolLike, watchPoolErrors } from './pg-pool.js';

interface CommonOptions {
  /** Connection errors of idle clients and store diagnostics go here (never credentials). @default silentLogger */
  logger?: Logger;
  /** Makes ids for audit entries appended without one. @default defaultIdGenerator */
  ids?: IdGenerator;
  /** Pool size of each pool the store creates. @default 10 */
  max?: number;
  /** How long to wait for a connection before failing with `StoreUnavailableError` (pools the store creates). @default 10000 */
  connectionTimeoutMs?: number;
  /** Server-side `statement_timeout` for every statement (pools the store creates); 0 = none. @default 0 */
  statementTimeoutMs?: number;
}

/** The app connection: workspace-scoped transactions (and system ones when no system connection is given). */
type AppConnection =
  | {
      /** e.g. `postgres://billing_app:secret@db:5432/app`. */
      connectionString: string;
      pool?: never;
    }
  | {
      /**
       * The host's pg `Pool`; the store never ends it, keeps its type parsers (the store reads either
       * form) and leaves its error handling to the host (attach `pool.on('error')`, and an `error`
       * listener per client via `pool.on('connect')`, or a dropped connection can crash the process).
       */
      pool: PgPoolLike;
      connectionString?: never;
    };

/**
 * The system connection for `{ system: true }` transactions (webhooks, reconciliation, renewals,
 * plan sync, metrics): a role that is a member of `phonepe_billing_system`. Leave both out to run
 * system scopes on the app connection, whose role must then be a member itself.
 */
type SystemConnection =
  | { /** e.g. `postgres://billing_worker:secret@db:5432/app`. */ systemConnectionString?: string; systemPool?: never }
  | {
      /** The host's pg `Pool` for system scopes; owned by the host like `pool`. */ systemPool?: PgPoolLike;
      systemConnectionString?: never;
    };

/** Options of {@link createPgStore}: the app connection, optionally a system connection, each a connection string (the store creates and owns the pool) or the host's pool. */
export type CreatePgStoreOptions = CommonOptions & AppConnection & SystemConnection;

const isFunction = (value: unknown) => typeof value === 'function';
const poolSchema = z.custom<PgPoolLike>(
  (value) => !!value && isFunction((value as PgPoolLike).connect),
  'expected a pg Pool',
);
const optionsSchema = z
  .strictObject({
    connectionString: z.string().min(1).optional(),
    pool: poolSchema.optional(),
    systemConnectionString: z.string().min(1).optional(),
    systemPool: poolSchema.optional(),
    max: z.int().min(1).optional(),
    connectionTimeoutMs: z.int().min(0).optional(),
    statementTimeoutMs: z.int().min(0).optional(),
    logger: z
      .custom<Logger>((value) => !!value && isFunction((value as Logger).error), 'expected a pino-shaped logger')
      .optional(),
    ids: z.custom<IdGenerator>(isFunction, 'expected a function (prefix) => string').optional(),
  })
  .refine(
    (o) => (o.connectionString === undefined) !== (o.pool === undefined),
    'pass exactly one of connectionString or pool',
  )
  .refine(
    (o) => o.systemConnectionString === undefined || o.systemPool === undefined,
    'pass at most one of systemConnectionString or systemPool',
  )
  .refine(
    (o) =>
      o.connectionString !== undefined ||
      o.systemConnectionString !== undefined ||
      (o.max ?? o.connectionTimeoutMs ?? o.statementTimeoutMs) === undefined,
    'max and the timeouts apply only to pools the store creates (connectionString, systemConnectionString)',
  );

type ParsedOptions = z.infer<typeof optionsSchema>;

/**
 * A `KyselyStore` on a PostgreSQL server. With `connectionString` it creates a pg pool with its
 * own type parsers (int8 -> number, checked; timestamptz -> epoch ms; `pg.types` is left alone),
 * logs connection errors instead of crashing, and ends the pool in `store.close()`. With `pool`
 * the host owns the pool: `close()` leaves it open. `systemConnectionString` / `systemPool` give
 * system-scope transactions their own connection, as a member of `phonepe_billing_system`, so the
 * app role that serves requests never needs that privilege. Run `migrateToLatest` (or
 * `phonepe-billing migrate`) first.
 *
 * @example
 * import { createPgStore } from 'phonepe-billing/kysely';
 * const store = await createPgStore({
 *   connectionString: process.env.DATABASE_APP_URL!,           // workspace scopes: one tenant at a time
 *   systemConnectionString: process.env.DATABASE_SYSTEM_URL!,  // webhooks, reconciliation, renewals
 * });
 * // … at shutdown:
 * await store.close();
 */
export async function createPgStore(options: CreatePgStoreOptions): Promise<KyselyStore> {
  const parsed = parseOptions(optionsSchema, options, 'createPgStore');
  const logger = parsed.logger ?? silentLogger;
  const owned: Kysely<any>[] = [];
  const open = async (connectionString: string | undefined, pool: PgPoolLike | undefined): Promise<Kysely<any>> => {
    // No db.destroy() for a host pool: Kysely would end it. Either pool is wrapped so that the store
    // can send statement batches (statement-batches.ts); the host's pool object itself is untouched.
    if (pool)
      return markStatementBatches(new Kysely<any>({ dialect: new PostgresDialect({ pool: lastResultPool(pool) }) }));
    const db = markStatementBatches(
      new Kysely<any>({
        dialect: new PostgresDialect({ pool: lastResultPool(await createPool(connectionString!, parsed, logger)) }),
      }),
    );
    owned.push(db);
    return db;
  };
  const db = await open(parsed.connectionString, parsed.pool);
  const hasSystem = parsed.systemConnectionString !== undefined || parsed.systemPool !== undefined;
  const systemDb = hasSystem ? await open(parsed.systemConnectionString, parsed.systemPool) : undefined;
  return new KyselyStore({
    db,
    ...(systemDb ? { systemDb } : {}),
    logger,
    ...(parsed.ids ? { ids: parsed.ids } : {}),
    ...(owned.length > 0
      ? { onClose: async () => void (await Promise.all(owned.map((kysely) => kysely.destroy()))) }
      : {}),
  });
}

async function createPool(connectionString: string, parsed: ParsedOptions, logger: Logger): Promise<PgPoolLike> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString,
    max: parsed.max ?? 10,
    connectionTimeoutMillis: parsed.connectionTimeoutMs ?? 10_000,
    ...(parsed.statementTimeoutMs ? { statement_timeout: parsed.statementTimeoutMs } : {}),
    types: createPgTypeParsers(pg.types),
  });
  watchPoolErrors(pool, logger);
  return pool;
}
