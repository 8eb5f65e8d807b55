// Response schemas, shared with the webhooks module (webhook payloads are these objects,
// docs/phonepe-protocol.md#webhook-envelope). All are zod `looseObject`s: unknown fields are kept.
export {
  ORDER_STATES,
  PAYMENT_ATTEMPT_STATES,
  REFUND_STATES,
  SUBSCRIPTION_STATES,
  PAYMENT_MODES,
  knownString,
} from './states.js';
export type {
  KnownOrderState,
  OrderState,
  PaymentAttemptState,
  RefundState,
  SubscriptionState,
  PaymentMode,
} from './states.js';
export {
  SUBSCRIPTION_TYPES,
  AUTH_WORKFLOW_TYPES,
  AMOUNT_TYPES,
  SUBSCRIPTION_FREQUENCIES,
  SUBSCRIPTION_PRODUCT_TYPES,
  REDEMPTION_RETRY_STRATEGIES,
  PAYMENT_FLOW_TYPES,
} from './subscription-values.js';
export type {
  SubscriptionType,
  AuthWorkflowType,
  AmountType,
  SubscriptionFrequency,
  SubscriptionProductType,
  RedemptionRetryStrategy,
  PaymentFlowType,
} from './subscription-values.js';
export { paiseSchema, epochMsSchema, lenientEpochMsSchema } from './wire-numbers.js';
export {
  INSTRUMENT_TYPES,
  RAIL_TYPES,
  instrumentSchema,
  railSchema,
  errorContextSchema,
  splitInstrumentSchema,
  paymentDetailSchema,
} from './payment-detail.js';
export type {
  PaymentInstrument,
  PaymentRail,
  PaymentErrorContext,
  SplitInstrument,
  PaymentDetail,
} from './payment-detail.js';
export { orderStatusSchema, orderPaymentFlowSchema } from './order-status.js';
export type { OrderStatus, OrderPaymentFlow } from './order-status.js';
export { refundStatusSchema, refundResponseSchema } from './refund-status.js';
export type { RefundStatus, RefundResponse } from './refund-status.js';
export { subscriptionStatusSchema } from './subscription-status.js';
export type { SubscriptionStatus } from './subscription-status.js';
export { tokenResponseSchema } from './token-response.js';
export type { TokenResponse } from './token-response.js';
export {
  payResponseSchema,
  sdkOrderResponseSchema,
  subscriptionApiSetupResponseSchema,
  notifyRedemptionResponseSchema,
  executeRedemptionResponseSchema,
} from './create-responses.js';
export type {
  PayResponse,
  SdkOrderResponse,
  SubscriptionApiSetupResponse,
  NotifyRedemptionResponse,
  ExecuteRedemptionResponse,
} from './create-responses.js';
