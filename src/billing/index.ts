export { SubscriptionManager } from './subscription-manager.js';
export type { SubscriptionManagerOptions } from './subscription-manager.js';
export { billingConfigSchema } from './billing-config.js';
export type { BillingConfig, BillingConfigInput } from './billing-config.js';
export type { BillingHooks, AnomalyKind, SubscriptionEndReason } from './billing-hooks.js';
export { planDefinitionSchema } from './plan-definition.js';
export type { PlanDefinition } from './plan-definition.js';
export type { CreateCheckoutInput, CheckoutSession } from './checkout.js';
export type { CheckoutPage } from './client-checkout.js';
export type { OrderInspection, WorkspaceInspection, LiveView } from './inspect.js';
export type { PurgeOptions, PurgeResult } from './retention.js';
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
} from './payment-gateway.js';
export type { SettlementResult } from './settlement.js';
export type { WebhookHandlingResult } from './handle-webhook.js';
export type { RedirectOutcome } from './settlement.js';
export type { SubscriptionDetails, UsageView } from './subscriptions.js';
export type { CancelInput } from './subscriptions.js';
export type { ChangePlanInput, ChangePlanResult } from './change-plan.js';
export type { UsageRecorded, QuotaCheck } from './usage.js';
export type { RefundInput } from './refunds.js';
export type { RenewalRunResult, RenewalItemResult, RenewalAction } from './renewals.js';
export type { RunRenewalsOptions } from './renewals.js';
export type { ReconcileOptions, ReconcileResult, ReconcileItemResult } from './reconcile.js';
export type { BillingMetrics } from './billing-metrics.js';
export type { DispatchResult } from './event-outbox.js';
export type {
  BillingAttention,
  BillingReport,
  BillingReportDay,
  BillingReportInput,
  ReportPayments,
  ReportRevenue,
  ReportWebhooks,
} from './billing-report.js';
export { MAX_REPORT_RANGE_DAYS } from './report-range.js';
export type { UsageDay, UsagePeriod, UsageReport, UsageReportInput } from './usage-report.js';
export { BillingError, isBillingError } from './errors.js';
export { BILLING_ERROR_CODES } from './errors.js';
export type { BillingErrorCode } from './errors.js';
export { QuotaExceededError, isQuotaExceededError } from './errors.js';
export { parseRupeeAmount } from './money.js';
export type { RupeeAmountResult, RupeeAmountProblem } from './money.js';
export { formatPaise, formatRupeesForDisplay } from './money.js';
export { createReturnUrlAllowlist } from './return-url-allowlist.js';
export type { ReturnUrlAllowlist, ReturnUrlAllowlistOptions, ReturnUrlCheck } from './return-url-allowlist.js';
export { decidePayment, isTerminalPaymentState } from './payment-state-machine.js';
export type {
  PaymentSignal,
  PaymentDecision,
  PaymentFacts,
  ReportedPaymentState,
  SignalSource,
} from './payment-state-machine.js';
