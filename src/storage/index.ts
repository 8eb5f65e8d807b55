export type {
  BillingStore,
  BillingTransaction,
  StoreScope,
  PlanRepository,
  PaymentRepository,
  PaymentPatch,
  RefundRepository,
  RefundPatch,
  SubscriptionRepository,
  SubscriptionPatch,
  UsageRepository,
  UsageIncrementResult,
  WebhookEventRepository,
  WebhookRecordResult,
  RenewalClaims,
  AuditLog,
  AuditEntryInput,
  MetricsQueries,
  UsageMeterRequest,
  UsageMeterResult,
} from './billing-store.js';
export * from './records/plan-record.js';
export * from './records/payment-record.js';
export * from './records/refund-record.js';
export * from './records/subscription-record.js';
export * from './records/webhook-event-record.js';
export type * from './records/audit-record.js';
export * from './errors/store-conflict-error.js';
export * from './errors/store-unavailable-error.js';
export * from './errors/store-scope-error.js';
export * from './errors/store-input-error.js';
