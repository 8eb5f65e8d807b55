import { PhonePeEmulatorError } from '../errors.js';
import { emitWebhook, type EmulatorCore, outcomeFor, scopedKey } from './emulator-core.js';
import type { FailureDetails, OrderRecord, PaymentAttemptRecord, PaymentMode } from './records.js';
import { activateSubscription, failSubscriptionSetup } from './subscription-transitions.js';
import { orderView } from './views.js';

/**
 * Webhooks for an order reaching COMPLETED or FAILED (docs/phonepe-protocol.md#webhook-events): checkout and SC-autopay setup →
 * `checkout.order.*`; API-family setup → `subscription.setup.order.*`; redemption →
 * `subscription.redemption.transaction.*` (when a debit was attempted) then `subscription.redemption.order.*`.
 */
export function emitOrderSettled(core: EmulatorCore, order: OrderRecord, outcome: 'completed' | 'failed'): void {
  const payload = orderView(core, order, { details: true, webhook: true });
  for (const event of settledEvents(order, outcome)) emitWebhook(core, order.merchantId, event, payload);
}

function settledEvents(order: OrderRecord, outcome: 'completed' | 'failed'): string[] {
  if (order.kind === 'REDEMPTION') {
    const attempted = order.attempts.length > 0;
    return [
      ...(attempted ? [`subscription.redemption.transaction.${outcome}`] : []),
      `subscription.redemption.order.${outcome}`,
    ];
  }
  if (order.kind === 'SUBSCRIPTION_SETUP' && order.family === 'subscriptions')
    return [`subscription.setup.order.${outcome}`];
  return [`checkout.order.${outcome}`];
}

/** `checkout.transaction.attempt.failed`: an attempt failed, the order is still PENDING (docs/phonepe-protocol.md#webhook-events). */
export function emitAttemptFailed(core: EmulatorCore, order: OrderRecord): void {
  if (order.family !== 'checkout') return;
  emitWebhook(
    core,
    order.merchantId,
    'checkout.transaction.attempt.failed',
    orderView(core, order, { details: true, webhook: true }),
  );
}

/** Adds a payment attempt (and indexes its transaction id). */
export function addAttempt(
  core: EmulatorCore,
  order: OrderRecord,
  paymentMode: PaymentMode,
  at: number,
): PaymentAttemptRecord {
  const attempt: PaymentAttemptRecord = {
    transactionId: core.ids.transactionId(),
    paymentMode,
    timestamp: at,
    amount: order.amount,
    state: 'PENDING',
    utr: core.ids.utr(),
  };
  order.attempts.push(attempt);
  core.state.transactions.set(attempt.transactionId, scopedKey(order.merchantId, order.merchantOrderId));
  return attempt;
}

function pendingAttempt(order: OrderRecord): PaymentAttemptRecord | undefined {
  return order.attempts.find((a) => a.state === 'PENDING');
}

function assertPending(order: OrderRecord, action: string): void {
  if (order.state === 'PENDING') return;
  throw new PhonePeEmulatorError(
    409,
    'INVALID_ORDER_STATE',
    `Cannot ${action} order ${order.merchantOrderId}: it is ${order.state}, and only a PENDING order can change; create a new order instead.`,
  );
}

/** Payer paid: the pending attempt (or a new one) and the order become COMPLETED, with webhooks. */
export function completeOrder(
  core: EmulatorCore,
  order: OrderRecord,
  paymentMode: PaymentMode,
  at = core.clock.now(),
): void {
  assertPending(order, 'complete');
  const attempt = pendingAttempt(order) ?? addAttempt(core, order, paymentMode, at);
  attempt.state = 'COMPLETED';
  attempt.timestamp = at;
  order.state = 'COMPLETED';
  delete order.failure;
  if (order.kind === 'SUBSCRIPTION_SETUP') activateSubscription(core, order);
  emitOrderSettled(core, order, 'completed');
}

/**
 * The order fails. `withAttempt` records a failed attempt (the payer tried); expiry does not.
 * A setup order takes its subscription down to FAILED.
 */
export function failOrder(
  core: EmulatorCore,
  order: OrderRecord,
  failure: FailureDetails,
  options: { withAttempt: boolean; paymentMode: PaymentMode; at?: number },
): void {
  assertPending(order, 'fail');
  const at = options.at ?? core.clock.now();
  const attempt =
    pendingAttempt(order) ?? (options.withAttempt ? addAttempt(core, order, options.paymentMode, at) : undefined);
  if (attempt) {
    attempt.state = 'FAILED';
    attempt.failure = failure;
    attempt.timestamp = at;
  }
  order.state = 'FAILED';
  order.failure = failure;
  if (order.kind === 'SUBSCRIPTION_SETUP') failSubscriptionSetup(core, order);
  emitOrderSettled(core, order, 'failed');
}

