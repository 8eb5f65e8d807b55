import type { ResponseShape, SubscriptionRecord } from './records.js';

/**
 * The subscription-status body (docs/phonepe-protocol.md#subscription-status), also the payload of
 * mandate state-change webhooks. `minimal` leaves out what no SDK models and PhonePe's fixtures never
 * carry — `productType`, `authInstrumentType`, `currency`, `merchantId` — and keeps the terms and the
 * pause dates (PhonePe's `subscription.cancelled` fixture has them). `documented` adds the doc
 * samples' fields, and `merchantId` on webhooks.
 */
export function subscriptionView(
  sub: SubscriptionRecord,
  shape: ResponseShape,
  webhook = false,
): Record<string, unknown> {
  const documented = shape === 'documented';
  return {
    ...(documented && webhook ? { merchantId: sub.merchantId } : {}),
    merchantSubscriptionId: sub.merchantSubscriptionId,
    subscriptionId: sub.subscriptionId,
    state: sub.state,
    ...(documented ? { productType: sub.productType, authInstrumentType: null } : {}),
    authWorkflowType: sub.authWorkflowType,
    amountType: sub.amountType,
    ...(documented ? { currency: 'INR' } : {}),
    maxAmount: sub.maxAmount,
    frequency: sub.frequency,
    expireAt: sub.expireAt,
    pauseStartDate: sub.pauseStartDate,
    pauseEndDate: sub.pauseEndDate,
  };
}
