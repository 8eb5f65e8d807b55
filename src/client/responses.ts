// Response schemas, shared with the webhooks module (webhook payloads are these objects,
// docs/phonepe-protocol.md#webhook-envelope). All are zod `looseObject`s: unknown fields are kept.
import { z } from 'zod';
import {
  AMOUNT_TYPES,
  AUTH_WORKFLOW_TYPES,
  epochMsSchema,
  knownString,
  lenientEpochMsSchema,
  ORDER_STATES,
  paiseSchema,
  PAYMENT_ATTEMPT_STATES,
  PAYMENT_FLOW_TYPES,
  PAYMENT_MODES,
  REDEMPTION_RETRY_STRATEGIES,
  REFUND_STATES,
  SUBSCRIPTION_FREQUENCIES,
  SUBSCRIPTION_STATES,
} from './wire-values.js';

const optionalText = z.string().nullish();

/** Instrument types PhonePe documents (docs/phonepe-protocol.md#order-status). */
export const INSTRUMENT_TYPES = [
  'ACCOUNT',
  'CREDIT_CARD',
  'DEBIT_CARD',
  'NET_BANKING',
  'WALLET',
  'EGV',
  'CREDIT_LINE',
] as const;

/** What paid: bank account, card, wallet… Unknown fields are kept. */
export const instrumentSchema = z.looseObject({
  type: knownString(INSTRUMENT_TYPES),
  maskedAccountNumber: optionalText,
  ifsc: optionalText,
  accountHolderName: optionalText,
  accountType: optionalText,
  bankId: optionalText,
  bankTransactionId: optionalText,
  brn: optionalText,
  arn: optionalText,
  cardNetwork: optionalText,
  maskedCardNumber: optionalText,
  geoScope: optionalText,
  walletId: optionalText,
  cardNumber: optionalText,
  programId: optionalText,
});
/** @see instrumentSchema */
export type PaymentInstrument = z.infer<typeof instrumentSchema>;

/** Rail types PhonePe documents (docs/phonepe-protocol.md#order-status). */
export const RAIL_TYPES = ['UPI', 'PG', 'PPI_WALLET', 'PPI_EGV'] as const;

/** How the money moved: UPI (utr, vpa, umn for mandates) or card/net-banking PG ids. */
export const railSchema = z.looseObject({
  type: knownString(RAIL_TYPES),
  utr: optionalText,
  upiTransactionId: optionalText,
  vpa: optionalText,
  umn: optionalText,
  transactionId: optionalText,
  authorizationCode: optionalText,
  serviceTransactionId: optionalText,
});
/** @see railSchema */
export type PaymentRail = z.infer<typeof railSchema>;

/** Why a payment failed, sent with `errorContext=true` (docs/phonepe-protocol.md#order-status). */
export const errorContextSchema = z.looseObject({
  errorCode: optionalText,
  detailedErrorCode: optionalText,
  source: optionalText,
  stage: optionalText,
  description: optionalText,
});
/** @see errorContextSchema */
export type PaymentErrorContext = z.infer<typeof errorContextSchema>;

/** One leg of a split payment (e.g. UPI + wallet). */
export const splitInstrumentSchema = z.looseObject({
  instrument: instrumentSchema.nullish(),
  rail: railSchema.nullish(),
  amount: paiseSchema.nullish(),
});
/** @see splitInstrumentSchema */
export type SplitInstrument = z.infer<typeof splitInstrumentSchema>;

/**
 * One payment attempt of an order (or one leg of a refund): `paymentDetails[i]` in order-status,
 * refund-status and webhook payloads (docs/phonepe-protocol.md#order-status, #refund-states, #webhook-envelope).
 *
 * @example
 * const attempt = paymentDetailSchema.parse(status.paymentDetails[0]);
 */
export const paymentDetailSchema = z.looseObject({
  transactionId: z.string().min(1).nullish(),
  paymentMode: knownString(PAYMENT_MODES).nullish(),
  timestamp: epochMsSchema.nullish(),
  amount: paiseSchema.nullish(),
  payableAmount: paiseSchema.nullish(),
  feeAmount: paiseSchema.nullish(),
  currency: optionalText,
  payableCurrency: optionalText,
  feeCurrency: optionalText,
  state: knownString(PAYMENT_ATTEMPT_STATES).nullish(),
  errorCode: optionalText,
  detailedErrorCode: optionalText,
  instrument: instrumentSchema.nullish(),
  rail: railSchema.nullish(),
  splitInstruments: z.array(splitInstrumentSchema).nullish(),
});
/** @see paymentDetailSchema */
export type PaymentDetail = z.infer<typeof paymentDetailSchema>;

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

