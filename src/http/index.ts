// The framework-agnostic HTTP API: (Request) => Promise<Response>. Web-standard globals only.
export { createBillingHandler } from './create-billing-handler.js';
export type { BillingHandler } from './create-billing-handler.js';
export type { BillingHandlerOptions } from './create-billing-handler.js';
export { createMetricsHandler } from './create-metrics-handler.js';
export type { MetricsHandler, MetricsHandlerOptions, MetricsSource } from './create-metrics-handler.js';
export type { BillingAuth, BillingIdentity, BillingStaffCheck } from './access.js';
export { BILLING_ROLES, DEFAULT_BILLING_ROLE_POLICY } from './access.js';
export type { BillingRole, BillingRolePolicy } from './access.js';
export { HTTP_ERROR_CODES } from './errors.js';
export type { HttpErrorCode } from './errors.js';
export { BillingHttpError, isBillingHttpError } from './errors.js';
export { billingErrorJson, billingErrorResponse } from './errors.js';
export type { BillingErrorBody } from './errors.js';
export type { PaymentView } from './views.js';
export type { RefundView } from './views.js';
export type { PlanView } from './views.js';
export type { SubscriptionResponse } from './views.js';
