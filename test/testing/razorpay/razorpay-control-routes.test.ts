import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../../src/common/clock.js';
import { type RazorpayEmulator, startRazorpayEmulator } from '../../../src/testing/index.js';
import { razorpayCaller } from './support/razorpay-caller.js';

describe('Razorpay emulator control API under /__emulator', () => {
  let emu: RazorpayEmulator;
  let api: ReturnType<typeof razorpayCaller>;
  const clock = createManualClock(Date.parse('2026-05-01T00:00:00Z'));

  beforeAll(async () => {
    emu = await startRazorpayEmulator({ clock, confirmTokens: false, refundProcessAfterMs: 3_600_000 });
    api = razorpayCaller(emu, emu.credentials);
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.reset());

  it('pay: answers the handler fields with a signature over order_id|payment_id', async () => {
    const order = (await api.post('/orders', { amount: 12_300, currency: 'INR' })).body;
    const paid = await api.control('POST', `/orders/${order.id}/pay`, { method: 'card' });
    expect(paid.status).toBe(200);
    const expected = createHmac('sha256', emu.credentials.keySecret)
      .update(`${order.id}|${paid.body.razorpay_payment_id}`)
      .digest('hex');
    expect(paid.body).toEqual({
      razorpay_order_id: order.id,
      razorpay_payment_id: paid.body.razorpay_payment_id,
      razorpay_signature: expected,
    });
    expect((await api.control('GET', `/payments/${paid.body.razorpay_payment_id}`)).body).toMatchObject({
      method: 'card',
      status: 'captured',
    });
    const again = await api.control('POST', `/orders/${order.id}/pay`);
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('BAD_REQUEST_ERROR');
  });

  it('fail: shapes the failure with Razorpay error fields', async () => {
    const order = (await api.post('/orders', { amount: 5_000, currency: 'INR' })).body;
    const failed = await api.control('POST', `/orders/${order.id}/fail`, {
      reason: 'insufficient_balance',
      description: 'Not enough money',
    });
    expect(failed.body.error).toMatchObject({
      reason: 'insufficient_balance',
      description: 'Not enough money',
      metadata: { order_id: order.id },
    });
    expect((await api.control('POST', `/orders/${order.id}/fail`, { colour: 'red' })).status).toBe(400);
  });

  it('capture, refund process/fail and advancing time over HTTP', async () => {
    const order = (await api.post('/orders', { amount: 40_000, currency: 'INR', payment_capture: false })).body;
    const pay = (await api.control('POST', `/orders/${order.id}/pay`)).body.razorpay_payment_id;
    expect((await api.control('POST', `/payments/${pay}/capture`)).body.status).toBe('captured');
    const r1 = (await api.post(`/payments/${pay}/refund`, { amount: 10_000 })).body;
    const r2 = (await api.post(`/payments/${pay}/refund`, { amount: 10_000 })).body;
    const r3 = (await api.post(`/payments/${pay}/refund`, { amount: 10_000 })).body;
    expect((await api.control('POST', `/refunds/${r1.id}/process`)).body.status).toBe('processed');
    expect((await api.control('POST', `/refunds/${r2.id}/fail`)).body.status).toBe('failed');
    expect((await api.control('GET', `/refunds/${r3.id}`)).body.status).toBe('pending');
    const before = (await api.control('GET', '/time')).body.now;
    const advanced = await api.control('POST', '/time/advance', { ms: 3_600_000 });
    expect(advanced.body.now).toBe(before + 3_600_000);
    expect((await api.get(`/refunds/${r3.id}`)).body.status).toBe('processed');
    expect((await api.control('POST', '/time/advance', { ms: -1 })).status).toBe(400);
  });

  it('tokens: confirm, pause, resume, reject, cancel', async () => {
    const customer = (await api.post('/customers', { name: 'K', email: 'k@example.com', contact: '9000000012' })).body;
    const authOrder = async () =>
      (
        await api.post('/orders', {
          amount: 100,
          currency: 'INR',
          customer_id: customer.id,
          method: 'upi',
          token: { max_amount: 9_900, frequency: 'monthly' },
        })
      ).body;
    const t1 = (
      await api.control(
        'GET',
        `/payments/${(await api.control('POST', `/orders/${(await authOrder()).id}/pay`)).body.razorpay_payment_id}`,
      )
    ).body.token_id;
    expect((await api.control('GET', `/tokens/${t1}`)).body.recurring_details.status).toBe('initiated');
    expect((await api.control('POST', `/tokens/${t1}/confirm`)).body.recurring_details.status).toBe('confirmed');
    expect((await api.control('POST', `/tokens/${t1}/pause`)).body.recurring_details.status).toBe('paused');
    expect((await api.control('POST', `/tokens/${t1}/resume`)).body.recurring_details.status).toBe('confirmed');
    expect((await api.control('POST', `/tokens/${t1}/resume`)).status).toBe(400);
    expect((await api.control('POST', `/tokens/${t1}/cancel`)).body.recurring_details.status).toBe('cancelled');
    const t2 = (
      await api.control(
        'GET',
        `/payments/${(await api.control('POST', `/orders/${(await authOrder()).id}/pay`)).body.razorpay_payment_id}`,
      )
    ).body.token_id;
    const rejected = await api.control('POST', `/tokens/${t2}/reject`, { reason: 'declined in the UPI app' });
    expect(rejected.body.recurring_details).toEqual({ status: 'rejected', failure_reason: 'declined in the UPI app' });
    expect((await api.control('POST', '/tokens/token_nope/confirm')).status).toBe(400);
  });

  it('state, faults, webhooks and reset', async () => {
    await api.post('/orders', { amount: 1000, currency: 'INR' });
    const fault = await api.control('POST', '/faults', { method: 'POST', path: '/v1/refunds', status: 502 });
    expect(fault.body).toMatchObject({ id: expect.any(String), status: 502 });
    expect((await api.control('POST', '/faults', { path: '/v1/x', pathRegex: 'x' })).status).toBe(400);
    const state = (await api.control('GET', '/state')).body;
    expect(state.orders).toHaveLength(1);
    expect(state.faults).toHaveLength(1);
    expect(state.webhooks).toEqual([]);
    expect((await api.control('POST', '/webhooks/hold')).status).toBe(200);
    expect((await api.control('POST', '/webhooks/release', { order: 'reverse' })).body).toEqual([]);
    await api.control('POST', '/reset');
    const empty = (await api.control('GET', '/state')).body;
    expect([empty.orders.length, empty.faults.length]).toEqual([0, 0]);
    expect((await api.control('GET', '/nothing')).status).toBe(404);
  });
});
