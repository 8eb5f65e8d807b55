import { randomBytes } from 'node:crypto';
import {
  defaultEmulatorCredentials,
  defaultEmulatorWebhookCredentials,
  startPhonePeEmulator,
  type PhonePeEmulator,
} from 'phonepe-billing/testing';
import { startHonoExample } from '../../examples/hono/server.js';
import type { RunningExample } from '../../examples/common/run-example.js';
import { freePort } from './free-port.js';

/** The emulator and the Hono example, wired to each other. */
export interface DemoStack {
  emu: PhonePeEmulator;
  app: RunningExample;
  /** The example's JWT secret (random per run). */
  jwtSecret: string;
  close(): Promise<void>;
}

/**
 * Starts the PhonePe emulator and the Hono example (examples/hono) in this process, on PGlite in memory:
 * the app's PhonePe client points at the emulator, the emulator's webhooks at the app. The environment is
 * built here, not inherited, so a DATABASE_URL or PhonePe credentials of the caller's are never used.
 */
export async function startDemoStack(preferred: { appPort?: number; emulatorPort?: number } = {}): Promise<DemoStack> {
  const appPort = await freePort(preferred.appPort);
  const emulatorPort = await freePort(preferred.emulatorPort);
  const appUrl = `http://127.0.0.1:${appPort}`;
  // As in production, the PayPage opens only from the app's own pages (PhonePe checks the referrer).
  const emu = await startPhonePeEmulator({
    port: emulatorPort,
    requireReferrer: [appUrl],
    webhook: { url: `${appUrl}/v1/payments/webhook`, ...defaultEmulatorWebhookCredentials },
  });
  const jwtSecret = randomBytes(32).toString('hex');
  try {
    const app = await startHonoExample({
      PHONEPE_CLIENT_ID: defaultEmulatorCredentials.clientId,
      PHONEPE_CLIENT_SECRET: defaultEmulatorCredentials.clientSecret,
      PHONEPE_CLIENT_VERSION: defaultEmulatorCredentials.clientVersion,
      PHONEPE_ENV: 'SANDBOX',
      PHONEPE_BASE_URL: emu.baseUrls.pg,
      PHONEPE_WEBHOOK_USERNAME: defaultEmulatorWebhookCredentials.username,
      PHONEPE_WEBHOOK_PASSWORD: defaultEmulatorWebhookCredentials.password,
      PHONEPE_CALLBACK_URL: `${appUrl}/v1/payments/callback`,
      PAYMENT_REDIRECT_ALLOWLIST: appUrl,
      FRONTEND_URL: appUrl,
      JWT_SECRET: jwtSecret,
      PORT: String(appPort),
      HOST: '127.0.0.1',
    });
    return {
      emu,
      app,
      jwtSecret,
      async close() {
        await app.close();
        await emu.close();
      },
    };
  } catch (error) {
    await emu.close();
    throw error;
  }
}
