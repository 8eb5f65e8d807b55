// The README's "Quickstart per framework", run as written (imports point at the source instead of the
// package; `sessions` and `memberships` stand in for the host's own auth) against the emulator.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phonePeBillingRouter } from '../../adapters/express/index.js';
import { phonePeBillingPlugin } from '../../adapters/fastify/index.js';
import { phonePeBillingApp } from '../../adapters/hono/index.js';
import { loadConfigFromEnv, MemoryStore, PhonePeClient, SubscriptionManager, type BillingAuth } from '../../src/index.js';
import { defaultEmulatorMerchant, defaultEmulatorWebhookCredentials, startPhonePeEmulator, type PhonePeEmulator } from '../../src/testing/index.js';

const sessions = { verify: async (header: string | null) => (header === 'Bearer owner-token' ? { userId: 'u_1' } : null) };
const memberships = { role: async (userId: string, workspaceId: string) => (userId === 'u_1' && workspaceId === 'ws_1' ? ('owner' as const) : null) };

// ---- README: shared set-up ----
async function createBilling() {
  const config = loadConfigFromEnv();
  const billing = new SubscriptionManager({
    client: new PhonePeClient(config.phonepe),
    // production: createPgStore({ connectionString: config.databaseUrl }) from 'phonepe-billing/kysely',
    // with loadConfigFromEnv(process.env, { database: true }) so DATABASE_URL is required
    store: new MemoryStore(),
    plans: [{ id: 'pro', name: 'Pro', price: 299900, interval: 'month', limits: { projects: 50 } }],
    config: {
      callbackUrl: config.callbackUrl,
      redirectAllowlist: config.redirectAllowlist,
      allowHttpLocalhost: config.phonepe.env === 'SANDBOX', // accept http://localhost return URLs while developing
    },
  });
  await billing.syncPlans();
  const auth: BillingAuth = {
    authenticate: async (request) => {
      const session = await sessions.verify(request.headers.get('authorization')); // your JWT / session check
      return session ? { userId: session.userId } : null;
    },
    getRole: (userId, workspaceId) => memberships.role(userId, workspaceId), // 'owner' | 'admin' | 'member' | null
  };
  return { billing, auth, webhook: config.webhook };
}
// ---- end ----

describe('README quickstart per framework', () => {
  let emu: PhonePeEmulator;
  const saved = { ...process.env };
  beforeAll(async () => {
    emu = await startPhonePeEmulator();
    Object.assign(process.env, {
      PHONEPE_CLIENT_ID: defaultEmulatorMerchant.clientId, PHONEPE_CLIENT_SECRET: defaultEmulatorMerchant.clientSecret, PHONEPE_CLIENT_VERSION: '1', PHONEPE_ENV: 'SANDBOX',
      PHONEPE_WEBHOOK_USERNAME: defaultEmulatorWebhookCredentials.username, PHONEPE_WEBHOOK_PASSWORD: defaultEmulatorWebhookCredentials.password,
      PHONEPE_CALLBACK_URL: 'http://127.0.0.1:3000/v1/payments/callback', PAYMENT_REDIRECT_ALLOWLIST: 'http://127.0.0.1:3000', PHONEPE_BASE_URL: emu.baseUrls.pg,
    });
  });
  afterAll(async () => {
    process.env = saved;
    await emu?.close();
  });

  async function checkout(origin: string) {
    const plans = await fetch(`${origin}/v1/plans`);
    expect((await plans.json()).plans[0].price).toBe('2999.00');
    const res = await fetch(`${origin}/v1/payments/create`, {
      method: 'POST',
      headers: { authorization: 'Bearer owner-token', 'x-tenant-id': 'ws_1', 'content-type': 'application/json' },
      // The .env.phonepe.example values: an http://127.0.0.1 return URL, accepted in the sandbox.
      body: JSON.stringify({ plan_id: 'pro', amount: '2999.00', return_url: 'http://127.0.0.1:3000/billing' }),
    });
    expect(res.status).toBe(200);
    expect((await res.json()).payment_url).toContain(emu.url);
  }

  it('Express', async () => {
    const { billing, auth, webhook } = await createBilling();
    // ---- README: Express ----
    const app = express();
    app.use(phonePeBillingRouter({ billing, auth, webhook })); // → /v1/... (or app.use('/billing', …) → /billing/v1/...)
    app.use(express.json()); // your own routes' parser can come after (or before) the billing router
    const server = app.listen(0);
    // ---- end ----
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      await checkout(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    } finally {
      server.close();
    }
  });

  it('Fastify', async () => {
    const { billing, auth, webhook } = await createBilling();
    // ---- README: Fastify ----
    const app = Fastify({ logger: false });
    await app.register(phonePeBillingPlugin, { billing, auth, webhook }); // → /v1/... (prefix: '/billing' → /billing/v1/...)
    const origin = await app.listen({ port: 0, host: '127.0.0.1' });
    // ---- end ----
    try {
      await checkout(origin);
    } finally {
      await app.close();
    }
  });

  it('Hono', async () => {
    const { billing, auth, webhook } = await createBilling();
    // ---- README: Hono ----
    const app = new Hono();
    app.route('/', phonePeBillingApp({ billing, auth, webhook })); // → /v1/... (app.route('/billing', …) → /billing/v1/...)
    const server = serve({ fetch: app.fetch, port: 0 });
    // ---- end ----
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      await checkout(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    } finally {
      server.close();
    }
  });
});
