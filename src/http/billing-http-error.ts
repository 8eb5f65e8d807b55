import { brandError, hasErrorBrand } from '../common/error-brand.js';
import { HTTP_ERROR_CODES, type HttpErrorCode } from './http-error-codes.js';

/**
 * A request the HTTP layer refuses before billing runs (authentication, routing, body parsing).
 * Its `status` comes from `HTTP_ERROR_CODES`; `billingErrorResponse` turns it into the JSON error body.
 *
 * @example
 * throw new BillingHttpError('FORBIDDEN', 'Your role "member" may not cancel the subscription of workspace ws_1; ask an owner.');
 */
export class BillingHttpError extends Error {
  override readonly name = 'BillingHttpError' as const;
  readonly status: number;
  readonly details: Record<string, unknown>;
  /** Extra response headers, e.g. `Allow` on a 405. */
  readonly headers: Record<string, string>;
  constructor(
    readonly code: HttpErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    brandError(this, 'BillingHttpError');
    this.status = HTTP_ERROR_CODES[code];
    this.details = options.details ?? {};
    this.headers = options.headers ?? {};
  }
}

/**
 * True when `error` is a {@link BillingHttpError}.
 *
 * @example
 * if (isBillingHttpError(error) && error.code === 'FORBIDDEN') audit(error.message);
 */
export function isBillingHttpError(error: unknown): error is BillingHttpError {
  return hasErrorBrand(error, 'BillingHttpError');
}
