export {
  verifyWebhook,
  createWebhookVerifier,
  parseWebhookEvent,
  computeWebhookAuthorization,
  createTestAuthorization,
  WebhookVerificationError,
  isWebhookVerificationError,
  WEBHOOK_VERIFICATION_REASONS,
} from './verify-webhook.js';
export type {
  WebhookRequestInput,
  WebhookVerifier,
  WebhookCredentials,
  WebhookVerificationReason,
} from './verify-webhook.js';
export {
  WEBHOOK_CATALOGUE,
  eventForLegacyType,
  isKnownWebhookEventName,
  orderWebhookPayloadSchema,
  refundWebhookPayloadSchema,
  subscriptionWebhookPayloadSchema,
  webhookDedupeKey,
  webhookSubjectId,
} from './webhook-event.js';
export type {
  KnownWebhookEventName,
  OrderWebhookEventName,
  RefundWebhookEventName,
  SubscriptionWebhookEventName,
  WebhookEvent,
  OrderWebhookEvent,
  RefundWebhookEvent,
  SubscriptionWebhookEvent,
  UnknownWebhookEvent,
  OrderWebhookPayload,
  RefundWebhookPayload,
  SubscriptionWebhookPayload,
} from './webhook-event.js';
