export { verifyWebhook, createWebhookVerifier } from './verify-webhook.js';
export type { WebhookRequestInput, WebhookVerifier } from './verify-webhook.js';
export { parseWebhookEvent } from './parse-webhook-event.js';
export { computeWebhookAuthorization, createTestAuthorization } from './webhook-authorization.js';
export type { WebhookCredentials } from './webhook-authorization.js';
export {
  WebhookVerificationError,
  isWebhookVerificationError,
  WEBHOOK_VERIFICATION_REASONS,
} from './webhook-verification-error.js';
export type { WebhookVerificationReason } from './webhook-verification-error.js';
export { WEBHOOK_CATALOGUE, eventForLegacyType, isKnownWebhookEventName } from './webhook-catalogue.js';
export type {
  KnownWebhookEventName,
  OrderWebhookEventName,
  RefundWebhookEventName,
  SubscriptionWebhookEventName,
} from './webhook-catalogue.js';
export type {
  WebhookEvent,
  OrderWebhookEvent,
  RefundWebhookEvent,
  SubscriptionWebhookEvent,
  UnknownWebhookEvent,
} from './webhook-event.js';
export {
  orderWebhookPayloadSchema,
  refundWebhookPayloadSchema,
  subscriptionWebhookPayloadSchema,
} from './webhook-payloads.js';
export type { OrderWebhookPayload, RefundWebhookPayload, SubscriptionWebhookPayload } from './webhook-payloads.js';
export { webhookDedupeKey, webhookSubjectId } from './webhook-dedupe-key.js';
