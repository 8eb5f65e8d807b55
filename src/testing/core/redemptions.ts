import { PhonePeEmulatorError } from '../errors.js';
import { emitWebhook, type EmulatorCore } from './emulator-core.js';
import { addAttempt, applyOutcome, emitOrderSettled } from './order-transitions.js';
import { assertMandateServedOn, findSubscription, insertOrder, requireSubscription } from './orders.js';
import { REDEMPTION_NOTICE_MS, REDEMPTION_WINDOW_MS } from './protocol-defaults.js';
import type { ApiFamily, FailureDetails, MerchantRecord, OrderRecord } from './records.js';
import { orderView } from './views.js';

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

/** A validated notify body (docs/phonepe-protocol.md#notify). */
export interface NotifyInput {
  merchantOrderId: string;
  amount: number;
  expireAt?: number;
  metaInfo?: Record<string, string>;
  paymentFlow: {
    type: 'SUBSCRIPTION_REDEMPTION' | 'SUBSCRIPTION_CHECKOUT_REDEMPTION';
    merchantSubscriptionId: string;
    redemptionRetryStrategy?: string;
    autoDebit?: boolean;
  };
}

/**
 * Sends a pre-debit notice (docs/phonepe-protocol.md#notify): the subscription must be ACTIVE and
 * `amount` within its `maxAmount` (else 417 `TRANSACTION_LIMIT_EXCEEDED`). The order starts in
 * NOTIFICATION_IN_PROGRESS and becomes NOTIFIED on the emulator's next step (any later request or
 * control); see {@link notifyAnswer} for what the call answers.
 */
export function notifyRedemption(
  core: EmulatorCore,
  merchant: MerchantRecord,
  input: NotifyInput,
  family: ApiFamily,
): OrderRecord {
  const flow = input.paymentFlow;
  const sub = requireSubscription(core, merchant.merchantId, flow.merchantSubscriptionId);
  assertMandateServedOn(core, sub, family, 'subscription');
  if (sub.state !== 'ACTIVE') {
    throw new PhonePeEmulatorError(
      400,
      'SUBSCRIPTION_NOT_ACTIVE',
      `Subscription ${sub.merchantSubscriptionId} is ${sub.state}; notify needs an ACTIVE subscription.`,
    );
  }
  if (input.amount > sub.maxAmount) {
    throw new PhonePeEmulatorError(
      417,
      'TRANSACTION_LIMIT_EXCEEDED',
      `Amount ${input.amount} exceeds the mandate maxAmount ${sub.maxAmount} of subscription ${sub.merchantSubscriptionId}.`,
    );
  }
  const now = core.clock.now();
  const order = insertOrder(core, {
    merchantId: merchant.merchantId,
    merchantOrderId: input.merchantOrderId,
    kind: 'REDEMPTION',
    family,
    flowType: flow.type,
    amount: input.amount,
    state: 'NOTIFICATION_IN_PROGRESS',
    expireAt: input.expireAt ?? now + REDEMPTION_NOTICE_MS + REDEMPTION_WINDOW_MS,
    metaInfo: input.metaInfo,
    merchantSubscriptionId: sub.merchantSubscriptionId,
    redemption: {
      redemptionRetryStrategy: flow.redemptionRetryStrategy ?? 'STANDARD',
      autoDebit: flow.autoDebit ?? false,
      explicitExpireAt: input.expireAt !== undefined,
    },
  });
  return order;
}

/**
 * The notify answer. The API family answers `PENDING`, as PhonePe's SDK fixtures do; the checkout
 * family `NOTIFICATION_IN_PROGRESS`, as its doc samples do (docs/phonepe-protocol.md#unsettled-notify-state).
 * `expireAt` only in the `documented` shape: no fixture carries it.
 */
export function notifyAnswer(core: EmulatorCore, order: OrderRecord, family: ApiFamily): Record<string, unknown> {
  const state = family === 'subscriptions' ? 'PENDING' : order.state;
  return core.config.responseShape === 'documented'
    ? { orderId: order.orderId, state, expireAt: order.expireAt }
    : { orderId: order.orderId, state };
}
