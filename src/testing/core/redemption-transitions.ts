import { emitWebhook, type EmulatorCore } from './emulator-core.js';
import { applyOutcome } from './apply-outcome.js';
import { addAttempt } from './order-transitions.js';
import { emitOrderSettled } from './order-events.js';
import { orderView } from './order-view.js';
import { PhonePeEmulatorError } from './phonepe-emulator-error.js';
import { REDEMPTION_NOTICE_MS, REDEMPTION_WINDOW_MS } from './protocol-defaults.js';
import type { FailureDetails, OrderRecord } from './records.js';
import { findSubscription } from './order-lookup.js';

/**
 * The pre-debit notice went out: NOTIFIED, `validAfter = notifiedAt + 24 h`, `validUpto =
 * validAfter + 72 h` (docs/phonepe-protocol.md#notify), and `expireAt` follows `validUpto` unless the merchant set it.
 * `notifiedAt` is the time of the notify call, so the 24 h count starts when the merchant asked.
 */
export function markNotified(core: EmulatorCore, order: OrderRecord): void {
  const r = order.redemption;
  if (!r || order.state !== 'NOTIFICATION_IN_PROGRESS') return;
  r.notifiedAt = order.createdAt;
  r.validAfter = r.notifiedAt + REDEMPTION_NOTICE_MS;
  r.validUpto = r.validAfter + REDEMPTION_WINDOW_MS;
  if (!r.explicitExpireAt) order.expireAt = r.validUpto;
  order.state = 'NOTIFIED';
  emitWebhook(
    core,
    order.merchantId,
    'subscription.notification.completed',
    orderView(core, order, { details: true, webhook: true }),
  );
}

/** The notice could not be sent: FAILED and `subscription.notification.failed` (docs/phonepe-protocol.md#webhook-events). */
export function failNotification(core: EmulatorCore, order: OrderRecord, failure: FailureDetails): void {
  order.state = 'FAILED';
  order.failure = failure;
  emitWebhook(
    core,
    order.merchantId,
    'subscription.notification.failed',
    orderView(core, order, { details: true, webhook: true }),
  );
}

/**
 * Checks PhonePe's redeem rules (docs/phonepe-protocol.md#notify) and refuses with a clear code: the window is open from
 * `validAfter` (24 h after the notice) to `validUpto`; the order must be NOTIFIED and not yet
 * executed; `autoDebit` orders are debited by PhonePe itself; the mandate must be ACTIVE.
 */
export function assertRedeemable(core: EmulatorCore, order: OrderRecord): void {
  const r = order.redemption;
  const refuse = (code: string, message: string) => new PhonePeEmulatorError(400, code, message);
  if (order.kind !== 'REDEMPTION' || !r)
    throw refuse(
      'INVALID_ORDER_STATE',
      `Order ${order.merchantOrderId} is not a notified redemption order; call notify first.`,
    );
  const now = core.clock.now();
  if (r.validUpto !== undefined && now > r.validUpto) {
    throw refuse(
      'REDEMPTION_WINDOW_CLOSED',
      `The redemption window of order ${order.merchantOrderId} closed at validUpto ${r.validUpto}; send a new notify.`,
    );
  }
  if (order.state !== 'NOTIFIED')
    throw refuse(
      'INVALID_ORDER_STATE',
      `Order ${order.merchantOrderId} is ${order.state}; only a NOTIFIED order can be redeemed.`,
    );
  if (r.autoDebit)
    throw refuse(
      'AUTO_DEBIT_ENABLED',
      `Order ${order.merchantOrderId} was notified with autoDebit: true; PhonePe debits it itself after validAfter.`,
    );
  const sub = order.merchantSubscriptionId
    ? findSubscription(core, order.merchantId, order.merchantSubscriptionId)
    : undefined;
  if (sub?.state !== 'ACTIVE')
    throw refuse(
      'SUBSCRIPTION_NOT_ACTIVE',
      `Subscription ${order.merchantSubscriptionId} is ${sub?.state ?? 'missing'}; redeem needs an ACTIVE subscription.`,
    );
  if (r.validAfter !== undefined && now < r.validAfter) {
    throw refuse(
      'REDEMPTION_WINDOW_NOT_OPEN',
      `Order ${order.merchantOrderId} can be redeemed from validAfter ${r.validAfter} (24 hours after the notification); try again then.`,
    );
  }
}

/** Starts the debit: a PENDING `UPI_AUTO_PAY` attempt, then the merchant's outcome. */
export function executeRedemption(core: EmulatorCore, order: OrderRecord, at = core.clock.now()): void {
  order.state = 'PENDING';
  addAttempt(core, order, 'UPI_AUTO_PAY', at);
  applyOutcome(core, order);
}

/** A NOTIFIED order nobody redeemed before `expireAt`: FAILED, `subscription.redemption.order.failed`. */
export function expireUnexecutedRedemption(core: EmulatorCore, order: OrderRecord, failure: FailureDetails): void {
  order.state = 'FAILED';
  order.failure = failure;
  emitOrderSettled(core, order, 'failed');
}
