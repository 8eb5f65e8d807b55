import { PhonePeClient } from '../../../src/client/phonepe-client.js';
import { SubscriptionManager } from '../../../src/billing/subscription-manager.js';
import type { BillingConfigInput } from '../../../src/billing/billing-config.js';
import type { PlanDefinition } from '../../../src/billing/plan-definition.js';
import type { BillingHandlerOptions } from '../../../src/http/index.js';
import { createManualClock, type ManualClock } from '../../../src/common/clock.js';
import type { Logger } from '../../../src/common/logger.js';
import type { BillingStore } from '../../../src/storage/billing-store.js';
import {
  defaultEmulatorMerchant,
  defaultEmulatorWebhookCredentials,
  startPhonePeEmulator,
  type PhonePeEmulator,
} from '../../../src/testing/index.js';
import { startRazorpayEmulator, type RazorpayEmulator } from '../../../src/testing/razorpay/index.js';
import { RazorpayClient } from '../../../src/razorpay/razorpay-client.js';
import { createRazorpayGateway } from '../../../src/razorpay/razorpay-gateway.js';
import { type Backend, borrowStore } from '../../support/store-pool.js';
import { SwitchableStore } from './switchable-store.js';
import { testAuth } from './test-auth.js';

export { BACKENDS, type Backend } from '../../support/store-pool.js';

export const START = Date.parse('2026-11-01T00:00:00.000Z');
export const DAY = 24 * 60 * 60 * 1000;
export const RETURN_URL = 'https://app.example.com/billing';
export const WEBHOOK = defaultEmulatorWebhookCredentials;

export const PLANS: PlanDefinition[] = [
  {
    id: 'starter',
    name: 'Starter',
    description: 'For small teams',
    price: 99_900,
    interval: 'month',
    limits: { projects: 5, api_calls: 1_000 },
    features: ['email support'],
  },
  {
    id: 'pro',
    name: 'Pro',
    price: 299_900,
    interval: 'month',
    limits: { projects: 50, api_calls: 100_000 },
    features: ['sso'],
  },
  {
    id: 'enterprise',
    name: 'Enterprise',
    price: 999_900,
    interval: 'year',
    limits: { projects: null },
    autopay: false,
  },
];

/** A logger that remembers what it was told (to assert on 5xx logging and on what is never logged). */
export interface RecordingLogger extends Logger {
  entries: Array<{ level: string; obj: Record<string, unknown>; msg?: string }>;
}

