// Razorpay's REST API as phonepe-billing speaks it: the client, its options and events, the entities it
// reads, its error family with guards, the outcome-unknown rule, webhook and checkout signature checks, and
// the payment gateway the billing core uses on Razorpay.
export { RazorpayClient } from './razorpay-client.js';
export {
  RAZORPAY_BASE_URL,
  resolveRazorpayOptions,
  type RazorpayClientEvent,
  type RazorpayClientOptions,
  type RazorpayRetryOptions,
  type ResolvedRazorpayOptions,
} from './razorpay-options.js';
export type {
  RazorpayCreateCustomerRequest,
  RazorpayCreateOrderRequest,
  RazorpayCreateRecurringPaymentRequest,
  RazorpayCreateRefundRequest,
  RazorpayNotes,
  RazorpayOrderToken,
} from './razorpay-requests.js';
export {
  RAZORPAY_ORDER_STATUSES,
  RAZORPAY_PAYMENT_STATUSES,
  RAZORPAY_REFUND_STATUSES,
  razorpayCustomerSchema,
  razorpayOrderSchema,
  razorpayPaymentSchema,
  razorpayRecurringPaymentSchema,
  razorpayRefundSchema,
  razorpayTokenSchema,
  type RazorpayCustomer,
  type RazorpayOrder,
  type RazorpayPayment,
  type RazorpayRecurringPayment,
  type RazorpayRefund,
  type RazorpayToken,
} from './razorpay-entities.js';
export {
  RAZORPAY_CLIENT_ERROR_CODES,
  RazorpayAuthenticationError,
  RazorpayBadRequestError,
  RazorpayError,
  RazorpayNetworkError,
  RazorpayNotFoundError,
  RazorpayOutcomeUnknownError,
  RazorpayRateLimitError,
  RazorpayResponseError,
  RazorpayServerError,
  RazorpayTimeoutError,
  RazorpayValidationError,
  isRazorpayAuthenticationError,
  isRazorpayBadRequestError,
  isRazorpayError,
  isRazorpayNetworkError,
  isRazorpayNotFoundError,
  isRazorpayOutcomeUnknownError,
  isRazorpayRateLimitError,
  isRazorpayResponseError,
  isRazorpayServerError,
  isRazorpayTimeoutError,
  isRazorpayValidationError,
  razorpayErrorFromResponse,
  type RazorpayCreatingOperation,
  type RazorpayErrorBody,
  type RazorpayErrorDetails,
} from './razorpay-errors.js';
export { classifyRazorpayCreatingFailure } from './razorpay-outcome.js';
export {
  computeRazorpaySignature,
  razorpaySignatureMatches,
  verifyRazorpayPaymentSignature,
} from './razorpay-signature.js';
export {
  RAZORPAY_WEBHOOK_EVENTS,
  RazorpayWebhookVerificationError,
  isRazorpayWebhookVerificationError,
  verifyRazorpayWebhook,
  type RazorpayWebhookEvent,
  type RazorpayWebhookEventName,
  type RazorpayWebhookRejection,
} from './razorpay-webhook.js';
export {
  createRazorpayGateway,
  RAZORPAY_DEBIT_ORDER_LIFE_MS,
  RAZORPAY_MANDATE_EXPIRE_AT,
  razorpayEvent,
  razorpayFailure,
  razorpayMandatePhase,
  razorpayMandateRef,
  razorpayOrder,
  razorpayRefund,
  splitRazorpayMandateRef,
  type RazorpayGatewayOptions,
} from './razorpay-gateway.js';
