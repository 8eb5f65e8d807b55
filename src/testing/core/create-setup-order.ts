import { applyOutcome } from './apply-outcome.js';
import { insertMandate } from './create-checkout-order.js';
import type { EmulatorCore } from './emulator-core.js';
import type { MandateInput } from './mandate-input.js';
import { assertNewSubscriptionId, insertOrder } from './order-factory.js';
import { DEFAULT_SETUP_ORDER_TTL_MS } from './protocol-defaults.js';
import type { MerchantRecord, OrderRecord } from './records.js';
import { upiMandateIntentUrl } from './upi-mandate-intent-url.js';

/** A validated `/subscriptions/v2/setup` body (docs/phonepe-protocol.md#autopay-api-setup). */
export interface SetupOrderInput {
  merchantOrderId: string;
  amount: number;
  expireAt?: number;
  metaInfo?: Record<string, string>;
  paymentFlow: MandateInput & {
    type: 'SUBSCRIPTION_SETUP';
    paymentMode: { type: 'UPI_INTENT' | 'UPI_COLLECT' };
  };
}

/**
 * Creates an API-family mandate setup (docs/phonepe-protocol.md#autopay-api-setup). UPI_INTENT answers with an `intentUrl`
 * (`upi://mandate?…`); UPI_COLLECT with none (the payer approves in their UPI app). Either way the
 * approval comes from `emu.completeOrder`, the control route, or the hosted page the control API reports.
 * `expireAt` is in the answer only in the `documented` shape: PhonePe's Go SDK fixture has none.
 */
export function createSetupOrder(core: EmulatorCore, merchant: MerchantRecord, input: SetupOrderInput) {
  const flow = input.paymentFlow;
  assertNewSubscriptionId(core, merchant.merchantId, flow.merchantSubscriptionId);
  const order: OrderRecord = insertOrder(core, {
    merchantId: merchant.merchantId,
    merchantOrderId: input.merchantOrderId,
    kind: 'SUBSCRIPTION_SETUP',
    family: 'subscriptions',
    flowType: flow.type,
    amount: input.amount,
    expireAt: input.expireAt ?? core.clock.now() + DEFAULT_SETUP_ORDER_TTL_MS,
    metaInfo: input.metaInfo,
    merchantSubscriptionId: flow.merchantSubscriptionId,
    setupPaymentMode: flow.paymentMode.type,
  });
  insertMandate(core, order, flow, 'subscriptions');
  const created = {
    orderId: order.orderId,
    state: order.state,
    ...(core.config.responseShape === 'documented' ? { expireAt: order.expireAt } : {}),
  };
  applyOutcome(core, order);
  return flow.paymentMode.type === 'UPI_INTENT' ? { ...created, intentUrl: upiMandateIntentUrl(order, flow) } : created;
}
