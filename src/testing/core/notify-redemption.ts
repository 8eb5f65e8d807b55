import type { EmulatorCore } from './emulator-core.js';
import { requireSubscription } from './order-lookup.js';
import { insertOrder } from './order-factory.js';
import { PhonePeEmulatorError } from './phonepe-emulator-error.js';
import { REDEMPTION_NOTICE_MS, REDEMPTION_WINDOW_MS } from './protocol-defaults.js';
import type { ApiFamily, MerchantRecord } from './records.js';

/** A validated notify body (§4.4). */
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
 * Sends a pre-debit notice (§4.4): the subscription must be ACTIVE and `amount` within its
 * `maxAmount` (else 417 `TRANSACTION_LIMIT_EXCEEDED`, §6). The order starts in
 * NOTIFICATION_IN_PROGRESS (both families; the API family's `PENDING` in [GUIDE] is UNCONFIRMED,
 * §9 item 8) and becomes NOTIFIED on the emulator's next step (any later request or control).
 */
export function notifyRedemption(core: EmulatorCore, merchant: MerchantRecord, input: NotifyInput, family: ApiFamily) {
  const flow = input.paymentFlow;
  const sub = requireSubscription(core, merchant.merchantId, flow.merchantSubscriptionId);
  if (sub.state !== 'ACTIVE') {
    throw new PhonePeEmulatorError(400, 'SUBSCRIPTION_NOT_ACTIVE', `Subscription ${sub.merchantSubscriptionId} is ${sub.state}; notify needs an ACTIVE subscription.`);
  }
  if (input.amount > sub.maxAmount) {
    throw new PhonePeEmulatorError(417, 'TRANSACTION_LIMIT_EXCEEDED', `Amount ${input.amount} exceeds the mandate maxAmount ${sub.maxAmount} of subscription ${sub.merchantSubscriptionId}.`);
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
  return { orderId: order.orderId, state: order.state, expireAt: order.expireAt };
}
