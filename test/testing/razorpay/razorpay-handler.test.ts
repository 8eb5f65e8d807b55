import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RazorpayEmulator, startRazorpayEmulator } from '../../../src/testing/index.js';
import { razorpayCaller } from './support/razorpay-caller.js';

// Faults on every creating route; `after: true` means Razorpay acted and only the answer was lost.
describe('Razorpay emulator faults', () => {
  let emu: RazorpayEmulator;
  let api: ReturnType<typeof razorpayCaller>;

  beforeAll(async () => {
    emu = await startRazorpayEmulator({ refundProcessAfterMs: null });
    api = razorpayCaller(emu, emu.credentials);
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.reset());

  async function paidPayment(amount = 20_000) {
    const order = (await api.post('/orders', { amount, currency: 'INR' })).body;
    return (await emu.payOrder(order.id)).razorpay_payment_id;
  }

  async function mandate() {
    const customer = (await api.post('/customers', { name: 'F', email: 'f@example.com', contact: '9000000010' })).body;
    const auth = (
      await api.post('/orders', {
        amount: 100,
        currency: 'INR',
        customer_id: customer.id,
        method: 'upi',
        token: { max_amount: 50_000, frequency: 'monthly' },
      })
    ).body;
    const pay = await emu.payOrder(auth.id);
    return { customer, token: emu.getPayment(pay.razorpay_payment_id).token_id as string };
  }

  it('before acting: 500 with Razorpay SERVER_ERROR body, and nothing is created', async () => {
    emu.faults.add({ method: 'POST', path: '/v1/orders', status: 500, times: 1 });
    const answer = await api.post('/orders', { amount: 1000, currency: 'INR', receipt: 'x' });
    expect(answer.status).toBe(500);
    expect(answer.body.error.code).toBe('SERVER_ERROR');
    expect(emu.state().orders).toHaveLength(0);
    expect((await api.post('/orders', { amount: 1000, currency: 'INR' })).status).toBe(200);
    expect(emu.faults.list()).toHaveLength(0);
  });

  it('after acting, dropped connection: the order exists and GET /v1/orders?receipt= finds it', async () => {
    emu.faults.add({ method: 'POST', path: '/v1/orders', after: true, dropConnection: true, times: 1 });
    await expect(api.post('/orders', { amount: 7_700, currency: 'INR', receipt: 'lost_1' })).rejects.toThrow();
    const found = (await api.get('/orders?receipt=lost_1')).body;
    expect(found.count).toBe(1);
    expect(found.items[0]).toMatchObject({ amount: 7_700, status: 'created' });
  });

  it('after acting, 500: the refund exists on the payment although the answer said otherwise', async () => {
    const pay = await paidPayment();
    emu.faults.add({ method: 'POST', path: '/v1/payments/*/refund', after: true, status: 500, times: 1 });
    expect((await api.post(`/payments/${pay}/refund`, { amount: 5_000 })).status).toBe(500);
    const refunds = (await api.get(`/payments/${pay}/refunds`)).body;
    expect(refunds.count).toBe(1);
    expect(refunds.items[0]).toMatchObject({ amount: 5_000, status: 'pending' });
    expect((await api.get(`/payments/${pay}`)).body.amount_refunded).toBe(5_000);
  });

  it('after acting, truncated body: the customer exists (fail_existing "0" returns it)', async () => {
    emu.faults.add({ method: 'POST', path: '/v1/customers', after: true, truncate: true, times: 1 });
    const body = { name: 'Lost', email: 'lost@example.com', contact: '9000000011' };
    const answer = await api.post('/customers', body);
    expect(answer.status).toBe(200);
    expect(answer.body).toBeUndefined(); // not parsable
    expect(answer.text.length).toBeGreaterThan(0);
    const again = await api.post('/customers', { ...body, fail_existing: '0' });
    expect(again.body.email).toBe('lost@example.com');
    expect(emu.state().customers).toHaveLength(1);
  });

  it('after acting, garbled body: the recurring payment happened and the order shows it', async () => {
    const { customer, token } = await mandate();
    const order = (await api.post('/orders', { amount: 30_000, currency: 'INR', receipt: 'renew_1' })).body;
    emu.faults.add({
      method: 'POST',
      path: '/v1/payments/create/recurring',
      after: true,
      status: 200,
      body: '{"razorpay_payment_id":',
      times: 1,
    });
    const answer = await api.post('/payments/create/recurring', {
      email: 'f@example.com',
      contact: '9000000010',
      amount: 30_000,
      currency: 'INR',
      order_id: order.id,
      customer_id: customer.id,
      token,
      recurring: '1',
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toBeUndefined();
    const payments = (await api.get(`/orders/${order.id}/payments`)).body;
    expect(payments.count).toBe(1);
    expect(payments.items[0]).toMatchObject({ status: 'captured', token_id: token });
    expect((await api.get(`/orders/${order.id}`)).body.status).toBe('paid');
  });

  it('delay: a client that waits gets the normal answer; one that gives up first sees its own timeout', async () => {
    const order = (await api.post('/orders', { amount: 1000, currency: 'INR' })).body;
    emu.faults.add({ method: 'GET', path: '/v1/orders/*', delayMs: 50, times: 1 });
    const answer = await api.get(`/orders/${order.id}`);
    expect(answer.status).toBe(200);
    expect(answer.body.id).toBe(order.id);
    emu.faults.add({ method: 'POST', path: '/v1/orders', after: true, delayMs: 5_000, times: 1 });
    const auth = `Basic ${Buffer.from(`${emu.credentials.keyId}:${emu.credentials.keySecret}`).toString('base64')}`;
    const late = fetch(`${emu.baseUrl}/orders`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ amount: 2000, currency: 'INR', receipt: 'slow_1' }),
      signal: AbortSignal.timeout(100),
    });
    await expect(late).rejects.toThrow();
    // The emulator acted before the delay: the order is there.
    expect((await api.get('/orders?receipt=slow_1')).body.count).toBe(1);
  });

  it('never faults the control API', async () => {
    emu.faults.add({ path: '/**', status: 503 });
    const state = await api.control('GET', '/state');
    expect(state.status).toBe(200);
    expect((await api.get('/orders')).status).toBe(503);
    emu.faults.clear();
  });
});
