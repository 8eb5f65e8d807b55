// The PhonePe v2 client: public surface of src/client.
export { PhonePeClient } from './phonepe-client.js';
export type { OrderStatusOptions } from './phonepe-client.js';
export type { PhonePeSubscriptions, SubscriptionCallOptions } from './subscriptions-api.js';
export type { PhonePeClientOptions, PhonePeRetryOptions } from './client-options.js';
export { PHONEPE_ENVIRONMENTS, phonePeBaseUrls } from './base-urls.js';
export type { PhonePeEnvironment, PhonePeBaseUrls } from './base-urls.js';
export { SUBSCRIPTION_FAMILIES } from './phonepe-paths.js';
export type { SubscriptionFamily } from './phonepe-paths.js';
export { PHONEPE_CLIENT_EVENT_TYPES } from './client-events.js';
export type { PhonePeClientEvent, PhonePeClientEventType, PhonePeEventListener, PhonePeTokenOutcome } from './client-events.js';
export * from './errors/index.js';
export * from './requests/index.js';
export * from './schemas/index.js';
