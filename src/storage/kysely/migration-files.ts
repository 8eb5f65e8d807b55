import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MigrationError } from './migration-error.js';

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
