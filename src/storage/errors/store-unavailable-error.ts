import { brandError, hasErrorBrand } from '../../common/error-brand.js';
/**
 * The database could not be reached or did not answer (connection refused, terminated, timed out).
 * The HTTP layer answers 503 for it, so PhonePe retries a webhook.
 *
 * @example
 * if (isStoreUnavailableError(e)) return new Response(null, { status: 503 });
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError' as const;
  readonly code = 'STORE_UNAVAILABLE' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    brandError(this, 'StoreUnavailableError');
  }
}

/** True when `error` is a {@link StoreUnavailableError}, from whichever copy of the library threw it (the class carries a registry-wide brand). */
export function isStoreUnavailableError(error: unknown): error is StoreUnavailableError {
  return hasErrorBrand(error, 'StoreUnavailableError');
}
