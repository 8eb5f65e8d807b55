// The public surface of the PhonePe v2 client (re-exported by the package root). The zod
// schemas themselves stay internal to the library: import them from './schemas/index.js'.
export { PhonePeClient } from './phonepe-client.js';
export type { OrderStatusOptions } from './phonepe-client.js';
export type { PhonePeSubscriptions, SubscriptionCallOptions } from './subscriptions-api.js';
export type { PhonePeClientOptions, PhonePeRetryOptions } from './client-options.js';
export { PHONEPE_ENVIRONMENTS, phonePeBaseUrls } from './base-urls.js';
export type { PhonePeEnvironment, PhonePeBaseUrls } from './base-urls.js';
export { SUBSCRIPTION_FAMILIES } from './phonepe-paths.js';
export type { SubscriptionFamily } from './phonepe-paths.js';
export { PHONEPE_CLIENT_EVENT_TYPES } from './client-events.js';
export type {
  PhonePeClientEvent,
  PhonePeClientEventType,
  PhonePeEventListener,
  PhonePeTokenOutcome,
} from './client-events.js';
export {
  PHONEPE_CLIENT_ERROR_CODES,
  PhonePeError,
  isPhonePeError,
  PhonePeValidationError,
  isPhonePeValidationError,
  PhonePeAuthenticationError,
  isPhonePeAuthenticationError,
  PhonePeBadRequestError,
  isPhonePeBadRequestError,
  PhonePeNotFoundError,
  isPhonePeNotFoundError,
  PhonePeConflictError,
  isPhonePeConflictError,
  PhonePeRateLimitError,
  isPhonePeRateLimitError,
  PhonePeServerError,
  isPhonePeServerError,
  PhonePeNetworkError,
  isPhonePeNetworkError,
  PhonePeTimeoutError,
  isPhonePeTimeoutError,
  PhonePeResponseError,
  isPhonePeResponseError,
  PhonePeOutcomeUnknownError,
  isPhonePeOutcomeUnknownError,
} from './errors/index.js';
export type {
  PhonePeClientErrorCode,
  PhonePeErrorDetails,
  PhonePeCreatingOperation,
  PhonePeOutcomeUnknownDetails,
} from './errors/index.js';
export * from './requests/index.js';
export {
  ORDER_STATES,
  PAYMENT_ATTEMPT_STATES,
  REFUND_STATES,
  SUBSCRIPTION_STATES,
  PAYMENT_MODES,
  SUBSCRIPTION_TYPES,
  AUTH_WORKFLOW_TYPES,
  AMOUNT_TYPES,
  SUBSCRIPTION_FREQUENCIES,
  SUBSCRIPTION_PRODUCT_TYPES,
  REDEMPTION_RETRY_STRATEGIES,
  PAYMENT_FLOW_TYPES,
  INSTRUMENT_TYPES,
  RAIL_TYPES,
} from './schemas/index.js';
// Every wire type (states, enums, responses), named one by one: the zod schemas are values and stay
// internal (a blanket `export type *` would put them in the .d.ts as values the runtime lacks).
export type {
  KnownOrderState,
  OrderState,
  PaymentAttemptState,
  RefundState,
  SubscriptionState,
  PaymentMode,
  SubscriptionType,
  AuthWorkflowType,
  AmountType,
  SubscriptionFrequency,
  SubscriptionProductType,
  RedemptionRetryStrategy,
  PaymentFlowType,
  PaymentInstrument,
  PaymentRail,
  PaymentErrorContext,
  SplitInstrument,
  PaymentDetail,
  OrderStatus,
  OrderPaymentFlow,
  RefundStatus,
  RefundResponse,
  SubscriptionStatus,
  TokenResponse,
  PayResponse,
  SdkOrderResponse,
  SubscriptionApiSetupResponse,
  NotifyRedemptionResponse,
  ExecuteRedemptionResponse,
} from './schemas/index.js';