/**
 * A refund as PhonePe reports it (`GET /payments/v2/refund/{id}/status`, docs/phonepe-protocol.md#refund-states).
 * Docs samples carry `splitInstruments`, SDK DTOs `paymentDetails`; both are read. `refundId` is
 * required here; refund webhook payloads may lack it (docs/phonepe-protocol.md#webhook-envelope), so a webhook parser should use
 * `refundStatusSchema.partial({ refundId: true })`.
 *
 * @example
 * const refund = refundStatusSchema.parse(JSON.parse(body)); // refund.state: 'PENDING' | 'CONFIRMED' | …
 */
export const refundStatusSchema = z.looseObject({
  merchantId: optionalText,
  merchantRefundId: optionalText,
  originalMerchantOrderId: optionalText,
  refundId: z.string().min(1).nullish(),
  amount: paiseSchema.nullish(),
  state: knownString(REFUND_STATES),
  timestamp: epochMsSchema.nullish(),
  errorCode: optionalText,
  detailedErrorCode: optionalText,
  splitInstruments: z.array(splitInstrumentSchema).nullish(),
  paymentDetails: z.array(paymentDetailSchema).nullish(),
});
/** @see refundStatusSchema */
export type RefundStatus = z.infer<typeof refundStatusSchema>;

/**
 * The answer to `POST /payments/v2/refund`: `{ refundId, amount, state }` (docs/phonepe-protocol.md#refund).
 *
 * @example
 * const { refundId, state } = refundResponseSchema.parse(JSON.parse(body));
 */
export const refundResponseSchema = z.looseObject({
  refundId: z.string().min(1).nullish(),
  amount: paiseSchema.nullish(),
  state: knownString(REFUND_STATES),
});
/** @see refundResponseSchema */
export type RefundResponse = z.infer<typeof refundResponseSchema>;

/**
 * A subscription (UPI mandate) as PhonePe reports it: the subscription-status response of both
 * families and the payload of subscription state-change webhooks (docs/phonepe-protocol.md#subscription-states, #webhook-envelope).
 * Pause dates are only filled while PAUSED; many fields can be `null`.
 *
 * @example
 * const sub = subscriptionStatusSchema.parse(JSON.parse(body));
 * if (sub.state === 'ACTIVE') scheduleNextDebit(sub.merchantSubscriptionId);
 */
export const subscriptionStatusSchema = z.looseObject({
  merchantSubscriptionId: optionalText,
  subscriptionId: optionalText,
  state: knownString(SUBSCRIPTION_STATES),
  productType: optionalText,
  authInstrumentType: optionalText,
  authWorkflowType: knownString(AUTH_WORKFLOW_TYPES).nullish(),
  amountType: knownString(AMOUNT_TYPES).nullish(),
  currency: optionalText,
  maxAmount: paiseSchema.nullish(),
  frequency: knownString(SUBSCRIPTION_FREQUENCIES).nullish(),
  expireAt: epochMsSchema.nullish(),
  pauseStartDate: epochMsSchema.nullish(),
  pauseEndDate: epochMsSchema.nullish(),
});
/** @see subscriptionStatusSchema */
export type SubscriptionStatus = z.infer<typeof subscriptionStatusSchema>;

const epochSeconds = z.number().int().nonnegative();

/**
 * The OAuth answer of `POST /v1/oauth/token` (docs/phonepe-protocol.md#oauth). Times are epoch **seconds**.
 * `issued_at` is optional here because the client can fall back to its own clock for it.
 *
 * @example
 * const token = tokenResponseSchema.parse(JSON.parse(body));
 * const authorization = `${token.token_type ?? 'O-Bearer'} ${token.access_token}`;
 */
export const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  encrypted_access_token: z.string().nullish(),
  issued_at: epochSeconds.nullish(),
  expires_at: epochSeconds,
  session_expires_at: epochSeconds.nullish(),
  token_type: z.string().nullish(),
  expires_in: z.number().nullish(),
  refresh_token: z.string().nullish(),
});
/** @see tokenResponseSchema */
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

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
