import type { SubscriptionRecord } from './records.js';

/** The subscription-status body (§4.3); with `merchantId`, the payload of state-change webhooks (§5.2). */
export function subscriptionView(sub: SubscriptionRecord, withMerchantId = false): Record<string, unknown> {
  return {
    ...(withMerchantId ? { merchantId: sub.merchantId } : {}),
    merchantSubscriptionId: sub.merchantSubscriptionId,
    subscriptionId: sub.subscriptionId,
    state: sub.state,
    productType: sub.productType,
    authInstrumentType: null,
    authWorkflowType: sub.authWorkflowType,
    amountType: sub.amountType,
    currency: 'INR',
    maxAmount: sub.maxAmount,
    frequency: sub.frequency,
    expireAt: sub.expireAt,
    pauseStartDate: sub.pauseStartDate,
    pauseEndDate: sub.pauseEndDate,
  };
}
