import type { EmulatorCore } from './emulator-core.js';
import { assertMandateServedOn } from './mandate-family.js';
import { requireSubscription } from './order-lookup.js';
import { insertOrder } from './order-factory.js';
import { PhonePeEmulatorError } from './phonepe-emulator-error.js';
import { REDEMPTION_NOTICE_MS, REDEMPTION_WINDOW_MS } from './protocol-defaults.js';
import type { ApiFamily, MerchantRecord, OrderRecord } from './records.js';

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
