import { describe, expect, it } from 'vitest';
import { createBillingHandler } from '../../src/http/index.js';
import { ApiClient, handlerCaller } from '../http/support/api-client.js';
import { createPayment, useMountedApi } from '../http/support/mounted-api.js';

// POST /payments/{order_id}/refund uses the same `manage` access as creating a payment
// (src/http/routes/payment-routes.ts), so with the default roles the paying customer — the workspace
// owner — can refund their own payment in full. createRefund (src/billing/refunds/create-refund.ts) never
// touches the subscription, so the workspace keeps the paid plan for the whole period, for free.
describe('a workspace owner refunding their own payment over HTTP', () => {
  const ctx = useMountedApi(async (h) => ({ api: new ApiClient(handlerCaller(createBillingHandler(h.options())), '/v1'), close: async () => {} }));

  it('gets all the money back and keeps the active subscription', async () => {
    const { h, api } = ctx;
    const created = await createPayment(api, 'ws_selfrefund');
    await h.emu.completeOrder(created.json.order_id);
    // No webhook relay in this harness: the payer's browser comes back through the callback.
    expect((await api.get(`/payments/callback?order_id=${created.json.order_id}`, { as: null })).status).toBe(302);
    expect((await api.get('/subscriptions', { tenant: 'ws_selfrefund' })).json.subscription).toMatchObject({ status: 'active', plan_id: 'pro' });

    const refund = await api.post(`/payments/${created.json.order_id}/refund`, { tenant: 'ws_selfrefund', json: { reason: 'changed my mind' } });
    expect(refund.status).toBe(200);
    expect(refund.json.refund).toMatchObject({ amount: '2999.00' });
    await h.emu.completeRefund(refund.json.refund.refund_id);
    await h.billing.reconcile({ olderThanMs: 0 });
    expect(h.emu.getRefund(refund.json.refund.refund_id)).toMatchObject({ state: 'COMPLETED', amount: 299_900 });

    const sub = (await api.get('/subscriptions', { tenant: 'ws_selfrefund' })).json.subscription;
    // Today: 200 for the owner, refund COMPLETED for ₹2,999.00, and the subscription is still active
    // with its full period and limits. Either refunds need their own (operator) role, or a full refund
    // must end / shorten the subscription it paid for.
    expect({ refundStatus: refund.status, subscription: sub.status }).not.toEqual({ refundStatus: 200, subscription: 'active' });
  });
});
