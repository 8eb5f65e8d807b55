import { describe, expect, it } from 'vitest';
import { RETURN_URL } from '../http-harness.js';
import {
  createPayment,
  emulatorWebhookBody,
  payAndDeliver,
  postWebhook,
  subscribe,
  useMountedApi,
  type Mount,
} from '../mounted-api.js';
import { storeSnapshot } from '../store-snapshot.js';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Every route's happy path and the seed's request/response shapes. */
export function describeRoutes(label: string, mount: Mount): void {
  describe(`${label}: routes and shapes`, () => {
    const ctx = useMountedApi(mount);

    it('GET /plans needs no identity and lists prices as rupee strings plus paise', async () => {
      const res = await ctx.api.get('/plans', { as: null });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.json.status).toBe('success');
      expect(res.json.plans.map((p: { id: string }) => p.id)).toEqual(['starter', 'pro', 'enterprise']);
      expect(res.json.plans[0]).toEqual({
        id: 'starter',
        name: 'Starter',
        description: 'For small teams',
        price: '999.00',
        price_paise: 99_900,
        currency: 'INR',
        interval: 'month',
        limits: { projects: 5, api_calls: 1_000 },
        features: ['email support'],
        autopay: true,
        trial_days: 0,
      });
    });

    it('POST /payments/create answers the seed shape, with amounts as "2999.00" or 2999.00', async () => {
      const res = await createPayment(ctx.api, 'ws_create', 'pro', '2999.00');
      expect(res.json).toEqual({
        status: 'success',
        payment_url: expect.stringContaining(ctx.h.emu.url),
        gateway: 'phonepe',
        order_id: expect.stringMatching(/^[A-Za-z0-9_-]{1,63}$/),
        transaction_id: expect.any(String),
        amount: '2999.00',
        amount_paise: 299_900,
        currency: 'INR',
        plan_id: 'pro',
        autopay: false,
        expires_at: expect.stringMatching(ISO),
      });
      const numeric = await ctx.api.post('/payments/create', {
        tenant: 'ws_create_num',
        json: { plan_id: 'pro', amount: 2999.0, currency: 'INR', return_url: RETURN_URL },
      });
      expect(numeric.status).toBe(200);
      expect(numeric.json.amount_paise).toBe(299_900);
      expect(ctx.h.emu.getOrder(numeric.json.order_id).amount).toBe(299_900);
    });

    it('honours Idempotency-Key: a replay returns the same body and creates nothing new', async () => {
      const send = () =>
        ctx.api.post('/payments/create', {
          tenant: 'ws_idem',
          headers: { 'idempotency-key': 'checkout-ws_idem-1' },
          json: { plan_id: 'pro', amount: '2999.00', return_url: RETURN_URL },
        });
      const first = await send();
      const before = await storeSnapshot(ctx.h.store, ['ws_idem']);
      const second = await send();
      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
      expect(second.json).toEqual(first.json);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      expect(await storeSnapshot(ctx.h.store, ['ws_idem'])).toEqual(before);
    });

    it('GET /payments/status/{order_id} refreshes a pending payment from PhonePe', async () => {
      const { json: created } = await createPayment(ctx.api, 'ws_status');
      const pending = await ctx.api.get(`/payments/status/${created.order_id}`, { tenant: 'ws_status' });
      expect(pending.status).toBe(200);
      expect(pending.json).toMatchObject({
        status: 'success',
        stale: false,
        payment: {
          order_id: created.order_id,
          state: 'pending',
          amount: '2999.00',
          amount_paise: 299_900,
          payment_url: created.payment_url,
        },
      });
      await ctx.h.emu.completeOrder(created.order_id);
      const done = await ctx.api.get(`/payments/status/${created.order_id}`, { tenant: 'ws_status', as: 'member' });
      expect(done.json.payment).toMatchObject({
        state: 'completed',
        payment_url: null,
        settled_at: expect.stringMatching(ISO),
        transaction_id: created.transaction_id,
      });
      expect((await ctx.api.get('/subscriptions', { tenant: 'ws_status' })).json.data.subscription.status).toBe(
        'active',
      );
    });

    it('POST /payments/webhook settles a pretty-printed delivery once; the repeat is a 200 duplicate', async () => {
      const { json: created } = await createPayment(ctx.api, 'ws_hook');
      const first = await payAndDeliver(ctx.h, ctx.api, created.order_id);
      expect(first.status).toBe(200);
      expect(first.json).toEqual({ status: 'success', outcome: 'processed', event: 'checkout.order.completed' });
      const again = await postWebhook(ctx.api, emulatorWebhookBody(ctx.h, created.order_id));
      expect(again.status).toBe(200);
      expect(again.json.outcome).toBe('duplicate');
      // The seed's shape: data.subscription and data.usage side by side.
      const { data } = (await ctx.api.get('/subscriptions', { tenant: 'ws_hook', as: 'member' })).json;
      expect(data.subscription).toMatchObject({
        id: expect.any(String),
        plan_id: 'pro',
        plan_name: 'Pro',
        status: 'active',
        cancel_at_period_end: false,
        limits: { projects: 50, api_calls: 100_000 },
      });
      expect(data.subscription.current_period_end).toMatch(ISO);
      expect(data.usage).toEqual({
        api_calls: { current: 0, limit: 100_000, percentage: 0 },
        projects: { current: 0, limit: 50, percentage: 0 },
      });
    });

    it('GET /payments/callback redirects to the stored return URL, never to one from the query', async () => {
      const { json: created } = await createPayment(ctx.api, 'ws_callback');
      await ctx.h.emu.completeOrder(created.order_id);
      const res = await ctx.api.get(
        `/payments/callback?order_id=${created.order_id}&return_url=https://evil.example/steal`,
        { as: null },
      );
      expect(res.status).toBe(302);
      const location = new URL(res.headers.get('location') as string);
      expect(location.origin + location.pathname).toBe(RETURN_URL);
      expect(Object.fromEntries(location.searchParams)).toEqual({
        payment_status: 'completed',
        order_id: created.order_id,
      });
    });

    it('GET /payments/callback for an unknown order is 404: JSON for API clients, a page for browsers', async () => {
      const json = await ctx.api.get('/payments/callback?order_id=ord_unknown', { as: null });
      expect(json.status).toBe(404);
      expect(json.json.error.code).toBe('PAYMENT_NOT_FOUND');
      const page = await ctx.api.get('/payments/callback?order_id=ord_unknown', {
        as: null,
        headers: { accept: 'text/html,application/xhtml+xml' },
      });
      expect(page.status).toBe(404);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.text).toContain('Payment not found');
    });

    it('GET /subscriptions is null before the first payment', async () => {
      const res = await ctx.api.get('/subscriptions', { tenant: 'ws_never', as: 'member' });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ status: 'success', data: { subscription: null, usage: {} } });
    });

    it('PUT /subscriptions/cancel at period end, then POST /subscriptions/resume', async () => {
      await subscribe(ctx.h, ctx.api, 'ws_cancel');
      const cancelled = await ctx.api.put('/subscriptions/cancel', {
        tenant: 'ws_cancel',
        json: { cancellation_reason: 'too expensive', at_period_end: true },
      });
      expect(cancelled.status).toBe(200);
      expect(cancelled.json.subscription).toMatchObject({
        status: 'active',
        cancel_at_period_end: true,
        cancellation_reason: 'too expensive',
        cancelled_at: expect.stringMatching(ISO),
      });
      const resumed = await ctx.api.post('/subscriptions/resume', { tenant: 'ws_cancel' });
      expect(resumed.status).toBe(200);
      expect(resumed.json.subscription).toMatchObject({
        status: 'active',
        cancel_at_period_end: false,
        cancellation_reason: null,
      });
      const now = await ctx.api.put('/subscriptions/cancel', { tenant: 'ws_cancel', json: { at_period_end: false } });
      expect(now.json.subscription.status).toBe('cancelled');
    });

    it('POST /subscriptions/change-plan schedules a downgrade and prices an upgrade', async () => {
      await subscribe(ctx.h, ctx.api, 'ws_change');
      const down = await ctx.api.post('/subscriptions/change-plan', {
        tenant: 'ws_change',
        json: { plan_id: 'starter' },
      });
      expect(down.status).toBe(200);
      expect(down.json).toMatchObject({
        status: 'success',
        result: 'downgrade_scheduled',
        subscription: { plan_id: 'pro', pending_plan_id: 'starter' },
      });
      expect(down.json.payment_url).toBeUndefined();
      await subscribe(ctx.h, ctx.api, 'ws_upgrade', 'starter', '999.00');
      const up = await ctx.api.post('/subscriptions/change-plan', {
        tenant: 'ws_upgrade',
        json: { plan_id: 'pro', return_url: RETURN_URL },
      });
      expect(up.status).toBe(200);
      expect(up.json).toMatchObject({
        result: 'payment_required',
        payment_url: expect.stringContaining(ctx.h.emu.url),
        order_id: expect.any(String),
        amount: expect.stringMatching(/^\d+\.\d\d$/),
      });
      expect(up.json.amount_paise).toBe(Number(up.json.amount.replace('.', '')));
    });

    it('GET /subscriptions/usage shows current, limit and percentage for the period', async () => {
      await subscribe(ctx.h, ctx.api, 'ws_usage');
      await ctx.h.billing.recordUsage('ws_usage', 'projects', 3);
      const res = await ctx.api.get('/subscriptions/usage', { tenant: 'ws_usage', as: 'member' });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({
        status: 'success',
        plan_id: 'pro',
        period_start: expect.stringMatching(ISO),
        period_end: expect.stringMatching(ISO),
        usage: {
          projects: { current: 3, limit: 50, percentage: 6 },
          api_calls: { current: 0, limit: 100_000, percentage: 0 },
        },
      });
    });

    it('POST /payments/{order_id}/refund refunds part of a completed payment, never more than paid', async () => {
      const orderId = await subscribe(ctx.h, ctx.api, 'ws_refund');
      const res = await ctx.api.post(`/payments/${orderId}/refund`, {
        tenant: 'ws_refund',
        json: { amount: '500.00', reason: 'goodwill' },
      });
      expect(res.status).toBe(200);
      expect(res.json.refund).toMatchObject({
        refund_id: expect.any(String),
        order_id: orderId,
        amount: '500.00',
        amount_paise: 50_000,
        currency: 'INR',
        reason: 'goodwill',
        state: expect.stringMatching(/^(pending|confirmed)$/),
      });
      const tooMuch = await ctx.api.post(`/payments/${orderId}/refund`, {
        tenant: 'ws_refund',
        json: { amount: 2999 },
      });
      expect(tooMuch.status).toBe(422);
      expect(tooMuch.json.error).toMatchObject({
        code: 'REFUND_EXCEEDS_PAID',
        details: { requested: 299_900, refundable: 249_900 },
      });
    });
  });
}
