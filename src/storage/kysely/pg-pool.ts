import type { PostgresPool } from 'kysely';
import type { Logger } from '../../common/logger.js';

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

/** The pg `Pool` events this needs (structural: no `@types/pg` in public types). */
interface EventfulPool {
  on(event: 'error', listener: (error: Error & { code?: string }) => void): unknown;
  on(
    event: 'connect',
    listener: (client: { on(event: 'error', listener: (error: Error & { code?: string }) => void): unknown }) => void,
  ): unknown;
}

/**
 * Logs connection errors of a pool the store created instead of letting them crash the host.
 * pg emits `error` on an idle pooled client (the pool's `error` event) and also on a checked-out
 * client whose connection dies between queries, e.g. idle in a transaction: that one has no
 * listener unless we attach one, and an unhandled `error` event kills the process. The failed
 * query itself still rejects, and the store reports it as `StoreUnavailableError`.
 *
 * @example
 * watchPoolErrors(pool, logger);
 */
export function watchPoolErrors(pool: EventfulPool, logger: Logger): void {
  const log = (error: Error & { code?: string }) =>
    logger.error(
      { code: error.code, message: error.message },
      'PostgreSQL connection failed; the pool will open a new one',
    );
  pool.on('error', log);
  pool.on('connect', (client) => {
    client.on('error', log);
  });
}
