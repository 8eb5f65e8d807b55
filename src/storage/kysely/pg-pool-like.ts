import type { PostgresPool } from 'kysely';

/**
 * A pg-compatible pool (structural, so the public types do not need `@types/pg`): what Kysely's
 * `PostgresDialect` needs, plus `on('error')` when the pool has it.
 *
 * @example
 * const pool: PgPoolLike = new pg.Pool({ connectionString });
 */
export interface PgPoolLike extends PostgresPool {
  on?(event: 'error', listener: (error: Error) => void): unknown;
}
