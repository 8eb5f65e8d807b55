import { applyOutcome } from './apply-outcome.js';
import type { EmulatorCore } from './emulator-core.js';
import type { MandateInput } from './mandate-input.js';
import { assertNewSubscriptionId, hostedPageUrl, insertOrder, insertSubscription } from './order-factory.js';
import { DEFAULT_EXPIRE_AFTER_SECONDS, DEFAULT_SUBSCRIPTION_TTL_MS } from './protocol-defaults.js';
import type { MerchantRecord, OrderRecord } from './records.js';

/** A validated `/checkout/v2/pay` or `/checkout/v2/sdk/order` body (docs/phonepe-protocol.md#checkout-pay, #sdk-order, #autopay-checkout-setup). */
export interface CheckoutOrderInput {
  merchantOrderId: string;
  amount: number;
  expireAfter?: number;
  metaInfo?: Record<string, string>;
  paymentFlow: {
    type: 'PG_CHECKOUT' | 'SUBSCRIPTION_CHECKOUT_SETUP';
    merchantUrls?: { redirectUrl?: string; cancelRedirectUrl?: string };
    subscriptionDetails?: MandateInput;
  };
}

/**
 * Creates a standard-checkout order — a payment, or (SUBSCRIPTION_CHECKOUT_SETUP) a mandate setup
 * with its subscription — and settles it at once when the merchant's outcome says so.
 * Returns PhonePe's pay response: `orderId`, `state`, `expireAt`, `redirectUrl` (and the SDK `token`).
 */
export function createCheckoutOrder(core: EmulatorCore, merchant: MerchantRecord, input: CheckoutOrderInput) {
  const details =
    input.paymentFlow.type === 'SUBSCRIPTION_CHECKOUT_SETUP' ? input.paymentFlow.subscriptionDetails : undefined;
  if (details) assertNewSubscriptionId(core, merchant.merchantId, details.merchantSubscriptionId);
  const order = insertOrder(core, {
    merchantId: merchant.merchantId,
    merchantOrderId: input.merchantOrderId,
    kind: details ? 'SUBSCRIPTION_SETUP' : 'CHECKOUT',
    family: 'checkout',
    flowType: input.paymentFlow.type,
    amount: input.amount,
    expireAt: core.clock.now() + (input.expireAfter ?? DEFAULT_EXPIRE_AFTER_SECONDS) * 1_000,
    metaInfo: input.metaInfo,
    redirectUrl: input.paymentFlow.merchantUrls?.redirectUrl,
    cancelRedirectUrl: input.paymentFlow.merchantUrls?.cancelRedirectUrl,
    merchantSubscriptionId: details?.merchantSubscriptionId,
  });
  if (details) insertMandate(core, order, details, 'checkout');
  const created = { orderId: order.orderId, state: order.state, expireAt: order.expireAt };
  applyOutcome(core, order);
  return { ...created, redirectUrl: hostedPageUrl(core, order), token: order.pageToken };
}

/** Stores the mandate a setup order will activate. */
export function insertMandate(
  core: EmulatorCore,
  order: OrderRecord,
  details: MandateInput,
  family: OrderRecord['family'],
): void {
  insertSubscription(core, {
    merchantId: order.merchantId,
    merchantSubscriptionId: details.merchantSubscriptionId,
    family,
    authWorkflowType: details.authWorkflowType,
    amountType: details.amountType,
    maxAmount: details.maxAmount,
    frequency: details.frequency,
    productType: details.productType ?? null,
    expireAt: details.expireAt ?? core.clock.now() + DEFAULT_SUBSCRIPTION_TTL_MS,
    setupMerchantOrderId: order.merchantOrderId,
  });
}
