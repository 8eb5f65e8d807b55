import { afterAll, beforeAll } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PhonePeClient } from '../../../src/client/phonepe-client.js';
import type { PhonePeClientOptions } from '../../../src/client/client-options.js';
import { SubscriptionManager } from '../../../src/billing/subscription-manager.js';
import type { BillingHooks } from '../../../src/billing/billing-hooks.js';
import type { BillingConfigInput } from '../../../src/billing/billing-config.js';
import type { PlanDefinition } from '../../../src/billing/plan-definition.js';
import type { WebhookHandlingResult } from '../../../src/billing/handle-webhook.js';
import { createManualClock, type ManualClock } from '../../../src/common/clock.js';
import type { Logger } from '../../../src/common/logger.js';
import type { BillingStore } from '../../../src/storage/billing-store.js';
import {
  defaultEmulatorMerchant,
  defaultEmulatorWebhookCredentials,
  startPhonePeEmulator,
  type PhonePeEmulator,
  type PhonePeEmulatorOptions,
} from '../../../src/testing/index.js';
import { verifyWebhook } from '../../../src/webhooks/verify-webhook.js';
import { startRazorpayEmulator, type RazorpayEmulator } from '../../../src/testing/razorpay/index.js';
import type { RazorpayEmulatorOptions } from '../../../src/testing/razorpay/razorpay-emulator-options.js';
import { RazorpayClient } from '../../../src/razorpay/razorpay-client.js';
import { createRazorpayGateway } from '../../../src/razorpay/razorpay-gateway.js';
import type { PaymentGateway } from '../../../src/billing/payment-gateway.js';
import { type Backend, borrowStore } from '../../support/store-pool.js';
import { type GatewayDriver, phonePeDriver, razorpayDriver } from './gateway-driver.js';

export { BACKENDS, type Backend } from '../../support/store-pool.js';

const HOOK_NAMES = [
  'paymentCompleted',
  'paymentFailed',
  'subscriptionActivated',
  'subscriptionRenewed',
  'subscriptionPlanChanged',
  'subscriptionPastDue',
  'subscriptionCancelled',
  'subscriptionResumed',
  'subscriptionExpired',
  'renewalReminder',
  'quotaWarning',
  'refundCompleted',
  'refundFailed',
  'anomaly',
] as const satisfies ReadonlyArray<keyof BillingHooks>;

export const START = Date.parse('2026-11-01T00:00:00.000Z');
export const DAY = 24 * 60 * 60 * 1000;
export const RETURN_URL = 'https://app.example.com/billing';

export const PLANS: PlanDefinition[] = [
  {
    id: 'starter',
    name: 'Starter',
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
    interval: 'month',
    limits: { projects: null, api_calls: null },
    autopay: true,
  },
  { id: 'trial_plan', name: 'Trial', price: 49_900, interval: 'month', limits: { projects: 2 }, trialDays: 14 },
  // Above enterprise, for upgrades past a mandate's cap (a new mandate); ₹12,000 needs autopay.maxAmountPaise raised.
  { id: 'scale', name: 'Scale', price: 1_200_000, interval: 'month', limits: { projects: null }, autopay: true },
];

/** Everything an end-to-end billing test drives: emulator, client, store, manager, clock and what the hooks saw. */
export interface BillingHarness {
  backend: Backend;
  clock: ManualClock;
  emu: PhonePeEmulator;
  client: PhonePeClient;
  store: BillingStore;
  billing: SubscriptionManager;
  /** Every hook call, in order. */
  hookCalls: Array<{ name: string; event: any }>;
  /** What the webhook endpoint did with each delivery it accepted. */
  webhookResults: WebhookHandlingResult[];
  /** Makes the webhook endpoint answer 503 (as if the database were down) until set back. */
  failWebhooks: { value: boolean };
  /** The gateway new checkouts go to, and how a test acts as its payer, bank and webhooks. */
  gateway: GatewayDriver;
  /** The Razorpay emulator, when the harness runs on Razorpay (`{ gateway: 'razorpay' }`). */
  rzp: RazorpayEmulator | null;
  /**
   * Another manager on the same data, as a second process would have (its own pool on PostgreSQL), with
   * no hooks unless given.
   */
  anotherManager(options?: { hooks?: BillingHooks }): Promise<SubscriptionManager>;
  close(): Promise<void>;
}

/**
 * Starts the emulator (on a manual clock shared with the manager), a real HTTP webhook endpoint that
 * verifies and hands deliveries to `billing.handleWebhook`, a store on `backend`, and the manager.
 */
