// The Razorpay emulator, re-exported by phonepe-billing/testing.
export { startRazorpayEmulator } from './start-razorpay-emulator.js';
export type { RazorpayEmulator } from './start-razorpay-emulator.js';
export type { RazorpayEmulatorOptions, RazorpayEmulatorWebhookOptions } from './razorpay-emulator-options.js';
export type {
  RazorpayEmulatorControls,
  RazorpayEmulatorCredentials,
  RazorpayEmulatorState,
} from './razorpay-emulator-controls.js';
export type {
  CheckoutSuccess as RazorpayCheckoutSuccess,
  CheckoutFailure as RazorpayCheckoutFailure,
} from './razorpay-core.js';
export type {
  RazorpayOrderStatus,
  RazorpayPaymentStatus,
  RazorpayRefundStatus,
  RazorpayTokenStatus,
} from './razorpay-records.js';
export type { RazorpayEmulatorWebhookEvent } from './razorpay-webhooks.js';
export { RazorpayEmulatorError, isRazorpayEmulatorError } from './razorpay-emulator-error.js';
export type { RazorpayErrorCode } from './razorpay-emulator-error.js';
export { defaultRazorpayEmulatorCredentials } from './default-razorpay-credentials.js';
export { razorpayHandlers, RAZORPAY_API_ORIGIN } from './razorpay-handlers.js';
export type { RazorpayHandlers, RazorpayHandlersOptions } from './razorpay-handlers.js';
