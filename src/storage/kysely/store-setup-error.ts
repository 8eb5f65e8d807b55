import { brandError, hasErrorBrand } from '../../common/error-brand.js';
/**
 * The database is not set up for the store: the billing tables do not exist (the migrations were not
 * run), or the connection's role lacks the grants on them. `fix` says what to run; the driver's error
 * is the `cause`.
 *
 * @example
 * try { await store.transaction({ workspaceId: 'ws_1' }, fn); } catch (e) { if (isStoreSetupError(e)) logger.error({ fix: e.fix }, e.message); }
 */
export class StoreSetupError extends Error {
  override readonly name = 'StoreSetupError' as const;
  readonly code = 'STORE_SETUP' as const;
  constructor(
    message: string,
    /** What fixes it: the command or SQL to run. */
    readonly fix: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    brandError(this, 'StoreSetupError');
  }
}

/** True when `error` is a {@link StoreSetupError}. */
export function isStoreSetupError(error: unknown): error is StoreSetupError {
  return hasErrorBrand(error, 'StoreSetupError');
}
