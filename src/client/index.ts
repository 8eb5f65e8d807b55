// The public surface of the PhonePe v2 client (re-exported by the package root). The zod
// schemas themselves stay internal to the library: import them from './responses.js'
// and './wire-values.js'.
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
} from './errors.js';
export type {
  PhonePeClientErrorCode,
  PhonePeErrorDetails,
  PhonePeCreatingOperation,
  PhonePeOutcomeUnknownDetails,
} from './errors.js';
export {
  MERCHANT_ID_PATTERN,
  MIN_AMOUNT_PAISE,
  MIN_REFUND_AMOUNT_PAISE,
  PENNY_DROP_AMOUNT_PAISE,
  NOTIFY_FLOW_TYPES,
} from './requests.js';
export type {
  MetaInfo,
  PayRequest,
  SdkOrderRequest,
  RefundRequest,
  SubscriptionCheckoutSetupRequest,
  SubscriptionApiSetupRequest,
  SubscriptionSetupRequest,
  NotifyRedemptionRequest,
} from './requests.js';
export { INSTRUMENT_TYPES, RAIL_TYPES } from './responses.js';
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
} from './wire-values.js';
// Every wire type (states, enums, responses), named one by one: the zod schemas are values and stay
// internal (a blanket `export type *` would put them in the .d.ts as values the runtime lacks).
export type {
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
} from './responses.js';
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
} from './wire-values.js';
