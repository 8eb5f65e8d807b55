import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { phonePeBillingApp } from '../../adapters/hono/index.js';
import type { BillingConfigInput } from '../../src/billing/billing-config.js';
import type { PlanDefinition } from '../../src/billing/plan-definition.js';
import { SubscriptionManager } from '../../src/billing/subscription-manager.js';
import { PhonePeClient } from '../../src/client/phonepe-client.js';
import type { Clock } from '../../src/common/clock.js';
import { createPgStore, type KyselyStore } from '../../src/storage/kysely/index.js';
import { defaultEmulatorMerchant } from '../../src/testing/index.js';
import { countingPool, type SqlCounter } from './database.js';
import { BENCH_WEBHOOK } from './webhook-bodies.js';

export const PLANS: PlanDefinition[] = [
  {
    id: 'pro',
    name: 'Pro',
    price: 299_900,
    interval: 'month',
    limits: { projects: 1_000_000, api_calls: 1_000_000_000 },
    features: ['sso'],
  },
];

/** A manager on PostgreSQL (through a counting pool) and a PhonePe client for `phonepeBaseUrl`. */
export interface BillingStack {
  billing: SubscriptionManager;
  client: PhonePeClient;
  store: KyselyStore;
  pool: pg.Pool;
  counter: SqlCounter;
  close(): Promise<void>;
}

export interface BillingStackOptions {
  databaseUrl: string;
  /** Base URL of PhonePe (the emulator's `baseUrls.pg`). */
  phonepeBaseUrl: string;
  config?: Partial<BillingConfigInput>;
  clock?: Clock;
  /** Pool size. @default 10 (createPgStore's default) */
  poolMax?: number;
  /** Wraps the client's fetch (to count PhonePe calls). */
  fetch?: typeof fetch;
}

export async function openBillingStack(options: BillingStackOptions): Promise<BillingStack> {
  const { pool, counter } = countingPool(options.databaseUrl, options.poolMax ?? 10);
  const store = await createPgStore({ pool });
  const client = new PhonePeClient({
    clientId: defaultEmulatorMerchant.clientId,
    clientSecret: defaultEmulatorMerchant.clientSecret,
    clientVersion: defaultEmulatorMerchant.clientVersion,
    env: 'SANDBOX',
    baseUrls: { pg: options.phonepeBaseUrl, oauth: options.phonepeBaseUrl },
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const billing = new SubscriptionManager({
    client,
    store,
    plans: PLANS,
    ...(options.clock ? { clock: options.clock } : {}),
    config: {
      callbackUrl: 'https://api.example.com/v1/payments/callback',
      redirectAllowlist: ['https://app.example.com'],
      ...options.config,
    },
  });
  await billing.syncPlans();
  return {
    billing,
    client,
    store,
    pool,
    counter,
    async close() {
      await store.close();
      await pool.end();
    },
  };
}

/** The billing routes as a Hono host app over real HTTP (@hono/node-server), webhooks only needing no identity. */
export async function serveHono(
  billing: SubscriptionManager,
): Promise<{ origin: string; webhookUrl: string; close(): Promise<void> }> {
  const app = new Hono();
  app.route(
    '/',
    phonePeBillingApp({
      billing,
      auth: { authenticate: () => null, getRole: () => null },
      webhook: { ...BENCH_WEBHOOK },
    }),
  );
  let server: ServerType | undefined;
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
  });
  const origin = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
  return {
    origin,
    webhookUrl: `${origin}/v1/payments/webhook`,
    close: () =>
      new Promise<void>((resolve) => {
        server!.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
