import { describe, expect, it } from 'vitest';
import {
  classifyRazorpayCreatingFailure,
  isRazorpayBadRequestError,
  isRazorpayOutcomeUnknownError,
  RazorpayBadRequestError,
  RazorpayNetworkError,
  RazorpayServerError,
  RazorpayTimeoutError,
  RazorpayValidationError,
  razorpayErrorFromResponse,
} from '../../src/razorpay/index.js';
import { createRazorpayHarness, type Fault, fakeRazorpay, useMswServer } from './support/fake-razorpay.js';

const server = useMswServer();

function setup() {
  const fake = fakeRazorpay();
  server.use(...fake.handlers);
  return { fake, ...createRazorpayHarness() };
}

// Every way an answer can be lost after Razorpay acted.
const LOST: Fault[] = ['drop', '500', 'garbled', 'truncated', 'timeout', 'proxy-502', 'proxy-400'];

describe('creating calls after Razorpay acted but the answer was lost', () => {
  it.each(LOST)('createOrder after %s: found by receipt, one order, one POST', async (fault) => {
    const { fake, client, logs } = setup();
    fake.failNext('POST', /^\/orders$/, fault);
    const order = await client.createOrder({ amount: 49_900, receipt: `rcpt_${fault}` });
    expect(fake.orders.size).toBe(1);
    expect(order.id).toBe([...fake.orders.keys()][0]);
    expect(order).toMatchObject({ amount: 49_900, receipt: `rcpt_${fault}` });
    expect(fake.count('POST', '/orders')).toBe(1);
    expect(fake.requests.filter((r) => r.method === 'GET').map((r) => r.query.get('receipt'))).toEqual([
      `rcpt_${fault}`,
    ]);
    expect(logs.some((l) => l.level === 'warn' && l.obj.operation === 'createOrder')).toBe(true);
  });

  it.each(LOST)('createRefund after %s: found among the payment refunds by receipt, one refund', async (fault) => {
    const { fake, client } = setup();
    const payment = fake.seedPayment(fake.seedOrder(50_000).id as string);
    fake.failNext('POST', /\/refund$/, fault);
    const refund = await client.createRefund({ paymentId: payment.id as string, amount: 20_000, receipt: 'rf_lost' });
    expect(fake.refunds.size).toBe(1);
    expect(refund).toMatchObject({ id: [...fake.refunds.keys()][0], amount: 20_000, receipt: 'rf_lost' });
    expect(fake.count('POST', `/payments/${payment.id}/refund`)).toBe(1);
    expect(fake.payments.get(payment.id as string)?.amount_refunded).toBe(20_000);
  });

  it('createRefund finds a refund of the payment by our receipt only, not by amount', async () => {
    const { fake, client } = setup();
    const payment = fake.seedPayment(fake.seedOrder(50_000).id as string);
    await client.createRefund({ paymentId: payment.id as string, amount: 10_000, receipt: 'rf_a' });
    fake.failNext('POST', /\/refund$/, 'drop', 'before');
    const error = await client
      .createRefund({ paymentId: payment.id as string, amount: 10_000, receipt: 'rf_b' })
      .catch((e: unknown) => e);
    expect(isRazorpayOutcomeUnknownError(error)).toBe(true);
    expect(error).toMatchObject({ operation: 'createRefund', reference: 'rf_b', created: false });
    expect(fake.refunds.size).toBe(1);
  });

  it.each(LOST)('createRecurringPayment after %s: the order payment is returned, one debit', async (fault) => {
    const { fake, client } = setup();
    const { customerId, tokenId } = fake.seedToken('confirmed');
    const order = await client.createOrder({ amount: 49_900, receipt: `renewal_${fault}` });
    fake.failNext('POST', /^\/payments\/create\/recurring$/, fault);
    const debit = await client.createRecurringPayment({
      orderId: order.id,
      customerId,
      tokenId,
      amount: 49_900,
      email: 'g@example.com',
      contact: '+919000090000',
    });
    expect(fake.payments.size).toBe(1);
    expect(debit).toEqual({ razorpay_payment_id: [...fake.payments.keys()][0], razorpay_order_id: order.id });
    expect(fake.count('POST', '/payments/create/recurring')).toBe(1);
    expect(fake.count('GET', `/orders/${order.id}/payments`)).toBe(1);
  });

  it.each(LOST)(
    'createCustomer after %s: the same request with fail_existing "0" returns the one customer',
    async (fault) => {
      const { fake, client } = setup();
      fake.failNext('POST', /^\/customers$/, fault);
      const customer = await client.createCustomer({ name: 'Gaurav Kumar', email: 'gaurav.kumar@example.com' });
      expect(fake.customers.size).toBe(1);
      expect(customer.id).toBe([...fake.customers.keys()][0]);
      const posts = fake.requests.filter((r) => r.method === 'POST');
      expect(posts).toHaveLength(2);
      expect(posts.every((r) => (r.body as Record<string, unknown>).fail_existing === '0')).toBe(true);
    },
  );
});

