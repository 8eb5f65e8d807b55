import { describe, expect, it } from 'vitest';
import { createBillingHandler } from '../../src/http/index.js';
import { ApiClient, handlerCaller } from './support/api-client.js';
import { createPayment, useMountedApi } from './support/mounted-api.js';

// Found in review: with the `manage` access the paying customer — the workspace owner — could refund their
// own payment in full over HTTP and keep what it bought. Refunds have their own role list, empty by default.
describe('a workspace owner refunding their own payment over HTTP', () => {
  const ctx = useMountedApi(async (h) => ({
    api: new ApiClient(handlerCaller(createBillingHandler(h.options({ roles: undefined }))), '/v1'),
    close: async () => {},
  }));

  it('is refused by default: refunds over HTTP need roles.refund, and nothing is refunded', async () => {
    const { h, api } = ctx;
    const created = await createPayment(api, 'ws_selfrefund');
    await h.emu.completeOrder(created.json.order_id);
    // No webhook relay in this harness: the payer's browser comes back through the callback.
    expect((await api.get(`/payments/callback?order_id=${created.json.order_id}`, { as: null })).status).toBe(302);
    expect((await api.get('/subscriptions', { tenant: 'ws_selfrefund' })).json.data.subscription).toMatchObject({
      status: 'active',
      plan_id: 'pro',
    });

    const refund = await api.post(`/payments/${created.json.order_id}/refund`, {
      tenant: 'ws_selfrefund',
      json: { reason: 'changed my mind' },
    });
    expect(refund.status).toBe(403);
    expect(refund.json.error).toMatchObject({ code: 'FORBIDDEN' });
    expect(refund.json.error.message).toContain('roles.refund');
    const payment = (await h.billing.getPayment(created.json.order_id))!;
    expect(await h.store.transaction({ system: true }, (tx) => tx.refunds.listByPayment(payment.id))).toEqual([]);
    expect((await api.get('/subscriptions', { tenant: 'ws_selfrefund' })).json.data.subscription).toMatchObject({
      status: 'active',
    });
  });
});
