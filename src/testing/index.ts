// phonepe-billing/testing — the PhonePe emulator (a local v2 sandbox), msw handlers and fixtures.
// Node-only (node:http, node:crypto). msw is an optional peer, loaded only by phonePeHandlers().
export { startPhonePeEmulator } from './start-phonepe-emulator.js';
export type { PhonePeEmulator, PhonePeEmulatorOptions } from './start-phonepe-emulator.js';
export { phonePeHandlers, PHONEPE_SANDBOX_ORIGIN } from './phonepe-handlers.js';
export type { PhonePeHandlers, PhonePeHandlersOptions, MswRequestHandler } from './phonepe-handlers.js';
export type { EmulatorCoreOptions, EmulatorMerchantOptions, EmulatorWebhookOptions } from './emulator-options.js';
export type {
  PhonePeEmulatorControls,
  EmulatorOrderSnapshot,
  EmulatorStateSnapshot,
  EmulatorWebhookControls,
  EmulatorFaultControls,
  EmulatorCustomerControls,
  MerchantScope,
} from './controls/emulator-controls.js';
export type { FaultSpec, FaultRecord } from './core/fault-registry.js';
export type { WebhookDelivery, WebhookAttempt, WebhookDeliveryStatus } from './core/webhook-dispatcher.js';
export type { EmulatorOutcome, PayerPaymentMode } from './core/records.js';
export { OUTCOMES as EMULATOR_OUTCOMES, PAYER_PAYMENT_MODES } from './core/records.js';
export { PhonePeEmulatorError, isPhonePeEmulatorError } from './errors.js';
export { EmulatorOptionsError } from './errors.js';
export { EmulatorStartError } from './errors.js';
export { MswNotInstalledError } from './errors.js';
export {
  defaultEmulatorCredentials,
  defaultEmulatorMerchant,
  defaultEmulatorWebhookCredentials,
} from './default-test-credentials.js';
// Helpers for a host's own tests: a clock the test moves, and the Authorization header PhonePe would send.
export { createManualClock } from '../common/clock.js';
export type { ManualClock } from '../common/clock.js';
export { createTestAuthorization } from '../webhooks/index.js';
// The Razorpay emulator (docs/razorpay-emulator.md).
export * from './razorpay/index.js';
