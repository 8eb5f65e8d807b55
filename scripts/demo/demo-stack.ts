import { randomBytes } from 'node:crypto';
import {
  defaultEmulatorCredentials,
  defaultEmulatorWebhookCredentials,
  defaultRazorpayEmulatorCredentials,
  startPhonePeEmulator,
  startRazorpayEmulator,
  type PhonePeEmulator,
  type RazorpayEmulator,
} from 'phonepe-billing/testing';
import { startHonoExample } from '../../examples/hono/server.js';
import type { RunningExample } from '../../examples/common/run-example.js';
import { freePort } from './free-port.js';

/** The gateway the demo pays through. */
export type DemoGateway = 'phonepe' | 'razorpay';

/** The emulator(s) and the Hono example, wired to each other. */
export interface DemoStack {
  emu: PhonePeEmulator;
  /** The Razorpay emulator, with `--gateway razorpay`: the app's default gateway, and the one the flow pays on. */
  razorpay?: RazorpayEmulator;
  app: RunningExample;
  /** The example's JWT secret (random per run). */
  jwtSecret: string;
  close(): Promise<void>;
}

/** Preferred ports (each falls back to a free one when taken; 0 or absent: any). */
export interface DemoPorts {
  appPort?: number;
  emulatorPort?: number;
  razorpayPort?: number;
}

/**
 * Starts the PhonePe emulator and the Hono example (examples/hono) in this process, on PGlite in memory:
 * the app's PhonePe client points at the emulator, the emulator's webhooks at the app. With `gateway:
 * 'razorpay'` the Razorpay emulator starts too, the app holds a Razorpay gateway on it (its webhooks to
 * `/v1/payments/webhook/razorpay`) and makes it the default (`BILLING_DEFAULT_GATEWAY`). The environment is
 * built here, not inherited, so a DATABASE_URL or gateway credentials of the caller's are never used.
 */
export async function startDemoStack(preferred: DemoPorts = {}, gateway: DemoGateway = 'phonepe'): Promise<DemoStack> {
  const appPort = await freePort(preferred.appPort);
  const emulatorPort = await freePort(preferred.emulatorPort);
  const appUrl = `http://127.0.0.1:${appPort}`;
  // As in production, the PayPage opens only from the app's own pages (PhonePe checks the referrer).
  const emu = await startPhonePeEmulator({
    port: emulatorPort,
    requireReferrer: [appUrl],
    webhook: { url: `${appUrl}/v1/payments/webhook`, ...defaultEmulatorWebhookCredentials },
  });
  let razorpay: RazorpayEmulator | undefined;
  try {
    if (gateway === 'razorpay')
      razorpay = await startRazorpayEmulator({
        port: await freePort(preferred.razorpayPort),
        webhook: { url: `${appUrl}/v1/payments/webhook/razorpay` },
      });
    const jwtSecret = randomBytes(32).toString('hex');
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
      ...(razorpay
        ? {
            RAZORPAY_KEY_ID: defaultRazorpayEmulatorCredentials.keyId,
            RAZORPAY_KEY_SECRET: defaultRazorpayEmulatorCredentials.keySecret,
            RAZORPAY_WEBHOOK_SECRET: defaultRazorpayEmulatorCredentials.webhookSecret,
            RAZORPAY_BASE_URL: razorpay.baseUrl,
            BILLING_DEFAULT_GATEWAY: 'razorpay',
          }
        : {}),
      JWT_SECRET: jwtSecret,
      PORT: String(appPort),
      HOST: '127.0.0.1',
    });
    const started = razorpay;
    return {
      emu,
      ...(started ? { razorpay: started } : {}),
      app,
      jwtSecret,
      async close() {
        await app.close();
        await started?.close();
        await emu.close();
      },
    };
  } catch (error) {
    await razorpay?.close();
    await emu.close();
    throw error;
  }
}
