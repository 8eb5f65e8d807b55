// The framework-agnostic HTTP API: (Request) => Promise<Response>. Web-standard globals only.
export { createBillingHandler } from './create-billing-handler.js';
export type { BillingHandler } from './create-billing-handler.js';
export type { BillingHandlerOptions } from './billing-handler-options.js';
export type { BillingAuth, BillingIdentity } from './billing-auth.js';
export { BILLING_ROLES, DEFAULT_BILLING_ROLE_POLICY } from './billing-roles.js';
export type { BillingRole, BillingRolePolicy } from './billing-roles.js';
export { HTTP_ERROR_CODES } from './http-error-codes.js';
export type { HttpErrorCode } from './http-error-codes.js';
export { BillingHttpError, isBillingHttpError } from './billing-http-error.js';
export { billingErrorJson, billingErrorResponse } from './error-response.js';
export type { BillingErrorBody } from './error-response.js';
export type { PaymentView } from './views/payment-view.js';
export type { RefundView } from './views/refund-view.js';
export type { PlanView } from './views/plan-view.js';
export type { SubscriptionResponse } from './views/subscription-view.js';
