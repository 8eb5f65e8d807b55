import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  isRazorpayAuthenticationError,
  isRazorpayBadRequestError,
  isRazorpayNotFoundError,
  isRazorpayServerError,
  isRazorpayValidationError,
  RazorpayClient,
} from '../../src/razorpay/index.js';
import { BASE, BASIC, createRazorpayHarness, fakeRazorpay, KEY_SECRET, useMswServer } from './support/fake-razorpay.js';

const server = useMswServer();

function setup() {
  const fake = fakeRazorpay();
  server.use(...fake.handlers);
  return { fake, ...createRazorpayHarness() };
}

describe('RazorpayClient request shapes', () => {
  it('createOrder posts JSON with Basic auth, integer paise, INR by default and the receipt', async () => {
    const { fake, client } = setup();
    const order = await client.createOrder({ amount: 49_900, receipt: 'pay_0001', notes: { plan: 'pro' } });
    const [request] = fake.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/orders', authorization: BASIC });
    expect(request?.contentType).toBe('application/json');
    expect(request?.body).toEqual({ amount: 49_900, currency: 'INR', receipt: 'pay_0001', notes: { plan: 'pro' } });
    expect(order).toMatchObject({ amount: 49_900, receipt: 'pay_0001', status: 'created', entity: 'order' });
    expect(order.id).toMatch(/^order_/);
  });

  it('createOrder sends the UPI Autopay authorisation block in snake_case', async () => {
    const { fake, client } = setup();
    await client.createOrder({
      amount: 100,
      receipt: 'mandate_1',
      customerId: 'cust_1',
      method: 'upi',
      paymentCapture: true,
      token: { maxAmount: 150_000, expireAt: 2_000_000_000, frequency: 'monthly', extra: { recurring_type: 'before' } },
    });
    expect(fake.requests[0]?.body).toEqual({
      amount: 100,
      currency: 'INR',
      receipt: 'mandate_1',
      payment_capture: true,
      customer_id: 'cust_1',
      method: 'upi',
      token: { max_amount: 150_000, expire_at: 2_000_000_000, frequency: 'monthly', recurring_type: 'before' },
    });
  });

  it.each([
    ['a float', 499.5],
    ['zero', 0],
    ['a negative', -100],
    ['a string', '49900'],
    ['an unsafe integer', 2 ** 53],
  ])('refuses %s amount before sending anything', async (_name, amount) => {
    const { fake, client } = setup();
    const error = await client.createOrder({ amount: amount as number, receipt: 'r' }).catch((e: unknown) => e);
    expect(isRazorpayValidationError(error)).toBe(true);
    expect(error).toMatchObject({ field: 'amount', operation: 'createOrder' });
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses ids that would change the path, and a missing receipt', async () => {
    const { fake, client } = setup();
    for (const call of [
      () => client.getOrder('order_1/../../payments'),
      () => client.getPayment(''),
      () => client.getToken('cust_1', 'tok?x=1'),
      () => client.createOrder({ amount: 100, receipt: '' }),
      () => client.createRefund({ paymentId: 'pay_1', amount: 100, receipt: 'x'.repeat(41) }),
    ])
      expect(isRazorpayValidationError(await call().catch((e: unknown) => e))).toBe(true);
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses "." and ".." as ids: URL resolution would drop or climb a path segment', async () => {
    // `/v1/payments/../refund` is sent as `/v1/refund`, `/v1/customers/../tokens/t/cancel` as `/v1/tokens/t/cancel`.
    const { fake, client } = setup();
    for (const call of [
      () => client.getPayment('..'),
      () => client.createRefund({ paymentId: '..', amount: 100, receipt: 'rf_dots' }),
      () => client.cancelToken('..', 'token_1'),
      () => client.getToken('cust_1', '.'),
    ]) {
      const error = await call().catch((e: unknown) => e);
      expect(isRazorpayValidationError(error)).toBe(true);
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('reads orders, the order by receipt, its payments and a payment', async () => {
    const { fake, client } = setup();
    const created = await client.createOrder({ amount: 50_000, receipt: 'rcpt_7' });
    const payment = fake.seedPayment(created.id);
    expect(await client.getOrder(created.id)).toMatchObject({ id: created.id, amount: 50_000 });
    expect((await client.findOrderByReceipt('rcpt_7'))?.id).toBe(created.id);
    expect(await client.findOrderByReceipt('rcpt_none')).toBeUndefined();
    expect((await client.listOrderPayments(created.id)).map((p) => p.id)).toEqual([payment.id]);
    expect(await client.getPayment(payment.id as string)).toMatchObject({ status: 'captured', order_id: created.id });
    const paths = fake.requests.slice(1).map((r) => `${r.method} ${r.path}${r.query.size ? `?${r.query}` : ''}`);
    expect(paths).toEqual([
      `GET /orders/${created.id}`,
      'GET /orders?receipt=rcpt_7',
      'GET /orders?receipt=rcpt_none',
      `GET /orders/${created.id}/payments`,
      `GET /payments/${payment.id}`,
    ]);
    expect(fake.requests.every((r) => r.authorization === BASIC)).toBe(true);
  });

  it('creates a partial refund, reads it and lists the payment refunds', async () => {
    const { fake, client } = setup();
    const order = fake.seedOrder(50_000);
    const payment = fake.seedPayment(order.id as string);
    const refund = await client.createRefund({
      paymentId: payment.id as string,
      amount: 10_000,
      receipt: 'rf_1',
      speed: 'normal',
      notes: { reason: 'downgrade' },
    });
    expect(fake.requests[0]).toMatchObject({ method: 'POST', path: `/payments/${payment.id}/refund` });
    expect(fake.requests[0]?.body).toEqual({
      amount: 10_000,
      receipt: 'rf_1',
      speed: 'normal',
      notes: { reason: 'downgrade' },
    });
    expect(refund).toMatchObject({ amount: 10_000, payment_id: payment.id, receipt: 'rf_1', status: 'pending' });
    expect((await client.getRefund(refund.id)).id).toBe(refund.id);
    expect((await client.listPaymentRefunds(payment.id as string)).map((r) => r.id)).toEqual([refund.id]);
    expect(fake.payments.get(payment.id as string)).toMatchObject({
      amount_refunded: 10_000,
      refund_status: 'partial',
    });
  });

  it('creates a customer with fail_existing "0", and gets the same customer for the same details', async () => {
    const { fake, client } = setup();
    const first = await client.createCustomer({
      name: 'Gaurav Kumar',
      email: 'gaurav.kumar@example.com',
      contact: '+919000090000',
    });
    const again = await client.createCustomer({ name: 'Gaurav Kumar', email: 'gaurav.kumar@example.com' });
    expect(fake.requests[0]?.body).toEqual({
      fail_existing: '0',
      name: 'Gaurav Kumar',
      email: 'gaurav.kumar@example.com',
      contact: '+919000090000',
    });
    expect(again.id).toBe(first.id);
    expect(fake.customers.size).toBe(1);
  });

  it('lists, reads, cancels (PUT …/cancel) and deletes tokens', async () => {
    const { fake, client } = setup();
    const { customerId, tokenId } = fake.seedToken('confirmed');
    expect((await client.listTokens(customerId)).map((t) => [t.id, t.recurring_details?.status])).toEqual([
      [tokenId, 'confirmed'],
    ]);
    expect((await client.getToken(customerId, tokenId)).max_amount).toBe(150_000);
    await client.cancelToken(customerId, tokenId);
    expect((await client.getToken(customerId, tokenId)).recurring_details?.status).toBe('cancellation_initiated');
    expect(await client.deleteToken(customerId, tokenId)).toEqual({ deleted: true });
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /customers/${customerId}/tokens`,
      `GET /customers/${customerId}/tokens/${tokenId}`,
      `PUT /customers/${customerId}/tokens/${tokenId}/cancel`,
      `GET /customers/${customerId}/tokens/${tokenId}`,
      `DELETE /customers/${customerId}/tokens/${tokenId}`,
    ]);
  });

  it('creates a recurring payment with recurring "1" against a new order', async () => {
    const { fake, client } = setup();
    const { customerId, tokenId } = fake.seedToken('confirmed');
    const order = await client.createOrder({ amount: 49_900, receipt: 'renewal_2026_02' });
    const result = await client.createRecurringPayment({
      orderId: order.id,
      customerId,
      tokenId,
      amount: 49_900,
      email: 'gaurav.kumar@example.com',
      contact: '+919000090000',
      description: 'Pro plan, February',
    });
    expect(fake.requests[1]).toMatchObject({ method: 'POST', path: '/payments/create/recurring' });
    expect(fake.requests[1]?.body).toEqual({
      email: 'gaurav.kumar@example.com',
      contact: '+919000090000',
      amount: 49_900,
      currency: 'INR',
      order_id: order.id,
      customer_id: customerId,
      token: tokenId,
      recurring: '1',
      description: 'Pro plan, February',
    });
    expect(result.razorpay_order_id).toBe(order.id);
    expect(fake.payments.get(result.razorpay_payment_id)).toMatchObject({ token_id: tokenId, amount: 49_900 });
  });
});

describe('RazorpayClient errors', () => {
  it('maps Razorpay 400 bodies to RazorpayBadRequestError with the body kept', async () => {
    const { client } = setup();
    const error = await client.createOrder({ amount: 50, receipt: 'small' }).catch((e: unknown) => e);
    expect(isRazorpayBadRequestError(error)).toBe(true);
    expect(error).toMatchObject({ status: 400, code: 'BAD_REQUEST_ERROR', razorpay: { field: 'amount' } });
  });

  it('maps a refused key pair to RazorpayAuthenticationError and never puts the secret in the message', async () => {
    const fake = fakeRazorpay();
    server.use(...fake.handlers);
    const client = new RazorpayClient({ keyId: 'rzp_test_other', keySecret: KEY_SECRET, sleep: async () => {} });
    const error = await client.getOrder('order_1').catch((e: unknown) => e);
    expect(isRazorpayAuthenticationError(error)).toBe(true);
    expect(String((error as Error).message)).not.toContain(KEY_SECRET);
    expect(fake.requests).toHaveLength(1);
  });
});

describe('RazorpayClient retries reads', () => {
  it.each(['503', 'drop', '429', 'timeout', 'truncated'] as const)(
    'retries a GET after %s with backoff and returns the answer',
    async (fault) => {
      const { fake, client, sleeps, events } = setup();
      const order = fake.seedOrder();
      fake.failNext('GET', /^\/orders\//, fault, 'before');
      expect((await client.getOrder(order.id as string)).id).toBe(order.id);
      expect(fake.count('GET', `/orders/${order.id}`)).toBe(2);
      expect(sleeps).toHaveLength(1);
      expect(sleeps[0]).toBeLessThanOrEqual(fault === '429' ? 1000 : 250);
      expect(events.filter((e) => e.type === 'request').map((e) => e.attempt)).toEqual([1, 2]);
    },
  );

  it('gives up after the retry limit with the last error', async () => {
    const { fake, client, sleeps } = setup();
    for (let i = 0; i < 3; i += 1) fake.failNext('GET', /^\/payments\//, '503', 'before');
    const error = await client.getPayment('pay_1').catch((e: unknown) => e);
    expect(isRazorpayServerError(error)).toBe(true);
    expect(fake.count('GET', '/payments/pay_1')).toBe(3);
    expect(sleeps).toHaveLength(2);
  });

  it('does not retry a 400 answer; an unknown id reads as not found', async () => {
    const { fake, client, sleeps } = setup();
    expect(isRazorpayNotFoundError(await client.getRefund('rfnd_none').catch((e: unknown) => e))).toBe(true);
    expect(fake.count('GET', '/refunds/rfnd_none')).toBe(1);
    expect(sleeps).toHaveLength(0);
  });

  it('never retries PUT or DELETE', async () => {
    const { fake, client } = setup();
    const { customerId, tokenId } = fake.seedToken();
    fake.failNext('PUT', /cancel$/, '503', 'before');
    expect(isRazorpayServerError(await client.cancelToken(customerId, tokenId).catch((e: unknown) => e))).toBe(true);
    expect(fake.count('PUT', `/customers/${customerId}/tokens/${tokenId}/cancel`)).toBe(1);
  });

  it('honours the baseUrl option (a local server)', async () => {
    const local = 'http://127.0.0.1:4999/v1';
    let seen = '';
    server.use(
      http.get(`${local}/orders/order_1`, ({ request }) => {
        seen = request.headers.get('authorization') ?? '';
        return HttpResponse.json({ id: 'order_1', amount: 100, currency: 'INR', status: 'paid' });
      }),
    );
    const { client } = createRazorpayHarness({ baseUrl: `${local}/` });
    expect((await client.getOrder('order_1')).status).toBe('paid');
    expect(seen).toBe(BASIC);
  });
});

describe('RazorpayClient against Razorpay docs sample bodies', () => {
  it('parses the documented order and refund samples and keeps unknown fields', async () => {
    server.use(
      http.get(`${BASE}/orders/order_DBJOWzybf0sJbb`, () =>
        HttpResponse.json({
          id: 'order_DBJOWzybf0sJbb',
          entity: 'order',
          amount: 50000,
          amount_paid: 0,
          amount_due: 50000,
          currency: 'INR',
          receipt: 'rcptid_11',
          offer_id: null,
          status: 'created',
          attempts: 0,
          notes: [],
          created_at: 1566986570,
        }),
      ),
      http.get(`${BASE}/refunds/rfnd_FP8QHiV938haTz`, () =>
        HttpResponse.json({
          id: 'rfnd_FP8QHiV938haTz',
          entity: 'refund',
          amount: 500100,
          receipt: 'Receipt No. 31',
          currency: 'INR',
          payment_id: 'pay_29QQoUBi66xm2f',
          notes: [],
          acquirer_data: { arn: null },
          created_at: 1597078866,
          batch_id: null,
          status: 'processed',
          speed_processed: 'normal',
          speed_requested: 'normal',
        }),
      ),
    );
    const { client } = createRazorpayHarness();
    const order = await client.getOrder('order_DBJOWzybf0sJbb');
    expect(order).toMatchObject({ amount: 50000, status: 'created', offer_id: null });
    const refund = await client.getRefund('rfnd_FP8QHiV938haTz');
    expect(refund).toMatchObject({ amount: 500100, status: 'processed', acquirer_data: { arn: null } });
  });
});

describe('RazorpayClient telemetry', () => {
  it('reports each attempt without the key secret, the Authorization value or a body', async () => {
    const { fake, client, events, logs } = setup();
    const order = await client.createOrder({ amount: 49_900, receipt: 'tele_1' });
    await client.getOrder(order.id);
    expect(events.map((e) => `${e.type} ${e.method} ${e.path} ${e.status ?? ''}`)).toEqual([
      'request POST /orders ',
      'response POST /orders 200',
      `request GET /orders/${order.id} `,
      `response GET /orders/${order.id} 200`,
    ]);
    const seen = JSON.stringify({ events, logs });
    expect(seen).not.toContain(KEY_SECRET);
    expect(seen).not.toContain(BASIC.slice('Basic '.length));
    expect(seen).not.toContain('tele_1');
    expect(fake.requests).toHaveLength(2);
  });

  it('ignores a throwing onEvent listener and logs it', async () => {
    const fake = fakeRazorpay();
    server.use(...fake.handlers);
    const { client, logs } = createRazorpayHarness({
      onEvent: () => {
        throw new Error('metrics down');
      },
    });
    const order = await client.createOrder({ amount: 100, receipt: 'tele_2' });
    expect(fake.orders.has(order.id)).toBe(true);
    expect(logs.filter((l) => l.level === 'warn' && l.msg?.includes('onEvent'))).toHaveLength(2);
  });

  it('reads an empty 2xx answer to a token cancel as done', async () => {
    server.use(
      http.put(`${BASE}/customers/cust_1/tokens/token_1/cancel`, () => new HttpResponse(null, { status: 200 })),
    );
    const { client } = createRazorpayHarness();
    expect(await client.cancelToken('cust_1', 'token_1')).toEqual({});
  });
});
