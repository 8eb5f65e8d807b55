import { brandError, hasErrorBrand } from '../common/error-brand.js';
import type { UnstorableProblem } from '../common/unstorable-text.js';

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

/**
 * What was wrong with a store operation's input: `invalid` (the record or query does not have the
 * shape the store accepts — a programming error in the caller) or one of the values no store can
 * hold (`nul_character`, `lone_surrogate`, `too_deep`; see `UnstorableProblem`).
 */
export type StoreInputProblem = 'invalid' | UnstorableProblem;

/**
 * A store refused an operation's input before writing or reading anything: a malformed record or
 * query, a string PostgreSQL cannot store (a NUL character or a lone UTF-16 surrogate), or JSON
 * nested deeper than `MAX_JSON_DEPTH`. Every store refuses the same input with this error (the
 * memory store included, though it could hold such strings), so code tested on one behaves the same
 * on the other. It is a `TypeError`: the transaction it happened in rolls back.
 *
 * @example
 * try { await billing.cancel(workspaceId, { reason }); }
 * catch (e) { if (isStoreInputError(e) && e.problem !== 'invalid') return badRequest(`${e.field}: ${e.problem}`); throw e; }
 */
export class StoreInputError extends TypeError {
  override readonly name = 'StoreInputError' as const;
  readonly code = 'STORE_INVALID_INPUT' as const;
  constructor(
    /** The store operation, e.g. `subscriptions.update`. */
    readonly operation: string,
    /** The offending field, as a dotted path into the operation's input (`cancellationReason`, `payload.note`). */
    readonly field: string,
    readonly problem: StoreInputProblem,
    message: string,
  ) {
    super(message);
    brandError(this, 'StoreInputError');
  }
}

/** True when `error` is a {@link StoreInputError}. */
export function isStoreInputError(error: unknown): error is StoreInputError {
  return hasErrorBrand(error, 'StoreInputError');
}

/**
 * A workspace-scoped transaction tried to write a row of another workspace (on PostgreSQL,
 * row-level security refused it).
 *
 * @example
 * await expect(store.transaction({ workspaceId: 'A' }, (tx) => tx.payments.insert({ ...p, workspaceId: 'B' }))).rejects.toThrow(StoreScopeError);
 */
export class StoreScopeError extends Error {
  override readonly name = 'StoreScopeError' as const;
  readonly code = 'STORE_SCOPE' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    brandError(this, 'StoreScopeError');
  }
}

/** True when `error` is a {@link StoreScopeError}, from whichever copy of the library threw it (the class carries a registry-wide brand). */
export function isStoreScopeError(error: unknown): error is StoreScopeError {
  return hasErrorBrand(error, 'StoreScopeError');
}

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

const WHAT: Record<StoreConstraint, string> = {
  primary_key: 'a row with this id already exists; generate a fresh id',
  payment_merchant_order_id: 'a payment with this merchant order id already exists; read it instead of inserting',
  payment_idempotency_key:
    'the workspace already has a payment with this idempotency key; read it instead of inserting',
  refund_merchant_refund_id: 'a refund with this merchant refund id already exists; use a new merchant refund id',
  refund_open_per_payment: 'the payment already has a pending or confirmed refund; wait for it to settle',
  subscription_live_per_workspace: 'the workspace already has a live subscription; update that one instead',
  subscription_merchant_subscription_id:
    'a subscription with this merchant subscription id already exists; use a new one',
  subscription_version: 'the subscription changed since it was read (or is not visible); read it again and retry',
};

/**
 * The one-sentence message of a `StoreConflictError`, the same from every store.
 *
 * @example
 * new StoreConflictError('payment_merchant_order_id', conflictMessage('payments.insert', 'payment_merchant_order_id', 'ORD1'));
 */
export function conflictMessage(operation: string, constraint: StoreConstraint, id: string): string {
  return `${operation} for ${id} was refused (${constraint}): ${WHAT[constraint]}.`;
}
