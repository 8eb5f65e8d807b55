/**
 * The client credentials the emulator accepts when `merchants` is not given: sandbox-style
 * test values, safe to print and commit (they only open a local emulator). Spread them into
 * `new PhonePeClient(...)`.
 *
 * @example
 * const emu = await startPhonePeEmulator();
 * const client = new PhonePeClient({ ...defaultEmulatorCredentials, env: 'SANDBOX', baseUrls: emu.baseUrls });
 */
export const defaultEmulatorCredentials = {
  clientId: 'EMULATOR_TEST_CLIENT',
  clientSecret: 'emulator-test-client-secret',
  clientVersion: '1',
} as const;

/**
 * The default merchant: {@link defaultEmulatorCredentials} plus the merchant id that appears in
 * responses and webhooks.
 *
 * @example
 * await startPhonePeEmulator({ merchants: [defaultEmulatorMerchant, { ...otherMerchant }] });
 */
export const defaultEmulatorMerchant = {
  merchantId: 'PGTESTEMULATOR',
  ...defaultEmulatorCredentials,
} as const;

/**
 * Webhook credentials used when `webhook.url` is given without `username`/`password`
 * (PhonePe's dashboard rules: username 5–20 `[A-Za-z0-9_]`, password 8–20 with letters and digits, docs/phonepe-protocol.md#webhook-auth).
 *
 * @example
 * await verifyWebhook({ authorization, body }, defaultEmulatorWebhookCredentials);
 */
export const defaultEmulatorWebhookCredentials = {
  username: 'emulator_webhook',
  password: 'emulatorPass123',
} as const;