describe('creating calls whose lookup cannot settle the outcome', () => {
  it('nothing was created: RazorpayOutcomeUnknownError created false, and nothing is re-sent', async () => {
    const { fake, client } = setup();
    fake.failNext('POST', /^\/orders$/, 'timeout', 'before');
    const error = await client.createOrder({ amount: 49_900, receipt: 'rcpt_never' }).catch((e: unknown) => e);
    expect(isRazorpayOutcomeUnknownError(error)).toBe(true);
    expect(error).toMatchObject({
      operation: 'createOrder',
      reference: 'rcpt_never',
      created: false,
      code: 'OUTCOME_UNKNOWN',
    });
    expect((error as Error).message).toContain('rcpt_never');
    expect(fake.orders.size).toBe(0);
    expect(fake.count('POST', '/orders')).toBe(1);
  });

  it('the lookup fails too: created null, the message says it may have happened', async () => {
    const { fake, client } = setup();
    fake.failNext('POST', /^\/orders$/, '500');
    for (let i = 0; i < 3; i += 1) fake.failNext('GET', /^\/orders$/, '503', 'before');
    const error = await client.createOrder({ amount: 49_900, receipt: 'rcpt_dark' }).catch((e: unknown) => e);
    expect(isRazorpayOutcomeUnknownError(error)).toBe(true);
    expect(error).toMatchObject({ created: null });
    expect((error as Error).message).toMatch(/may have happened/);
    expect(fake.orders.size).toBe(1);
    expect(fake.count('POST', '/orders')).toBe(1);
  });

  it('a recurring debit whose order shows no payment: created false, one POST', async () => {
    const { fake, client } = setup();
    const { customerId, tokenId } = fake.seedToken('confirmed');
    const order = await client.createOrder({ amount: 49_900, receipt: 'renewal_x' });
    fake.failNext('POST', /recurring$/, 'drop', 'before');
    const error = await client
      .createRecurringPayment({
        orderId: order.id,
        customerId,
        tokenId,
        amount: 49_900,
        email: 'g@e.com',
        contact: '+919000090000',
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'RazorpayOutcomeUnknownError', created: false, reference: order.id });
    expect(fake.payments.size).toBe(0);
    expect(fake.count('POST', '/payments/create/recurring')).toBe(1);
  });
});

describe('explicit refusals are failures, with no lookup', () => {
  it('a Razorpay 400 on createOrder is thrown as is and nothing is looked up', async () => {
    const { fake, client } = setup();
    const error = await client.createOrder({ amount: 99, receipt: 'too_small' }).catch((e: unknown) => e);
    expect(isRazorpayBadRequestError(error)).toBe(true);
    expect(fake.requests.map((r) => r.method)).toEqual(['POST']);
  });

  it('a Razorpay 400 on createRefund (over-refund) is thrown and nothing is looked up', async () => {
    const { fake, client } = setup();
    const payment = fake.seedPayment(fake.seedOrder(50_000).id as string);
    const error = await client
      .createRefund({ paymentId: payment.id as string, amount: 60_000, receipt: 'rf_big' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'RazorpayBadRequestError', razorpay: { field: 'amount' } });
    expect(fake.requests.map((r) => r.method)).toEqual(['POST']);
  });

  it('a 429 is a refusal (nothing done), not an unknown outcome', async () => {
    const { fake, client } = setup();
    fake.failNext('POST', /^\/orders$/, '429', 'before');
    const error = await client.createOrder({ amount: 100, receipt: 'r429' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'RazorpayRateLimitError', retryAfterMs: 1000 });
    expect(fake.requests.map((r) => r.method)).toEqual(['POST']);
  });
});

describe('classifyRazorpayCreatingFailure', () => {
  const at = { httpMethod: 'POST', path: '/orders' };
  it('reads each failure kind', () => {
    const withBody = (status: number) =>
      razorpayErrorFromResponse({ status, body: { error: { code: 'BAD_REQUEST_ERROR' } }, ...at });
    const anonymous = (status: number) => razorpayErrorFromResponse({ status, body: '<html>', ...at });
    expect(
      [
        new RazorpayTimeoutError({ ...at, timeoutMs: 1, cause: undefined }),
        new RazorpayNetworkError({ ...at, cause: undefined }),
        new RazorpayServerError({ message: 'x', code: 'SERVER_ERROR', status: 502 }),
        withBody(400),
        anonymous(400),
        anonymous(401),
        anonymous(429),
        withBody(408),
        new RazorpayBadRequestError({ message: 'x', code: 'X' }),
        new RazorpayValidationError({ operation: 'createOrder', field: 'amount', problem: 'bad' }),
        new Error('a bug'),
      ].map(classifyRazorpayCreatingFailure),
    ).toEqual([
      'unknown',
      'unknown',
      'unknown',
      'refused',
      'unknown',
      'refused',
      'refused',
      'unknown',
      'refused',
      'refused',
      'refused',
    ]);
  });

  it('reads a 409 as unknown: an earlier request with the same idempotency key is still being processed', () => {
    const conflict = razorpayErrorFromResponse({
      status: 409,
      body: { error: { code: 'BAD_REQUEST_ERROR', description: 'request is being processed' } },
      httpMethod: 'POST',
      path: '/payments/pay_1/refund',
    });
    expect(classifyRazorpayCreatingFailure(conflict)).toBe('unknown');
  });
});
