import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SubscriptionManager } from '../../src/billing/subscription-manager.js';
import { createBillingHandler } from '../../src/http/index.js';
import { createPgStore } from '../../src/storage/kysely/index.js';
import { ApiClient, fetchCaller, handlerCaller } from './support/api-client.js';
import { BACKENDS, createHttpHarness, PLANS, RETURN_URL, type HttpHarness } from './support/http-harness.js';
import { createPayment, postWebhook } from './support/mounted-api.js';
import { serveOnNodeHttp } from './support/node-server.js';
import { databaseUrl, requireDependency } from '../support/environment.js';

// The flows run on PostgreSQL too when DATABASE_URL is set; under CI its absence fails the run.
requireDependency(
  databaseUrl,
  'PostgreSQL (DATABASE_URL)',
  'set DATABASE_URL=postgres://postgres@127.0.0.1:5432/phonepe_billing_test',
);

describe.each(BACKENDS)('full flow over real HTTP, emulator webhooks (%s)', (backend) => {
  let h: HttpHarness;
  let server: Awaited<ReturnType<typeof serveOnNodeHttp>>;
  let api: ApiClient;
  beforeAll(async () => {
    h = await createHttpHarness({ backend, webhooks: 'relay' });
    server = await serveOnNodeHttp(createBillingHandler(h.options()));
    h.setWebhookTarget(`${server.origin}/v1/payments/webhook`);
    api = new ApiClient(fetchCaller(server.origin), '/v1');
  });
  afterAll(async () => {
    await server?.close();
    await h?.close();
  });

  it('create payment → pay at PhonePe → webhook → subscription active → callback → cancel', async () => {
    const created = await createPayment(api, 'ws_flow');
    await h.emu.completeOrder(created.json.order_id);
    await h.emu.webhooks.idle();
    const delivery = h.emu.webhooks.deliveries.find(
      (d) => d.body.includes(created.json.order_id) && d.event === 'checkout.order.completed',
    );
    expect(delivery?.attempts.map((a) => a.status)).toEqual([200]);
    const sub = await api.get('/subscriptions', { tenant: 'ws_flow', as: 'member' });
    expect(sub.json.data).toMatchObject({
      subscription: { plan_id: 'pro', status: 'active' },
      usage: { projects: { current: 0, limit: 50, percentage: 0 } },
    });
    const back = await api.get(`/payments/callback?order_id=${created.json.order_id}`, { as: null });
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toBe(
      `${RETURN_URL}?payment_status=completed&order_id=${created.json.order_id}`,
    );
    const status = await api.get(`/payments/status/${created.json.order_id}`, { tenant: 'ws_flow' });
    expect(status.json.payment).toMatchObject({
      state: 'completed',
      phonepe_order_id: expect.any(String),
      payment_mode: expect.any(String),
    });
    const cancelled = await api.put('/subscriptions/cancel', {
      tenant: 'ws_flow',
      json: { cancellation_reason: 'moving on' },
    });
    expect(cancelled.json.subscription).toMatchObject({
      status: 'active',
      cancel_at_period_end: true,
      cancellation_reason: 'moving on',
    });
  });

  it('a webhook refused with 503 while the database is down settles when PhonePe delivers it again', async () => {
    const created = await createPayment(api, 'ws_flow_outage');
    h.store.down = true;
    try {
      await h.emu.completeOrder(created.json.order_id);
      await h.emu.webhooks.idle();
    } finally {
      h.store.down = false;
    }
    const delivery = h.emu.webhooks.deliveries.find(
      (d) => d.body.includes(created.json.order_id) && d.event === 'checkout.order.completed',
    );
    expect(delivery?.attempts.map((a) => a.status)).toEqual([503, 503, 503]);
    expect(
      await api.get('/subscriptions', { tenant: 'ws_flow_outage' }).then((r) => r.json.data.subscription),
    ).toBeNull();
    const again = await h.emu.webhooks.resend(delivery!.id);
    expect(again.attempts.map((a) => a.status)).toEqual([200]);
    expect((await api.get('/subscriptions', { tenant: 'ws_flow_outage' })).json.data.subscription.status).toBe(
      'active',
    );
  });
});

describe('a KyselyStore whose PostgreSQL is unreachable', () => {
  let h: HttpHarness;
  beforeAll(async () => {
    h = await createHttpHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('makes the webhook and API routes answer 503 STORE_UNAVAILABLE', async () => {
    const store = await createPgStore({
      connectionString: 'postgres://postgres@127.0.0.1:1/nowhere',
      connectionTimeoutMs: 2_000,
    });
    try {
      const billing = new SubscriptionManager({
        client: h.client,
        store,
        plans: PLANS,
        config: {
          callbackUrl: 'https://api.example.com/v1/payments/callback',
          redirectAllowlist: ['https://app.example.com'],
        },
      });
      const api = new ApiClient(handlerCaller(createBillingHandler(h.options({ billing }))), '/v1');
      const body = JSON.stringify({
        event: 'checkout.order.completed',
        payload: {
          merchantOrderId: 'ord_1',
          orderId: 'OMO1',
          state: 'COMPLETED',
          amount: 299_900,
          expireAt: 1,
          paymentDetails: [],
        },
      });
      const hook = await postWebhook(api, body);
      expect([hook.status, hook.json.error.code]).toEqual([503, 'STORE_UNAVAILABLE']);
      const plans = await api.get('/plans', { as: null });
      expect([plans.status, plans.json.error.code]).toEqual([503, 'STORE_UNAVAILABLE']);
      const sub = await api.get('/subscriptions', { tenant: 'ws_1' });
      expect(sub.status).toBe(503);
    } finally {
      await store.close();
    }
  });
});