/** One attempt fails and the payer may retry: the order stays PENDING (docs/phonepe-protocol.md#webhook-events attempt.failed). */
export function failAttempt(
  core: EmulatorCore,
  order: OrderRecord,
  failure: FailureDetails,
  paymentMode: PaymentMode,
): void {
  assertPending(order, 'fail an attempt of');
  if (order.kind === 'REDEMPTION') {
    throw new PhonePeEmulatorError(
      409,
      'INVALID_ORDER_STATE',
      `Order ${order.merchantOrderId} is a redemption; use failOrder to fail its debit.`,
    );
  }
  const attempt = pendingAttempt(order) ?? addAttempt(core, order, paymentMode, core.clock.now());
  attempt.state = 'FAILED';
  attempt.failure = failure;
  emitAttemptFailed(core, order);
}

/** The payer started paying but the bank has not answered: a PENDING attempt (outcome `pending`). */
export function startAttempt(core: EmulatorCore, order: OrderRecord, paymentMode: PaymentMode): void {
  assertPending(order, 'start a payment on');
  if (!pendingAttempt(order)) addAttempt(core, order, paymentMode, core.clock.now());
}

/**
 * Failure codes the emulator uses, with the stage/source pairs PhonePe documents for them
 * (docs/phonepe-protocol.md#errors, developer.phonepe.com/payment-gateway/error-codes).
 */
export const KNOWN_FAILURES = {
  /** Default for `failOrder` and the hosted page's Fail button. */
  declined: {
    errorCode: 'INSUFFICIENT_BALANCE',
    detailedErrorCode: 'Z9',
    stage: 'AUTHORIZATION',
    source: 'CUSTOMER',
    description: 'Payment failed due to insufficient balance in customer account.',
  },
  /** The payer cancelled on the hosted page. */
  cancelled: {
    errorCode: 'TXN_NOT_COMPLETED',
    detailedErrorCode: 'TXN_AUTO_FAILED',
    stage: 'PRE_AUTHENTICATION',
    source: 'CUSTOMER',
    description: 'Payment could not be completed by the customer.',
  },
  /** Nobody paid before `expireAt` (the autopay order-status sample, docs/phonepe-protocol.md#order-status). */
  expired: {
    errorCode: 'OTHERS',
    detailedErrorCode: 'INTENT_EXPIRED',
    stage: 'PRE_AUTHENTICATION',
    source: 'CUSTOMER',
    description: 'The payment request expired before the customer completed it.',
  },
  invalidMpin: {
    errorCode: 'INVALID_MPIN',
    detailedErrorCode: 'ZM',
    stage: 'AUTHENTICATION',
    source: 'CUSTOMER',
    description: 'Customer entered the wrong UPI PIN.',
  },
  bankTechnicalIssue: {
    errorCode: 'BANK_TECHNICAL_ISSUE',
    detailedErrorCode: 'UT',
    stage: 'AUTHORIZATION',
    source: 'ISSUING_BANK',
    description: 'Technical issue at the customer bank.',
  },
  /** A refund the bank refused (emulator choice; PhonePe documents no refund failure codes for v2). */
  refundFailed: {
    errorCode: 'REFUND_FAILED',
    detailedErrorCode: 'REFUND_DECLINED_BY_BANK',
    stage: 'REFUND',
    source: 'ISSUING_BANK',
    description: 'The bank did not accept the refund.',
  },
} as const satisfies Record<string, FailureDetails>;

/**
 * The failure to record for a control call: the known entry for `errorCode` when there is one,
 * otherwise the given codes as they are.
 */
export function failureFor(errorCode?: string, detailedErrorCode?: string): FailureDetails {
  if (!errorCode) return { ...KNOWN_FAILURES.declined, ...(detailedErrorCode ? { detailedErrorCode } : {}) };
  const known = Object.values(KNOWN_FAILURES).find((f) => f.errorCode === errorCode);
  if (known) return { ...known, ...(detailedErrorCode ? { detailedErrorCode } : {}) };
  return { errorCode, detailedErrorCode: detailedErrorCode ?? errorCode };
}

/**
 * Settles a just-created order (or a just-executed redemption) when the merchant's outcome says so:
 * `success` → COMPLETED, `failure` → FAILED, `manual`/`pending` → left PENDING for a person, a
 * control call or expiry.
 */
export function applyOutcome(core: EmulatorCore, order: OrderRecord): void {
  const outcome = outcomeFor(core, order.merchantId);
  const paymentMode = defaultPaymentMode(order);
  if (outcome === 'success') completeOrder(core, order, paymentMode);
  if (outcome === 'failure') failOrder(core, order, KNOWN_FAILURES.declined, { withAttempt: true, paymentMode });
}

/** The mode a control call or outcome uses when none is given. */
export function defaultPaymentMode(order: OrderRecord): PaymentMode {
  if (order.kind === 'REDEMPTION') return 'UPI_AUTO_PAY';
  return order.setupPaymentMode ?? 'UPI_INTENT';
}
