import { sql, type Kysely, type Transaction } from 'kysely';
import { silentLogger, type Logger } from '../../common/logger.js';
import { StoreUnavailableError } from '../errors.js';
import { mapPgError } from './map-pg-error.js';
import { MigrationError } from './migration-error.js';
import { findMigrationsFolder, readMigrationFiles, type MigrationFile } from './migration-files.js';

/** Options of {@link migrateToLatest}. */
export interface MigrateOptions {
  /** Gets one `info` line per applied migration. @default silentLogger */
  logger?: Logger;
  /** Another folder of `NNN_verb_noun.sql` files. @default the package's own migrations/ */
  migrationsFolder?: string;
}

/** What {@link migrateToLatest} did. */
export interface MigrateResult {
  /** Names of the migrations applied by this call, in order (empty when already up to date). */
  applied: string[];
}

/** Any fixed int8: every process migrating this database takes the same lock. */
const MIGRATION_LOCK_KEY = '4719328250511017';

/**
 * Applies the pending migrations in order, each in its own transaction and each at most once, while
 * holding a transaction-scoped advisory lock (`pg_advisory_xact_lock`), so several processes
 * starting at once apply every file exactly once. Applied files are recorded in
 * `phonepe_billing_migrations (name, checksum, applied_at)`; if an applied file was edited since,
 * it refuses to run (`MigrationError`, code `MIGRATION_CHECKSUM_MISMATCH`, naming the file).
 * Run it as the role that owns the tables, not as the app role.
 *
 * @example
 * import { migrateToLatest } from 'phonepe-billing/kysely';
 * const { applied } = await migrateToLatest(db);
 */
export async function migrateToLatest(db: Kysely<any>, options: MigrateOptions = {}): Promise<MigrateResult> {
  const logger = options.logger ?? silentLogger;
  const files = readMigrationFiles(options.migrationsFolder ?? findMigrationsFolder());
  const applied: string[] = [];
  for (;;) {
    const next = await applyNext(db, files, logger);
    if (next === null) break;
    applied.push(next);
    logger.info({ migration: next }, 'applied migration');
  }
  return { applied };
}

async function applyNext(db: Kysely<any>, files: readonly MigrationFile[], logger: Logger): Promise<string | null> {
  let current: MigrationFile | undefined;
  try {
    return await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY}::bigint)`.execute(trx);
      await sql`create table if not exists phonepe_billing_migrations (
        name text primary key, checksum text not null, applied_at timestamptz not null default now())`.execute(trx);
      const done = await readApplied(trx);
      checkApplied(files, done, logger);
      current = files.find((file) => !done.has(file.name));
      if (!current) return null;
      await sql.raw(current.sql).execute(trx);
      await sql`insert into phonepe_billing_migrations (name, checksum) values (${current.name}, ${current.checksum})`.execute(
        trx,
      );
      return current.name;
    });
  } catch (error) {
    if (error instanceof MigrationError) throw error;
    const mapped = mapPgError(error);
    if (mapped instanceof StoreUnavailableError || !current) throw mapped;
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(
      'MIGRATION_FAILED',
      `Migration ${current.name}.sql failed and was rolled back (${reason}); fix the cause and run migrate again.`,
      current.name,
      { cause: error },
    );
  }
}

async function readApplied(trx: Transaction<any>): Promise<Map<string, string>> {
  const result = await sql<{
    name: string;
    checksum: string;
  }>`select name, checksum from phonepe_billing_migrations`.execute(trx);
  return new Map(result.rows.map((row) => [row.name, row.checksum]));
}

function checkApplied(files: readonly MigrationFile[], done: ReadonlyMap<string, string>, logger: Logger): void {
  for (const file of files) {
    const checksum = done.get(file.name);
    if (checksum !== undefined && checksum !== file.checksum) {
      throw new MigrationError(
        'MIGRATION_CHECKSUM_MISMATCH',
        `Migration ${file.name}.sql was changed after it was applied to this database (checksum ${checksum.slice(0, 12)}… is now ${file.checksum.slice(0, 12)}…); restore the released file and put the change in a new migration.`,
        file.name,
      );
    }
  }
  const unknown = [...done.keys()].filter((name) => !files.some((file) => file.name === name));
  // A newer release migrated this database (e.g. during a rolling deploy): not an error here.
  if (unknown.length > 0)
    logger.warn({ migrations: unknown }, 'database has migrations this version of phonepe-billing does not know');
}
