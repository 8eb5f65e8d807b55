import type { OrderStatus } from '../schemas/order-status.js';
import { PHONEPE_CLIENT_ERROR_CODES } from './error-codes.js';
import { isPhonePeError, PhonePeError } from './phonepe-error.js';

/**
 * The client methods that create something at PhonePe and are therefore never re-sent blindly.
 */
export type PhonePeCreatingOperation =
  | 'pay'
  | 'createSdkOrder'
  | 'refund'
  | 'subscriptions.setup'
  | 'subscriptions.notifyRedemption'
  | 'subscriptions.executeRedemption';

/** What a {@link PhonePeOutcomeUnknownError} is built from. */
export interface PhonePeOutcomeUnknownDetails {
  message: string;
  operation: PhonePeCreatingOperation;
  merchantOrderId?: string | undefined;
  merchantRefundId?: string | undefined;
  created: boolean | null;
  existing?: OrderStatus | undefined;
  /** The creating call's own failure (timeout, network error, 5xx, unreadable answer, duplicate id). */
  cause: unknown;
  statusCheckError?: unknown;
}

/**
 * A creating call (pay, createSdkOrder, refund, subscriptions.setup/notifyRedemption/
 * executeRedemption) failed without PhonePe's explicit refusal — a timeout, a dropped connection, a
 * 5xx, an answer that could not be read, or "this id was already used" — and the client asked the
 * matching status endpoint what happened instead of re-sending it. `created` says what it learnt:
 *
 * - `true`: PhonePe has the order (`existing` is its status) but the answer — the payment URL or
 *   SDK token — was lost. Create a new order with a new merchantOrderId.
 * - `false`: PhonePe has no record of it. Retrying with the same id is safe (`retryable` is true).
 * - `null`: the status check failed too (`statusCheckError`); check the status later before retrying.
 *
 * @example
 * catch (error) {
 *   if (isPhonePeOutcomeUnknownError(error) && error.created === false) return client.pay(request);
 * }
 */
export class PhonePeOutcomeUnknownError extends PhonePeError {
  override readonly name = 'PhonePeOutcomeUnknownError' as const;
  readonly operation: PhonePeCreatingOperation;
  readonly merchantOrderId: string | undefined;
  readonly merchantRefundId: string | undefined;
  /** `true` it exists at PhonePe, `false` it does not, `null` unknown. */
  readonly created: boolean | null;
  /** The order status PhonePe reported, when `created` is true (or the order exists without an attempt). */
  readonly existing: OrderStatus | undefined;
  /** Why the status check itself failed, when `created` is null. */
  readonly statusCheckError: unknown;

  constructor(details: PhonePeOutcomeUnknownDetails) {
    const failure = isPhonePeError(details.cause) ? details.cause : undefined;
    super({
      message: details.message,
      code: PHONEPE_CLIENT_ERROR_CODES.outcomeUnknown,
      status: failure?.status,
      retryable: details.created === false,
      httpMethod: failure?.httpMethod,
      path: failure?.path,
      cause: details.cause,
    });
    this.operation = details.operation;
    this.merchantOrderId = details.merchantOrderId;
    this.merchantRefundId = details.merchantRefundId;
    this.created = details.created;
    this.existing = details.existing;
    this.statusCheckError = details.statusCheckError;
  }
}

/** True when `error` is a {@link PhonePeOutcomeUnknownError}. */
export function isPhonePeOutcomeUnknownError(error: unknown): error is PhonePeOutcomeUnknownError {
  return isPhonePeError(error) && error.name === 'PhonePeOutcomeUnknownError';
}
