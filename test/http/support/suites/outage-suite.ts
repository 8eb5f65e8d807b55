import { describe, expect, it } from 'vitest';
import { createPayment, emulatorWebhookBody, postWebhook, useMountedApi, type Mount } from '../mounted-api.js';

/** Storage or PhonePe down: 503 (so PhonePe redelivers), or the stored state marked stale. */
export function describeOutages(label: string, mount: Mount): void {
  describe(`${label}: outages`, () => {
    const ctx = useMountedApi(mount);

    it('answers 503 STORE_UNAVAILABLE while the database is down, and settles the redelivered webhook after', async () => {
      const { json: created } = await createPayment(ctx.api, 'ws_outage');
      await ctx.h.emu.completeOrder(created.order_id);
      const body = emulatorWebhookBody(ctx.h, created.order_id);
      ctx.h.store.down = true;
      try {
        const hook = await postWebhook(ctx.api, body);
        expect([hook.status, hook.json.error.code]).toEqual([503, 'STORE_UNAVAILABLE']);
        expect(hook.text).not.toContain('ECONNREFUSED');
        for (const res of [
          await ctx.api.get('/subscriptions', { tenant: 'ws_outage' }),
          await ctx.api.get('/plans', { as: null }),
          await createPayment(ctx.api, 'ws_outage2').catch((e: Error) => ({
            status: Number(/failed: (\d+)/.exec(e.message)?.[1]),
            json: null,
          })),
        ]) {
          expect(res.status).toBe(503);
        }
        const page = await ctx.api.get(`/payments/callback?order_id=${created.order_id}`, {
          as: null,
          headers: { accept: 'text/html' },
        });
        expect(page.status).toBe(503);
        expect(page.text).toContain('Payment status unavailable');
      } finally {
        ctx.h.store.down = false;
      }
      const retried = await postWebhook(ctx.api, body);
      expect([retried.status, retried.json.outcome]).toEqual([200, 'processed']);
      expect((await ctx.api.get('/subscriptions', { tenant: 'ws_outage' })).json.data.subscription.status).toBe(
        'active',
      );
      expect(ctx.h.logger.entries.some((e) => e.level === 'warn' && e.obj.code === 'STORE_UNAVAILABLE')).toBe(true);
    });

    it('answers the stored state with stale: true when PhonePe cannot be asked', async () => {
      const { json: created } = await createPayment(ctx.api, 'ws_stale');
      const fault = ctx.h.emu.faults.add({ path: '/checkout/v2/order/*/status', status: 503 });
      try {
        const res = await ctx.api.get(`/payments/status/${created.order_id}`, { tenant: 'ws_stale' });
        expect(res.status).toBe(200);
        expect(res.json).toMatchObject({
          status: 'success',
          stale: true,
          payment: { order_id: created.order_id, state: 'pending' },
        });
      } finally {
        ctx.h.emu.faults.remove(fault.id);
      }
      const fresh = await ctx.api.get(`/payments/status/${created.order_id}`, { tenant: 'ws_stale' });
      expect(fresh.json.stale).toBe(false);
    });

    it('answers 503 when PhonePe is down while creating a payment', async () => {
      const fault = ctx.h.emu.faults.add({ method: 'POST', path: '/checkout/v2/pay', status: 503 });
      try {
        const res = await ctx.api.post('/payments/create', {
          tenant: 'ws_pay_down',
          json: { plan_id: 'pro', amount: '2999.00', return_url: 'https://app.example.com/billing' },
        });
        expect(res.status).toBe(503);
        expect(res.json.error.code).toMatch(/^PAYMENT_(PROVIDER_UNAVAILABLE|OUTCOME_UNKNOWN)$/);
      } finally {
        ctx.h.emu.faults.remove(fault.id);
      }
    });
  });
}