export function recordingLogger(): RecordingLogger {
  const entries: RecordingLogger['entries'] = [];
  const at = (level: string) => (obj: Record<string, unknown>, msg?: string) => void entries.push({ level, obj, msg });
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Emulator (manual clock), PhonePe client, a switchable store on `backend`, the manager, and handler options. */
export interface HttpHarness {
  backend: Backend;
  clock: ManualClock;
  emu: PhonePeEmulator;
  client: PhonePeClient;
  store: SwitchableStore;
  billing: SubscriptionManager;
  logger: RecordingLogger;
  /** Where the emulator's webhooks go (set once the app listens), when started with `webhooks: 'relay'`. */
  setWebhookTarget(url: string): void;
  /** The Razorpay emulator, when started with `razorpay: true` (the manager then holds PhonePe and Razorpay). */
  rzp: RazorpayEmulator | null;
  /**
   * Where the Razorpay emulator's webhooks go: each delivery (its exact body and headers) is handed to
   * `deliver`, whose status is the emulator's answer — so a test routes them to the mounted app's real
   * `/payments/webhook/razorpay` through whatever transport the mount uses.
   */
  setRazorpayWebhookSink(deliver: RazorpayWebhookSink): void;
  /** Handler options for this harness, with overrides. */
  options(overrides?: Partial<BillingHandlerOptions>): BillingHandlerOptions;
  close(): Promise<void>;
}

/** Takes one Razorpay webhook delivery and answers the status the emulator sees. */
export type RazorpayWebhookSink = (delivery: { body: string; headers: Record<string, string> }) => Promise<number>;

export interface HttpHarnessOptions {
  backend?: Backend;
  /** `relay`: the emulator POSTs webhooks over HTTP to the URL given to `setWebhookTarget`; `none`: it only records them. */
  webhooks?: 'none' | 'relay';
  config?: Partial<BillingConfigInput>;
  /** Also start the Razorpay emulator and give the manager a Razorpay gateway on it (PhonePe stays the default). */
  razorpay?: boolean;
}

export async function createHttpHarness(options: HttpHarnessOptions = {}): Promise<HttpHarness> {
  const backend = options.backend ?? 'memory';
  const clock = createManualClock(START);
  let target: string | null = null;
  // The emulator needs its webhook URL at start, the app is built after the emulator: deliver late-bound.
  const relay = (async (_input: unknown, init?: RequestInit) =>
    target ? fetch(target, init) : new Response('no target yet', { status: 503 })) as typeof fetch;
  const webhook =
    options.webhooks === 'relay'
      ? { url: 'http://billing-app.test/webhook', fetch: relay, retry: { retries: 2, delaysMs: [20, 50] } }
      : undefined;
  const emu = await startPhonePeEmulator({ clock, ...(webhook ? { webhook } : {}) });
  const client = new PhonePeClient({
    clientId: defaultEmulatorMerchant.clientId,
    clientSecret: defaultEmulatorMerchant.clientSecret,
    clientVersion: defaultEmulatorMerchant.clientVersion,
    env: 'SANDBOX',
    baseUrls: emu.baseUrls,
    clock,
    retry: { limit: 0 },
  });
  let razorpaySink: RazorpayWebhookSink | null = null;
  // Late-bound too: the emulator starts before the app that receives its webhooks is mounted.
  const razorpayRelay = (async (_input: unknown, init?: RequestInit) => {
    if (!razorpaySink) return new Response('no target yet', { status: 503 });
    const status = await razorpaySink({
      body: String(init?.body ?? ''),
      headers: Object.fromEntries(new Headers(init?.headers)),
    });
    return new Response(null, { status });
  }) as typeof fetch;
  const rzp = options.razorpay
    ? await startRazorpayEmulator({
        clock,
        webhook: { url: 'http://billing-app.test/webhook/razorpay', fetch: razorpayRelay, retry: { retries: 0 } },
      })
    : null;
  const gateways = rzp
    ? {
        gateways: [
          createRazorpayGateway({
            client: new RazorpayClient({
              keyId: rzp.credentials.keyId,
              keySecret: rzp.credentials.keySecret,
              baseUrl: rzp.baseUrl,
              retry: { limit: 0 },
            }),
            webhookSecret: rzp.credentials.webhookSecret,
            clock,
          }),
        ],
      }
    : {};
  const lent = await borrowStore(backend);
  const store = new SwitchableStore(lent.store);
  const logger = recordingLogger();
  const billing = new SubscriptionManager({
    client,
    ...gateways,
    store,
    plans: PLANS,
    clock,
    logger,
    config: {
      callbackUrl: 'https://api.example.com/v1/payments/callback',
      redirectAllowlist: ['https://app.example.com'],
      ...options.config,
    },
  });
  await billing.syncPlans();
  return {
    backend,
    clock,
    emu,
    client,
    store,
    billing,
    logger,
    setWebhookTarget: (url) => void (target = url),
    rzp,
    setRazorpayWebhookSink: (deliver) => void (razorpaySink = deliver),
    options: (overrides = {}) => ({
      billing,
      auth: testAuth,
      webhook: { ...WEBHOOK },
      logger,
      roles: { refund: ['owner'] },
      ...overrides,
    }),
    async close() {
      await emu.close();
      await rzp?.close();
      await lent.giveBack();
    },
  };
}
