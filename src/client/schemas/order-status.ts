import { z } from 'zod';
import { errorContextSchema, type PaymentDetail, paymentDetailSchema } from './payment-detail.js';
import { knownString, ORDER_STATES } from './states.js';
import {
  AMOUNT_TYPES,
  AUTH_WORKFLOW_TYPES,
  PAYMENT_FLOW_TYPES,
  REDEMPTION_RETRY_STRATEGIES,
  SUBSCRIPTION_FREQUENCIES,
} from './subscription-values.js';
import { epochMsSchema, lenientEpochMsSchema, paiseSchema } from './wire-numbers.js';

const optionalText = z.string().nullish();

// The mandate terms as echoed for setup orders: flat in the API family (docs/phonepe-protocol.md#autopay-api-setup), nested in
// `subscriptionDetails` for the checkout family (docs/phonepe-protocol.md#autopay-checkout-setup). Both are accepted.
const mandateEchoFields = {
  merchantSubscriptionId: optionalText,
  subscriptionId: optionalText,
  subscriptionType: optionalText,
  authWorkflowType: knownString(AUTH_WORKFLOW_TYPES).nullish(),
  amountType: knownString(AMOUNT_TYPES).nullish(),
  maxAmount: paiseSchema.nullish(),
  frequency: knownString(SUBSCRIPTION_FREQUENCIES).nullish(),
  productType: optionalText,
  expireAt: lenientEpochMsSchema.nullish(),
};

/**
 * The `paymentFlow` echo on subscription orders (setup and redemption, docs/phonepe-protocol.md#autopay-api-setup, #notify,
 * docs/phonepe-protocol.md#webhook-events). Absent on plain checkout orders. Timestamps may arrive as digit strings and are read as
 * numbers.
 */
export const orderPaymentFlowSchema = z.looseObject({
  type: knownString(PAYMENT_FLOW_TYPES),
  ...mandateEchoFields,
  subscriptionDetails: z.looseObject(mandateEchoFields).nullish(),
  redemptionRetryStrategy: knownString(REDEMPTION_RETRY_STRATEGIES).nullish(),
  autoDebit: z.boolean().nullish(),
  validAfter: lenientEpochMsSchema.nullish(),
  validUpto: lenientEpochMsSchema.nullish(),
  notifiedAt: lenientEpochMsSchema.nullish(),
});
/** @see orderPaymentFlowSchema */
export type OrderPaymentFlow = z.infer<typeof orderPaymentFlowSchema>;

/**
 * An order as PhonePe reports it: the order-status response (checkout and both autopay
 * families, transaction status too) and the payload of order webhooks (docs/phonepe-protocol.md#order-status,
 * docs/phonepe-protocol.md#transaction-status, #webhook-envelope). Unknown fields are kept; unknown states are kept as strings.
 *
 * @example
 * const order = orderStatusSchema.parse(JSON.parse(body));
 * if (order.state === 'COMPLETED') activate(order.merchantOrderId);
 */
export const orderStatusSchema = z.looseObject({
  merchantId: optionalText,
  merchantOrderId: optionalText,
  orderId: z.string().min(1).nullish(),
  state: knownString(ORDER_STATES),
  amount: paiseSchema.nullish(),
  currency: optionalText,
  payableAmount: paiseSchema.nullish(),
  feeAmount: paiseSchema.nullish(),
  expireAt: epochMsSchema.nullish(),
  errorCode: optionalText,
  detailedErrorCode: optionalText,
  errorContext: errorContextSchema.nullish(),
  metaInfo: z.record(z.string(), z.unknown()).nullish(),
  paymentFlow: orderPaymentFlowSchema.nullish(),
  paymentDetails: z.array(paymentDetailSchema).nullish(),
});
/** @see orderStatusSchema */
export type OrderStatus = z.infer<typeof orderStatusSchema>;

/**
 * The newest payment attempt of an order: by `timestamp` when PhonePe sends one, else the last in the
 * list (with `details=false` PhonePe sends only the latest anyway).
 *
 * @example
 * latestPaymentAttempt(await client.getOrderStatus('ord_1'))?.transactionId;
 */
export function latestPaymentAttempt(order: Pick<OrderStatus, 'paymentDetails'>): PaymentDetail | undefined {
  const attempts = order.paymentDetails ?? [];
  let latest: PaymentDetail | undefined;
  for (const attempt of attempts)
    if (latest === undefined || (attempt.timestamp ?? 0) >= (latest.timestamp ?? 0)) latest = attempt;
  return latest;
}
