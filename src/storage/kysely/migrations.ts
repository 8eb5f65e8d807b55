import { type Kysely, sql, type Transaction } from 'kysely';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brandError, hasErrorBrand } from '../../common/error-brand.js';
import { type Logger, silentLogger } from '../../common/logger.js';
import { StoreUnavailableError } from '../errors.js';
import { mapPgError } from './errors.js';

/** Why `migrateToLatest` stopped. */
export const MIGRATION_ERROR_CODES = [
  'MIGRATIONS_NOT_FOUND',
  'MIGRATION_CHECKSUM_MISMATCH',
  'MIGRATION_FAILED',
] as const;
/** Why a migration run failed; the `code` of a `MigrationError`. */
export type MigrationErrorCode = (typeof MIGRATION_ERROR_CODES)[number];

/**
 * A migration could not be applied: the migrations folder is missing, an applied file was edited
 * afterwards (its checksum changed), or a file's SQL failed (that file's transaction was rolled
 * back; earlier files stay applied). `migration` names the file when there is one.
 *
 * @example
 * try { await migrateToLatest(db); } catch (e) { if (isMigrationError(e)) console.error(e.code, e.migration); }
 */
export class MigrationError extends Error {
  override readonly name = 'MigrationError' as const;
  constructor(
    readonly code: MigrationErrorCode,
    message: string,
    readonly migration: string | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    brandError(this, 'MigrationError');
  }
}

/** True when `error` is a {@link MigrationError}, from whichever copy of the library threw it (the class carries a registry-wide brand). */
export function isMigrationError(error: unknown): error is MigrationError {
  return hasErrorBrand(error, 'MigrationError');
}

/** One `migrations/NNN_verb_noun.sql` file. */
export interface MigrationFile {
  /** The file name without `.sql`, e.g. `001_create_billing_tables` (what the migrations table records). */
  name: string;
  sql: string;
  /** sha256 of the file with line endings normalised (a CRLF checkout is not a change). */
  checksum: string;
}

const FILE_PATTERN = /^(\d{3})_[a-z0-9_]+\.sql$/;

// Where the package's migrations/ folder is, seen from this module: bundled into dist/ (the
// package ships dist/ and migrations/ side by side), or run from source in src/storage/kysely/.
const CANDIDATES = ['../migrations/', '../../../migrations/'];

/**
 * The migrations folder shipped with the package.
 *
 * @example
 * findMigrationsFolder(); // '/app/node_modules/phonepe-billing/migrations'
 */
export function findMigrationsFolder(): string {
  const tried = CANDIDATES.map((relative) => resolve(fileURLToPath(new URL(relative, import.meta.url))));
  const found = tried.find(
    (folder) => existsSync(folder) && readdirSync(folder).some((file) => FILE_PATTERN.test(file)),
  );
  if (!found) {
    throw new MigrationError(
      'MIGRATIONS_NOT_FOUND',
      `No migrations folder was found (looked in ${tried.join(', ')}); reinstall phonepe-billing or pass migrationsFolder.`,
    );
  }
  return found;
}

/**
 * Reads every `NNN_verb_noun.sql` file of `folder`, in order.
 *
 * @example
 * const files = readMigrationFiles(findMigrationsFolder());
 */
export function readMigrationFiles(folder: string): MigrationFile[] {
  const names = readdirSync(folder)
    .filter((file) => FILE_PATTERN.test(file))
    .sort();
  if (names.length === 0)
    throw new MigrationError(
      'MIGRATIONS_NOT_FOUND',
      `${folder} holds no NNN_verb_noun.sql migration files; check the path.`,
    );
  return names.map((file) => {
    const sql = readFileSync(join(folder, file), 'utf8');
    const checksum = createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
    return { name: file.slice(0, -'.sql'.length), sql, checksum };
  });
}

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
