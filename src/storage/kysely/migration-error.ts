import { brandError, hasErrorBrand } from '../../common/error-brand.js';
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
