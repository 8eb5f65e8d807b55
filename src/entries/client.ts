// phonepe-billing/client — PhonePe's v2 API as this library speaks it: the client, every request,
// response and wire type (states, enums), every error class of the client with its guard, and the
// webhook side (verification, the event catalogue, typed payloads). A host that only takes payments
// can use this entry alone. Test helpers (createTestAuthorization) are in phonepe-billing/testing.
export * from '../client/index.js';
export {
  verifyWebhook,
  createWebhookVerifier,
  parseWebhookEvent,
  computeWebhookAuthorization,
  WebhookVerificationError,
  isWebhookVerificationError,
  WEBHOOK_VERIFICATION_REASONS,
  WEBHOOK_CATALOGUE,
  eventForLegacyType,
  isKnownWebhookEventName,
  webhookDedupeKey,
  webhookSubjectId,
} from '../webhooks/index.js';
export type {
  WebhookRequestInput,
  WebhookVerifier,
  WebhookCredentials,
  WebhookVerificationReason,
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
} from '../webhooks/index.js';
