import { brandError, hasErrorBrand } from '../../common/error-brand.js';
import { BILLING_ERROR_CODES, type BillingErrorCode } from './billing-error-codes.js';

/**
 * An error from `SubscriptionManager`: a stable `code`, the HTTP `status` it maps to, a message that
 * says what failed and what to do, and optional `details` safe to show the caller.
 *
 * @example
 * try { await billing.createCheckout(input); } catch (e) { if (isBillingError(e)) console.log(e.code, e.status); }
 */
export class BillingError extends Error {
  override readonly name: string = 'BillingError';
  readonly status: number;
  constructor(
    readonly code: BillingErrorCode,
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    brandError(this, 'BillingError');
    this.status = BILLING_ERROR_CODES[code];
    this.details = options?.details ?? {};
  }
  readonly details: Record<string, unknown>;
}

/** True when `error` is a {@link BillingError}, from whichever copy of the library threw it (the class carries a registry-wide brand). */
export function isBillingError(error: unknown): error is BillingError {
  return hasErrorBrand(error, 'BillingError');
}
