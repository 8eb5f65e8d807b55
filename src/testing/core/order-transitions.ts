import type { EmulatorCore } from './emulator-core.js';
import { scopedKey } from './emulator-state.js';
import { emitAttemptFailed, emitOrderSettled } from './order-events.js';
import { PhonePeEmulatorError } from './phonepe-emulator-error.js';
import type { FailureDetails, OrderRecord, PaymentAttemptRecord, PaymentMode } from './records.js';
import { activateSubscription, failSubscriptionSetup } from './subscription-transitions.js';

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
