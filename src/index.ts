// phonepe-billing — the core entry point (web-standard globals only; no node:*, no frameworks).
export { systemClock, createManualClock } from './shared/clock.js';
export type { Clock, ManualClock } from './shared/clock.js';
export { silentLogger } from './shared/logger.js';
export type { Logger } from './shared/logger.js';
export { defaultIdGenerator } from './shared/id-generator.js';
export type { IdGenerator } from './shared/id-generator.js';
// PhonePe v2 client: PhonePeClient, its option/request/response types, errors and is… guards.
export * from './client/index.js';
// Webhook verification and typed events.
export * from './webhooks/index.js';
// Subscription billing.
export * from './billing/index.js';
