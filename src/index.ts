// phonepe-billing — the core entry point (web-standard globals only; no node:*, no frameworks).
export { systemClock, createManualClock } from './common/clock.js';
export type { Clock, ManualClock } from './common/clock.js';
export { silentLogger } from './common/logger.js';
export type { Logger } from './common/logger.js';
export { defaultIdGenerator } from './common/id-generator.js';
export { MAX_JSON_DEPTH } from './common/json-nesting.js';
export type { IdGenerator } from './common/id-generator.js';
// PhonePe v2 client: PhonePeClient, its option/request/response types, errors and is… guards.
export * from './client/index.js';
// Webhook verification and typed events.
export * from './webhooks/index.js';
// Subscription billing.
export * from './billing/index.js';
// Storage port (BillingStore, records, store errors) and the in-memory store. Three names exist in
// both the client (PhonePe's wire values) and the storage records (stored values): the bare names
// stay the client's, the stored ones are exported with a Record prefix.
export * from './storage/index.js';
export { REFUND_STATES, type RefundState, type SubscriptionStatus } from './client/index.js';
export {
  REFUND_STATES as REFUND_RECORD_STATES,
  type RefundState as RefundRecordState,
  type SubscriptionStatus as SubscriptionRecordStatus,
} from './storage/index.js';
export { MemoryStore } from './storage/memory/memory-store.js';
export type { MemoryStoreOptions } from './storage/memory/memory-store.js';
// Environment configuration for hosts and the CLI.
export * from './config/index.js';
// The HTTP API: createBillingHandler, its options, roles and error responses.
export * from './http/index.js';
