import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  defaultRazorpayEmulatorCredentials,
  type RazorpayEmulator,
  startRazorpayEmulator,
} from '../../../src/testing/index.js';
import { razorpayCaller } from './support/razorpay-caller.js';

describe('Razorpay emulator /v1 routes over HTTP', () => {
  let emu: RazorpayEmulator;
  let api: ReturnType<typeof razorpayCaller>;

  beforeAll(async () => {
    emu = await startRazorpayEmulator({ refundProcessAfterMs: null });
    api = razorpayCaller(emu, emu.credentials);
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.reset());

  it('answers a missing or wrong key with 401 and Razorpay error body', async () => {
    const none = await api.get('/orders', '');
    expect(none.status).toBe(401);
    expect(none.body.error).toMatchObject({ code: 'BAD_REQUEST_ERROR', source: 'NA', step: 'NA', reason: 'NA' });
    const wrongKey = await api.get('/orders', `Basic ${Buffer.from('rzp_test_other:x').toString('base64')}`);
    expect(wrongKey.status).toBe(401);
    expect(wrongKey.body.error.description).toBe('The api key provided is invalid');
    const wrongSecret = await api.get(
      '/orders',
      `Basic ${Buffer.from(`${defaultRazorpayEmulatorCredentials.keyId}:nope`).toString('base64')}`,
    );
    expect(wrongSecret.status).toBe(401);
  });

  it('creates, fetches and lists orders by receipt; amounts stay integer paise', async () => {
    const created = await api.post('/orders', {
      amount: 49_900,
      currency: 'INR',
      receipt: 'inv_1',
      notes: { plan: 'pro' },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      entity: 'order',
      amount: 49_900,
      amount_paid: 0,
      amount_due: 49_900,
      currency: 'INR',
      receipt: 'inv_1',
      status: 'created',
      attempts: 0,
      notes: { plan: 'pro' },
    });
    expect(created.body.id).toMatch(/^order_[A-Za-z0-9]{14}$/);
    expect(Number.isInteger(created.body.created_at)).toBe(true);
    expect(created.body.created_at).toBeLessThan(10_000_000_000); // seconds, not ms
    await api.post('/orders', { amount: 10_000, currency: 'INR', receipt: 'inv_2' });
    expect((await api.get(`/orders/${created.body.id}`)).body).toEqual(created.body);
    const byReceipt = await api.get('/orders?receipt=inv_1');
    expect(byReceipt.body).toMatchObject({ entity: 'collection', count: 1, items: [{ id: created.body.id }] });
    expect((await api.get('/orders')).body.count).toBe(2);
    expect((await api.get('/orders?count=1&skip=1')).body.items).toHaveLength(1);
  });

  it('refuses bad orders with 400 naming the field, and creates nothing', async () => {
    for (const [body, field] of [
      [{ amount: 99, currency: 'INR' }, 'amount'],
      [{ amount: 100.5, currency: 'INR' }, 'amount'],
      [{ amount: 1000, currency: 'USD' }, 'currency'],
      [{ amount: 1000, currency: 'INR', receipt: 'x'.repeat(41) }, 'receipt'],
    ] as const) {
      const answer = await api.post('/orders', body);
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({ code: 'BAD_REQUEST_ERROR', field });
    }
    const malformed = await fetch(`${emu.baseUrl}/orders`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${emu.credentials.keyId}:${emu.credentials.keySecret}`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: '{"amount":',
    });
    expect(malformed.status).toBe(400);
    expect(emu.state().orders).toHaveLength(0);
  });

  it('answers an unknown id with 400 "The id provided does not exist"', async () => {
    for (const path of ['/orders/order_nope', '/payments/pay_nope', '/refunds/rfnd_nope', '/customers/cust_nope']) {
      const answer = await api.get(path);
      expect(answer.status).toBe(400);
      expect(answer.body.error.description).toBe('The id provided does not exist');
    }
    expect((await api.get('/nowhere')).status).toBe(404);
    const wrongMethod = await api.delete('/orders');
    expect(wrongMethod.status).toBe(405);
  });

  it('a paid order has one captured payment: GET /payments/:id and /orders/:id/payments', async () => {
    const order = (await api.post('/orders', { amount: 25_000, currency: 'INR', receipt: 'r' })).body;
    const paid = await emu.payOrder(order.id);
    const payment = (await api.get(`/payments/${paid.razorpay_payment_id}`)).body;
    expect(payment).toMatchObject({
      entity: 'payment',
      amount: 25_000,
      status: 'captured',
      captured: true,
      order_id: order.id,
      amount_refunded: 0,
      refund_status: null,
      error_code: null,
    });
    expect((await api.get(`/orders/${order.id}`)).body).toMatchObject({
      status: 'paid',
      amount_paid: 25_000,
      amount_due: 0,
      attempts: 1,
    });
    expect((await api.get(`/orders/${order.id}/payments`)).body).toMatchObject({
      count: 1,
      items: [{ id: payment.id }],
    });
  });

  it('payment_capture: false leaves the payment authorized until POST /payments/:id/capture', async () => {
    const order = (await api.post('/orders', { amount: 30_000, currency: 'INR', payment_capture: false })).body;
    const { razorpay_payment_id: id } = await emu.payOrder(order.id);
    expect((await api.get(`/payments/${id}`)).body.status).toBe('authorized');
    expect((await api.get(`/orders/${order.id}`)).body.status).toBe('attempted');
    expect((await api.post(`/payments/${id}/capture`, { amount: 29_999, currency: 'INR' })).status).toBe(400);
    const captured = await api.post(`/payments/${id}/capture`, { amount: 30_000, currency: 'INR' });
    expect(captured.body).toMatchObject({ status: 'captured', captured: true });
    expect((await api.get(`/orders/${order.id}`)).body.status).toBe('paid');
    expect((await api.post(`/payments/${id}/capture`, { amount: 30_000, currency: 'INR' })).status).toBe(400);
  });

  it('refunds: partial, then the rest; over-refund refused; lists and fetches', async () => {
    const order = (await api.post('/orders', { amount: 50_000, currency: 'INR' })).body;
    const { razorpay_payment_id: pay } = await emu.payOrder(order.id);
    const first = await api.post(`/payments/${pay}/refund`, {
      amount: 20_000,
      receipt: 'rf_1',
      notes: { why: 'downgrade' },
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      entity: 'refund',
      amount: 20_000,
      payment_id: pay,
      status: 'pending',
      receipt: 'rf_1',
      speed_requested: 'normal',
    });
    expect(first.body.id).toMatch(/^rfnd_/);
    expect((await api.get(`/payments/${pay}`)).body).toMatchObject({
      amount_refunded: 20_000,
      refund_status: 'partial',
      status: 'captured',
    });
    const over = await api.post(`/payments/${pay}/refund`, { amount: 30_001 });
    expect(over.status).toBe(400);
    expect(over.body.error.field).toBe('amount');
    const rest = await api.post(`/payments/${pay}/refund`, {});
    expect(rest.body.amount).toBe(30_000);
    expect((await api.get(`/payments/${pay}`)).body).toMatchObject({
      amount_refunded: 50_000,
      refund_status: 'full',
      status: 'refunded',
    });
    expect((await api.get(`/payments/${pay}/refunds`)).body.count).toBe(2);
    expect((await api.get(`/refunds/${first.body.id}`)).body.id).toBe(first.body.id);
    expect((await api.get(`/payments/${pay}/refunds/${first.body.id}`)).body.amount).toBe(20_000);
    expect((await api.post(`/payments/${pay}/refund`, { amount: 100 })).status).toBe(400);
  });

  it('X-Refund-Idempotency: the same key and body answer the same refund; another body is refused', async () => {
    const order = (await api.post('/orders', { amount: 30_000, currency: 'INR' })).body;
    const { razorpay_payment_id: pay } = await emu.payOrder(order.id);
    const auth = `Basic ${Buffer.from(`${emu.credentials.keyId}:${emu.credentials.keySecret}`).toString('base64')}`;
    const refund = (key: string, body: unknown) =>
      fetch(`${emu.baseUrl}/payments/${pay}/refund`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json', 'x-refund-idempotency': key },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
    const first = await refund('refund-key-0001', { amount: 10_000 });
    const again = await refund('refund-key-0001', { amount: 10_000 });
    expect(first.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect((await refund('refund-key-0001', { amount: 9_000 })).status).toBe(400);
    expect((await refund('short', { amount: 1_000 })).status).toBe(400);
    expect((await api.get(`/payments/${pay}/refunds`)).body.count).toBe(1);
    expect((await api.get(`/payments/${pay}`)).body.amount_refunded).toBe(10_000);
  });

  it('refuses a refund on a payment that is not captured', async () => {
    const order = (await api.post('/orders', { amount: 10_000, currency: 'INR', payment_capture: 0 })).body;
    const { razorpay_payment_id: pay } = await emu.payOrder(order.id);
    const answer = await api.post(`/payments/${pay}/refund`, { amount: 1000 });
    expect(answer.status).toBe(400);
    expect(emu.state().refunds).toHaveLength(0);
  });

  it('customers: fail_existing "0" returns the existing one, the default refuses a duplicate', async () => {
    const body = { name: 'Gaurav Kumar', email: 'gaurav@example.com', contact: '9000090000' };
    const created = await api.post('/customers', body);
    expect(created.body).toMatchObject({ entity: 'customer', ...body });
    expect(created.body.id).toMatch(/^cust_/);
    expect((await api.post('/customers', { ...body, fail_existing: '0' })).body.id).toBe(created.body.id);
    const duplicate = await api.post('/customers', body);
    expect(duplicate.status).toBe(400);
    expect((await api.get(`/customers/${created.body.id}`)).body.id).toBe(created.body.id);
    expect(emu.state().customers).toHaveLength(1);
  });

  it('UPI autopay: authorisation order → token on the customer → recurring payment within max_amount', async () => {
    const customer = (await api.post('/customers', { name: 'A', email: 'a@example.com', contact: '9000000001' })).body;
    const bad = await api.post('/orders', {
      amount: 100,
      currency: 'INR',
      customer_id: customer.id,
      method: 'upi',
      token: { max_amount: 1, frequency: 'monthly' },
    });
    expect(bad.status).toBe(400);
    // UPI Autopay takes only as_presented and monthly.
    const yearly = await api.post('/orders', {
      amount: 100,
      currency: 'INR',
      customer_id: customer.id,
      method: 'upi',
      token: { max_amount: 99_900, frequency: 'yearly' },
    });
    expect(yearly.status).toBe(400);
    expect(yearly.body.error.field).toBe('token.frequency');
    const auth = (
      await api.post('/orders', {
        amount: 100,
        currency: 'INR',
        customer_id: customer.id,
        method: 'upi',
        receipt: 'mandate_1',
        token: { max_amount: 99_900, expire_at: 2_000_000_000, frequency: 'monthly' },
      })
    ).body;
    const authPayment = await emu.payOrder(auth.id);
    const payment = (await api.get(`/payments/${authPayment.razorpay_payment_id}`)).body;
    expect(payment).toMatchObject({ customer_id: customer.id, recurring: true, method: 'upi', status: 'captured' });
    const tokens = (await api.get(`/customers/${customer.id}/tokens`)).body;
    expect(tokens).toMatchObject({ entity: 'collection', count: 1 });
    const token = tokens.items[0];
    expect(token).toMatchObject({
      id: payment.token_id,
      method: 'upi',
      recurring: true,
      max_amount: 99_900,
      frequency: 'monthly',
      recurring_details: { status: 'confirmed' },
    });
    expect((await api.get(`/customers/${customer.id}/tokens/${token.id}`)).body.id).toBe(token.id);

    const charge = async (amount: number) => {
      const order = (
        await api.post('/orders', { amount, currency: 'INR', payment_capture: true, receipt: `renew_${amount}` })
      ).body;
      return {
        order,
        answer: await api.post('/payments/create/recurring', {
          email: 'a@example.com',
          contact: '9000000001',
          amount,
          currency: 'INR',
          order_id: order.id,
          customer_id: customer.id,
          token: token.id,
          recurring: '1',
          description: 'Renewal',
        }),
      };
    };
    const ok = await charge(49_900);
    expect(ok.answer.status).toBe(200);
    expect(Object.keys(ok.answer.body).sort()).toEqual([
      'razorpay_order_id',
      'razorpay_payment_id',
      'razorpay_signature',
    ]);
    expect(ok.answer.body.razorpay_order_id).toBe(ok.order.id);
    expect((await api.get(`/payments/${ok.answer.body.razorpay_payment_id}`)).body).toMatchObject({
      status: 'captured',
      token_id: token.id,
      recurring: true,
      amount: 49_900,
    });

    const tooMuch = await charge(99_901);
    expect(tooMuch.answer.status).toBe(400);
    expect(tooMuch.answer.body.error.field).toBe('amount');
    expect((await api.get(`/orders/${tooMuch.order.id}/payments`)).body.count).toBe(0);

    // Cancel with UPI's PUT …/cancel: cancellation_initiated (no debit any more) until NPCI confirms it.
    const cancelling = await api.put(`/customers/${customer.id}/tokens/${token.id}/cancel`);
    expect(cancelling.body.recurring_details.status).toBe('cancellation_initiated');
    const afterCancel = await charge(1_000);
    expect(afterCancel.answer.status).toBe(400);
    expect(afterCancel.answer.body.error.reason).toBe('token_not_confirmed');
    await emu.advanceTime(59_000);
    expect((await api.get(`/customers/${customer.id}/tokens/${token.id}`)).body.recurring_details.status).toBe(
      'cancellation_initiated',
    );
    await emu.advanceTime(1_000);
    expect((await api.get(`/customers/${customer.id}/tokens/${token.id}`)).body.recurring_details.status).toBe(
      'cancelled',
    );
  });

  it('DELETE /customers/:cid/tokens/:tid removes Razorpay’s record of the token, without a cancel', async () => {
    const customer = (await api.post('/customers', { name: 'B', email: 'b@example.com', contact: '9000000002' })).body;
    const auth = (
      await api.post('/orders', {
        amount: 100,
        currency: 'INR',
        customer_id: customer.id,
        method: 'upi',
        token: { max_amount: 5000, frequency: 'as_presented' },
      })
    ).body;
    const paid = await emu.payOrder(auth.id);
    const tokenId = emu.getPayment(paid.razorpay_payment_id).token_id as string;
    expect((await api.delete(`/customers/cust_other/tokens/${tokenId}`)).status).toBe(400);
    expect((await api.delete(`/customers/${customer.id}/tokens/${tokenId}`)).body).toEqual({ deleted: true });
    const gone = await api.get(`/customers/${customer.id}/tokens/${tokenId}`);
    expect(gone.status).toBe(400);
    expect(gone.body.error.description).toBe('The id provided does not exist');
    expect((await api.get(`/customers/${customer.id}/tokens`)).body.count).toBe(0);
    expect(emu.state().tokens).toEqual([]);
  });
});
