import { brandError, hasErrorBrand } from '../../common/error-brand.js';
/** The unique constraints and checks that carry the billing layer's idempotency. */
export const STORE_CONSTRAINTS = [
  /** A payment, refund, subscription or audit entry with this `id` already exists: ids must be fresh. */
  'primary_key',
  'payment_merchant_order_id',
  'payment_idempotency_key',
  'refund_merchant_refund_id',
  'refund_open_per_payment',
  'subscription_live_per_workspace',
  'subscription_merchant_subscription_id',
  'subscription_version',
] as const;
/** The uniqueness rules a store enforces; a `StoreConflictError` names the one that was hit. */
export type StoreConstraint = (typeof STORE_CONSTRAINTS)[number];

/**
 * A write lost to a uniqueness rule or an optimistic version check. The transaction it happened in
 * is rolled back (on PostgreSQL the error aborts it); callers may retry with fresh reads.
 *
 * @example
 * try { await tx.payments.insert(p); } catch (e) { if (isStoreConflictError(e) && e.constraint === 'payment_idempotency_key') … }
 */
export class StoreConflictError extends Error {
  override readonly name = 'StoreConflictError' as const;
  readonly code = 'STORE_CONFLICT' as const;
  constructor(
    readonly constraint: StoreConstraint,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    brandError(this, 'StoreConflictError');
  }
}

/** True when `error` is a {@link StoreConflictError}, from whichever copy of the library threw it (the class carries a registry-wide brand). */
export function isStoreConflictError(error: unknown): error is StoreConflictError {
  return hasErrorBrand(error, 'StoreConflictError');
}
