import { type AssertTrue, parseOptions, type SchemaMatches } from '../../common/invalid-options.js';
import { Kysely, PostgresDialect } from 'kysely';
import { z } from 'zod';
import type { IdGenerator } from '../../common/id-generator.js';
import { silentLogger, type Logger } from '../../common/logger.js';
import { KyselyStore } from './kysely-store.js';
import { migrateToLatest } from './migrations.js';
import { createPgTypeParsers } from './kysely-tables.js';
import { lastResultPool, markStatementBatches } from './statement-batches.js';
import { watchPoolErrors } from './pg-pool.js';

/** Options of {@link createPgliteStore}. */
export interface CreatePgliteStoreOptions {
  /** Where PGlite keeps its files (a directory path). @default in memory: lost at close */
  dataDir?: string;
  /** Start from a `pglite.dumpDataDir()` snapshot (a tarball) instead of an empty database. */
  loadDataDir?: Blob;
  /** Apply the package's migrations before returning. @default true */
  migrate?: boolean;
  /** @default silentLogger */
  logger?: Logger;
  /** Makes ids for audit entries appended without one. @default defaultIdGenerator */
  ids?: IdGenerator;
}

const isFunction = (value: unknown) => typeof value === 'function';
const optionsSchema = z.strictObject({
  dataDir: z.string().min(1).optional(),
  loadDataDir: z.instanceof(Blob).optional(),
  migrate: z.boolean().optional(),
  logger: z
    .custom<Logger>((value) => !!value && isFunction((value as Logger).error), 'expected a pino-shaped logger')
    .optional(),
  ids: z.custom<IdGenerator>(isFunction, 'expected a function (prefix) => string').optional(),
});

/**
 * A `KyselyStore` on an embedded PGlite database (PostgreSQL compiled to WebAssembly, in this
 * process): real SQL, the same migrations, queries and type parsing as on a server, without one.
 * It goes through PGlite's own node-postgres adapter and a one-connection pg pool, so
 * transactions run one at a time. PGlite always connects as a superuser, which skips row-level
 * security; the store's own scope checks still apply. `close()` ends the pool and PGlite.
 * Needs the optional peers `@electric-sql/pglite` and `pg`.
 *
 * @example
 * import { createPgliteStore } from 'phonepe-billing/kysely';
 * const store = await createPgliteStore({ dataDir: './.pglite' }); // migrated and ready
 */
export async function createPgliteStore(options: CreatePgliteStoreOptions = {}): Promise<KyselyStore> {
  const parsed = parseOptions(optionsSchema, options, 'createPgliteStore');
  const logger = parsed.logger ?? silentLogger;
  const [{ PGlite }, { createPgConfig }, { default: pg }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/node-postgres'),
    import('pg'),
  ]);
  const pglite = await PGlite.create(parsed.dataDir, parsed.loadDataDir ? { loadDataDir: parsed.loadDataDir } : {});
  const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1, types: createPgTypeParsers(pg.types) });
  watchPoolErrors(pool, logger);
  const db = markStatementBatches(new Kysely<any>({ dialect: new PostgresDialect({ pool: lastResultPool(pool) }) }));
  const release = async () => {
    await db.destroy();
    await pglite.close();
  };
  try {
    if (parsed.migrate ?? true) await migrateToLatest(db, { logger });
  } catch (error) {
    await release();
    throw error;
  }
  return new KyselyStore({ db, logger, ...(parsed.ids ? { ids: parsed.ids } : {}), onClose: release });
}

// The compiler keeps the interface and its schema in step (an option added to one only fails the build).
// biome-ignore lint/correctness/noUnusedVariables: a compile-time check, never used at runtime
type OptionsTiedToSchema = AssertTrue<SchemaMatches<typeof optionsSchema, CreatePgliteStoreOptions>>;
