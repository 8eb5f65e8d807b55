/**
 * The key id, key secret and webhook secret the Razorpay emulator accepts and signs with unless told
 * otherwise. Test-mode shaped (`rzp_test_…`); never real credentials.
 *
 * @example
 * const emu = await startRazorpayEmulator();
 * emu.credentials.keyId === defaultRazorpayEmulatorCredentials.keyId; // true
 */
export const defaultRazorpayEmulatorCredentials = Object.freeze({
  keyId: 'rzp_test_Emulator00000001',
  keySecret: 'emulatorKeySecret0000000',
  webhookSecret: 'emulatorWebhookSecret',
  /** The `account_id` put on webhook events. */
  accountId: 'acc_Emulator0000001',
});
