import { z } from 'zod';
import { knownString, ORDER_STATES, PAYMENT_ATTEMPT_STATES } from './states.js';
import { epochMsSchema } from './wire-numbers.js';

const orderCreated = {
  orderId: z.string().min(1),
  state: knownString(ORDER_STATES),
  expireAt: epochMsSchema.nullish(),
};

/**
 * The answer to `POST /checkout/v2/pay` (one-time checkout and checkout-family subscription
 * setup): send the payer to `redirectUrl`, unmodified (docs/phonepe-protocol.md#checkout-pay).
 *
 * @example
 * const { redirectUrl } = payResponseSchema.parse(JSON.parse(body));
 */
export const payResponseSchema = z.looseObject({ ...orderCreated, redirectUrl: z.string().min(1) });
/** @see payResponseSchema */
export type PayResponse = z.infer<typeof payResponseSchema>;

/**
 * The answer to `POST /checkout/v2/sdk/order`: `token` is handed to PhonePe's mobile SDK
 * (docs/phonepe-protocol.md#sdk-order).
 *
 * @example
 * const { token } = sdkOrderResponseSchema.parse(JSON.parse(body));
 */
export const sdkOrderResponseSchema = z.looseObject({ ...orderCreated, token: z.string().min(1) });
/** @see sdkOrderResponseSchema */
export type SdkOrderResponse = z.infer<typeof sdkOrderResponseSchema>;

/**
 * The answer to `POST /subscriptions/v2/setup` (API family, docs/phonepe-protocol.md#autopay-api-setup): `intentUrl`
 * for UPI intent; `redirectUrl`/`qrData` where PhonePe sends them.
 *
 * @example
 * const { intentUrl } = subscriptionApiSetupResponseSchema.parse(JSON.parse(body));
 */
export const subscriptionApiSetupResponseSchema = z.looseObject({
  ...orderCreated,
  intentUrl: z.string().nullish(),
  redirectUrl: z.string().nullish(),
  qrData: z.string().nullish(),
});
/** @see subscriptionApiSetupResponseSchema */
export type SubscriptionApiSetupResponse = z.infer<typeof subscriptionApiSetupResponseSchema>;

/**
 * The answer to a redemption notify: `state` is `NOTIFICATION_IN_PROGRESS` (checkout family) or
 * `PENDING` (API family), later `NOTIFIED` (docs/phonepe-protocol.md#notify).
 *
 * @example
 * const { orderId, state } = notifyRedemptionResponseSchema.parse(JSON.parse(body));
 */
export const notifyRedemptionResponseSchema = z.looseObject(orderCreated);
/** @see notifyRedemptionResponseSchema */
export type NotifyRedemptionResponse = z.infer<typeof notifyRedemptionResponseSchema>;

/**
 * The answer to a redeem (execute) call: `{ state, transactionId }` (docs/phonepe-protocol.md#redeem).
 *
 * @example
 * const { transactionId } = executeRedemptionResponseSchema.parse(JSON.parse(body));
 */
export const executeRedemptionResponseSchema = z.looseObject({
  state: knownString([...ORDER_STATES, ...PAYMENT_ATTEMPT_STATES]),
  transactionId: z.string().min(1).nullish(),
});
/** @see executeRedemptionResponseSchema */
export type ExecuteRedemptionResponse = z.infer<typeof executeRedemptionResponseSchema>;
