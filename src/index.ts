// phonepe-billing — the core entry point: what a host calls (web-standard globals only; no node:*,
// no frameworks). Every name is listed here on purpose; the rest of the library has its own entry:
//   phonepe-billing/client   PhonePe's v2 API: every request/response/wire type, error class, webhook payload
//   phonepe-billing/storage  the BillingStore port, its repositories and records (for store implementers)
//   phonepe-billing/kysely   the PostgreSQL / PGlite stores and migrations
//   phonepe-billing/razorpay Razorpay: its REST client, webhook checks and the Razorpay payment gateway
//   phonepe-billing/testing  the PhonePe and Razorpay emulators, a manual clock and test webhook authorizations
//   phonepe-billing/express | /fastify | /hono   the framework adapters

// Time and logging, as the options of the client, the manager and the handler take them.
export { systemClock } from './common/clock.js';
export type { Clock } from './common/clock.js';
export { silentLogger } from './common/logger.js';
export type { Logger } from './common/logger.js';
export { InvalidOptionsError, isInvalidOptionsError } from './common/invalid-options.js';

// The PhonePe client; its wire types and the finer error classes are in phonepe-billing/client.
export {
  PhonePeClient,
  PhonePeError,
  isPhonePeError,
  PhonePeOutcomeUnknownError,
  isPhonePeOutcomeUnknownError,
} from './client/index.js';
export type { PhonePeClientOptions, PhonePeEnvironment } from './client/index.js';

// Webhooks: verify PhonePe's Authorization header and read the typed event.
export {
  verifyWebhook,
  createWebhookVerifier,
  WebhookVerificationError,
  isWebhookVerificationError,
} from './webhooks/index.js';
export type { WebhookCredentials, WebhookEvent, WebhookRequestInput, WebhookVerifier } from './webhooks/index.js';

// Subscription billing: the manager, its inputs and results.
export {
  SubscriptionManager,
  BillingError,
  isBillingError,
  BILLING_ERROR_CODES,
  QuotaExceededError,
  isQuotaExceededError,
  createReturnUrlAllowlist,
  formatPaise,
  formatRupeesForDisplay,
  parseRupeeAmount,
  MAX_REPORT_RANGE_DAYS,
} from './billing/index.js';
export type {
  SubscriptionManagerOptions,
  BillingConfigInput,
  BillingHooks,
  BillingErrorCode,
  PlanDefinition,
  CreateCheckoutInput,
  CheckoutSession,
  RedirectOutcome,
  WebhookHandlingResult,
  SubscriptionDetails,
  UsageView,
  CancelInput,
  ChangePlanInput,
  ChangePlanResult,
  UsageRecorded,
  QuotaCheck,
  RefundInput,
  RunRenewalsOptions,
  RenewalRunResult,
  ReconcileOptions,
  ReconcileResult,
  BillingMetrics,
  DispatchResult,
  BillingAttention,
  BillingReport,
  BillingReportDay,
  BillingReportInput,
  ReportPayments,
  ReportRevenue,
  ReportWebhooks,
  UsageDay,
  UsagePeriod,
  UsageReport,
  UsageReportInput,
  ReturnUrlAllowlist,
  ReturnUrlAllowlistOptions,
  RupeeAmountResult,
  CheckoutPage,
  OrderInspection,
  WorkspaceInspection,
  LiveView,
  PurgeOptions,
  PurgeResult,
} from './billing/index.js';
// The payment-gateway port: what a gateway implements (PhonePe's is built from `client`; Razorpay's is
// createRazorpayGateway in phonepe-billing/razorpay; docs/gateways.md says how to write a third).
export type {
  PaymentGateway,
  GatewayCapabilities,
  GatewayCheckout,
  GatewayCheckoutRequest,
  GatewayCustomer,
  GatewayEvent,
  GatewayFailure,
  GatewayMandate,
  GatewayOrder,
  GatewayRefund,
  MandatePhase,
  MandateRef,
  PaymentRef,
  RefundRef,
  ClientCheckout,
} from './billing/index.js';

// The store a host constructs without a database, the port type every store satisfies, and the
// store errors a host may catch. PostgreSQL / PGlite stores: phonepe-billing/kysely.
export { MemoryStore } from './storage/memory/memory-store.js';
export type { MemoryStoreOptions } from './storage/memory/memory-store.js';
export {
  StoreUnavailableError,
  isStoreUnavailableError,
  StoreInputError,
  isStoreInputError,
} from './storage/index.js';
export type { BillingStore } from './storage/index.js';

// Configuration from the environment.
export { loadConfigFromEnv, ConfigError, isConfigError } from './config/index.js';
export type { EnvConfig, EnvConfigWithoutWebhook, LoadConfigOptions, LoadedConfig } from './config/index.js';

// The HTTP API: createBillingHandler, its options, roles, error responses and response bodies; the
// Prometheus scrape route (createMetricsHandler).
export {
  createBillingHandler,
  createMetricsHandler,
  BillingHttpError,
  isBillingHttpError,
  HTTP_ERROR_CODES,
  billingErrorJson,
  billingErrorResponse,
} from './http/index.js';
export type {
  BillingHandler,
  BillingHandlerOptions,
  MetricsHandler,
  MetricsHandlerOptions,
  MetricsSource,
  BillingAuth,
  BillingIdentity,
  BillingStaffCheck,
  BillingRole,
  BillingRolePolicy,
  HttpErrorCode,
  BillingErrorBody,
  PaymentView,
  RefundView,
  PlanView,
  SubscriptionResponse,
} from './http/index.js';