export async function createBillingHarness(
  backend: Backend,
  overrides: {
    config?: Partial<BillingConfigInput>;
    hooks?: BillingHooks;
    logger?: Logger;
    client?: Partial<PhonePeClientOptions>;
    emulator?: Partial<PhonePeEmulatorOptions>;
    /** The gateway new checkouts go to; with `razorpay` the manager holds both (PhonePe by `client`). @default 'phonepe' */
    gateway?: 'phonepe' | 'razorpay';
    razorpay?: Partial<RazorpayEmulatorOptions>;
  } = {},
): Promise<BillingHarness> {
  const clock = createManualClock(START);
  const hookCalls: BillingHarness['hookCalls'] = [];
  const webhookResults: WebhookHandlingResult[] = [];
  const failWebhooks = { value: false };
  let billing: SubscriptionManager | undefined;
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      try {
        if (failWebhooks.value) throw new Error('webhook endpoint told to fail');
        if (req.url === '/v1/payments/webhook/razorpay') {
          // As the HTTP handler's route does: the gateway verifies the raw body with its own secret.
          const headers = new Headers();
          for (const [name, value] of Object.entries(req.headers))
            if (typeof value === 'string') headers.set(name, value);
          const result = await billing!.handleGatewayWebhook('razorpay', { body: Buffer.concat(chunks), headers });
          webhookResults.push(result);
          res.writeHead(result.outcome === 'unconfirmed' ? 503 : 200).end();
          return;
        }
        const event = await verifyWebhook(
          { authorization: req.headers.authorization, body: Buffer.concat(chunks) },
          defaultEmulatorWebhookCredentials,
        );
        const result = await billing!.handleWebhook(event);
        webhookResults.push(result);
        // As the handler does: an event PhonePe's status API does not confirm yet is delivered again.
        res.writeHead(result.outcome === 'unconfirmed' ? 503 : 200).end();
      } catch {
        res.writeHead(503).end();
      }
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/v1/payments/webhook`;
  const emu = await startPhonePeEmulator({
    clock,
    webhook: { url: webhookUrl, ...defaultEmulatorWebhookCredentials, retry: { retries: 2, delaysMs: [20, 50] } },
    ...overrides.emulator,
  });
  const client = new PhonePeClient({
    clientId: defaultEmulatorMerchant.clientId,
    clientSecret: defaultEmulatorMerchant.clientSecret,
    clientVersion: defaultEmulatorMerchant.clientVersion,
    env: 'SANDBOX',
    baseUrls: emu.baseUrls,
    clock,
    retry: { limit: 0 },
    ...overrides.client,
  });
  const rzp =
    overrides.gateway === 'razorpay'
      ? await startRazorpayEmulator({
          clock,
          webhook: {
            url: webhookUrl.replace(/webhook$/, 'webhook/razorpay'),
            retry: { retries: 2, delaysMs: [20, 50] },
          },
          ...overrides.razorpay,
        })
      : null;
  const gateways = (): PaymentGateway[] =>
    rzp
      ? [
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
        ]
      : [];
  const gatewayOptions = rzp ? { gateways: gateways(), defaultGateway: 'razorpay' } : {};
  const lent = await borrowStore(backend);
  const { store } = lent;
  const extraStores: BillingStore[] = [];
  const hooks = Object.fromEntries(
    HOOK_NAMES.map((name) => [
      name,
      (event: never) => {
        hookCalls.push({ name, event });
        return (overrides.hooks?.[name] as ((e: never) => unknown) | undefined)?.(event);
      },
    ]),
  ) as BillingHooks;
  billing = new SubscriptionManager({
    client,
    ...gatewayOptions,
    store,
    plans: PLANS,
    clock,
    hooks,
    ...(overrides.logger ? { logger: overrides.logger } : {}),
    config: {
      callbackUrl: 'https://api.example.com/v1/payments/callback',
      redirectAllowlist: ['https://app.example.com'],
      ...overrides.config,
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
    hookCalls,
    webhookResults,
    failWebhooks,
    gateway: rzp ? razorpayDriver(rzp, () => billing!) : phonePeDriver(emu),
    rzp,
    async anotherManager(options = {}) {
      const extra = await lent.another();
      if (extra !== store) extraStores.push(extra);
      return new SubscriptionManager({
        client,
        ...(rzp ? { gateways: gateways(), defaultGateway: 'razorpay' } : {}),
        store: extra,
        plans: PLANS,
        clock,
        ...(options.hooks ? { hooks: options.hooks } : {}),
        config: {
          callbackUrl: 'https://api.example.com/v1/payments/callback',
          redirectAllowlist: ['https://app.example.com'],
          ...overrides.config,
        },
      });
    },
    async close() {
      for (const extra of extraStores) await extra.close();
      await emu.close();
      await rzp?.close();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
      await lent.giveBack();
    },
  };
}

/** The hook names called so far, in order. */
export function hookNames(h: BillingHarness): string[] {
  return h.hookCalls.map((c) => c.name);
}

/**
 * Opens a harness for the enclosing `describe` (before its tests, closed after them) and returns a
 * stand-in that forwards to it, so tests read `h.billing`, `h.emu`, … directly.
 */
export function useBillingHarness(
  backend: Backend,
  overrides: Parameters<typeof createBillingHarness>[1] = {},
): BillingHarness {
  let current: BillingHarness | undefined;
  beforeAll(async () => {
    current = await createBillingHarness(backend, overrides);
  });
  afterAll(async () => {
    await current?.close();
  });
  return new Proxy({} as BillingHarness, {
    get(_target, property) {
      if (!current) throw new Error('the billing harness is used before it opened (use it inside a test)');
      return Reflect.get(current, property);
    },
  });
}
