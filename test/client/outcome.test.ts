import { delay, http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  isPhonePeNotFoundError,
  isPhonePeOutcomeUnknownError,
  isPhonePeServerError,
  isPhonePeTimeoutError,
  type PhonePeOutcomeUnknownError,
} from '../../src/client/index.js';
import {
  capture,
  createHarness,
  orderStatusBody,
  SANDBOX,
  T0,
  tokenEndpoint,
  useMswServer,
} from './support/fake-phonepe.js';

const server = useMswServer();

const payRequest = {
  merchantOrderId: 'ord_1',
  amount: 49900,
  paymentFlow: { merchantUrls: { redirectUrl: 'https://app.example.com/r' } },
};
const notFound = () =>
  HttpResponse.json(
    { code: 'INVALID_MERCHANT_ORDER_ID', message: 'No entry found for given merchant order id' },
    { status: 404 },
  );
const serverError = () => HttpResponse.json({ code: 'INTERNAL_SERVER_ERROR' }, { status: 500 });

function setup(payAnswer: () => Response | Promise<Response>, statusAnswer: () => Response) {
  const harness = createHarness({ timeoutMs: 50, retry: { limit: 1 } });
  const pay = capture('post', `${SANDBOX}/checkout/v2/pay`, payAnswer);
  const status = capture('get', `${SANDBOX}/checkout/v2/order/ord_1/status`, statusAnswer);
  server.use(tokenEndpoint(harness.clock).handler, pay.handler, status.handler);
  return { ...harness, pay, status };
}

async function outcomeError(promise: Promise<unknown>): Promise<PhonePeOutcomeUnknownError> {
  const error = await promise.catch((e: unknown) => e);
  expect(isPhonePeOutcomeUnknownError(error)).toBe(true);
  return error as PhonePeOutcomeUnknownError;
}

describe('creating calls after a timeout, network error or 5xx: ask the status endpoint, never re-send', () => {
  it('pay timed out but the order exists -> created: true, existing, new merchantOrderId needed', async () => {
    const { client, pay, status } = setup(
      async () => {
        await delay('infinite');
        return HttpResponse.json({});
      },
      () => HttpResponse.json(orderStatusBody({ state: 'PENDING' })),
    );

    const error = await outcomeError(client.pay(payRequest));

    expect(error.created).toBe(true);
    expect(error.existing?.orderId).toBe('OMO2601011200001');
    expect(error.operation).toBe('pay');
    expect(error.merchantOrderId).toBe('ord_1');
    expect(isPhonePeTimeoutError(error.cause)).toBe(true);
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(
      /created the order .* payment URL \(redirectUrl\) was not received here; create a new order with a new merchantOrderId/,
    );
    expect(pay.calls).toHaveLength(1);
    expect(status.calls).toHaveLength(1);
  });

  it('pay got a 5xx and PhonePe has no such order -> created: false, safe to retry with the same id', async () => {
    const { client, pay } = setup(serverError, notFound);

    const error = await outcomeError(client.pay(payRequest));

    expect(error.created).toBe(false);
    expect(error.retryable).toBe(true);
    expect(isPhonePeServerError(error.cause)).toBe(true);
    expect(error.message).toMatch(/no record of it; it is safe to retry with the same merchantOrderId/);
    expect(pay.calls).toHaveLength(1);
  });

  it('pay hit a network error and the status check fails too -> created: null', async () => {
    const { client, status, sleeps } = setup(() => HttpResponse.error(), serverError);

    const error = await outcomeError(client.pay(payRequest));

    expect(error.created).toBe(null);
    expect(isPhonePeServerError(error.statusCheckError)).toBe(true);
    expect(error.message).toMatch(/outcome is unknown; call getOrderStatus later/);
    // The status check itself is a GET and was retried (limit 1).
    expect(status.calls).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
  });

  it("an explicit refusal (4xx with PhonePe's code) stands once the status check finds nothing", async () => {
    const { client, status } = setup(
      () => HttpResponse.json({ code: 'BAD_REQUEST', message: 'Invalid amount' }, { status: 400 }),
      notFound,
    );

    const error = await client.pay(payRequest).catch((e: unknown) => e);

    expect(isPhonePeOutcomeUnknownError(error)).toBe(false);
    expect((error as { code?: string }).code).toBe('BAD_REQUEST');
    expect(status.calls).toHaveLength(1);
  });

  it('a 400 BAD_REQUEST for an order PhonePe has (its docs answer a reused id so) is "already submitted"', async () => {
    const { client } = setup(
      () => HttpResponse.json({ code: 'BAD_REQUEST', message: 'Bad Request' }, { status: 400 }),
      () => HttpResponse.json(orderStatusBody({ state: 'PENDING' })),
    );

    const error = await outcomeError(client.pay(payRequest));

    expect(error.created).toBe(true);
  });

  it('401, 403 and 429 are refusals that need no status check', async () => {
    for (const [code, httpStatus] of [
      ['PR004', 403],
      ['TOO_MANY_REQUESTS', 429],
    ] as const) {
      const { client, status } = setup(
        () => HttpResponse.json({ code, message: 'no' }, { status: httpStatus }),
        notFound,
      );
      const error = await client.pay(payRequest).catch((e: unknown) => e);
      expect(isPhonePeOutcomeUnknownError(error)).toBe(false);
      expect(status.calls).toHaveLength(0);
    }
  });

  it.each([
    [417, 'INVALID_TRANSACTION_ID'],
    [417, 'INVALID_MERCHANT_ORDER_ID'],
    [400, 'ORDER_ALREADY_EXISTS'],
  ])(
    'a reused merchantOrderId (%i %s) is "already submitted": the status check finds the order',
    async (httpStatus, code) => {
      const { client, status } = setup(
        () =>
          HttpResponse.json(
            { code, message: 'Order ID has already been used', success: false },
            { status: httpStatus },
          ),
        () => HttpResponse.json(orderStatusBody({ state: 'PENDING' })),
      );

      const error = await outcomeError(client.pay(payRequest));

      expect(error.created).toBe(true);
      expect(error.existing?.state).toBe('PENDING');
      expect(error.message).toMatch(/answered "already used".*an earlier call created the order/);
      expect(status.calls).toHaveLength(1);
    },
  );

  it('a "duplicate" PhonePe then cannot find is unknown (created: null), never "safe to retry"', async () => {
    const { client } = setup(() => HttpResponse.json({ code: 'INVALID_TRANSACTION_ID' }, { status: 417 }), notFound);

    const error = await outcomeError(client.pay(payRequest));

    expect(error.created).toBeNull();
    expect(error.retryable).toBe(false);
  });

  it.each([
    [
      'a 200 whose body is cut off',
      () => new HttpResponse('{"orderId":', { status: 200, headers: { 'Content-Type': 'application/json' } }),
    ],
    ['a 200 without the fields PhonePe always sends', () => HttpResponse.json({ hello: 'world' })],
    [
      'a 404 page from a proxy (no PhonePe error body)',
      () => new HttpResponse('<html>Not Found</html>', { status: 404, headers: { 'Content-Type': 'text/html' } }),
    ],
    ['a 408 from a proxy', () => HttpResponse.json({ code: 'REQUEST_TIMEOUT' }, { status: 408 })],
  ])('%s may hide a created order: the status check decides', async (_name, answer) => {
    const { client, pay, status } = setup(answer, () => HttpResponse.json(orderStatusBody({ state: 'PENDING' })));

    const error = await outcomeError(client.pay(payRequest));

    expect(error.created).toBe(true);
    expect(pay.calls).toHaveLength(1);
    expect(status.calls).toHaveLength(1);
  });

  it('createSdkOrder and subscriptions.setup check their family order status', async () => {
    const { client, clock } = createHarness({ retry: { limit: 0 } });
    const apiStatus = capture('get', `${SANDBOX}/subscriptions/v2/order/setup_2/status`, () =>
      HttpResponse.json(orderStatusBody({ merchantOrderId: 'setup_2' })),
    );
    server.use(
      tokenEndpoint(clock).handler,
      http.post(`${SANDBOX}/checkout/v2/sdk/order`, serverError),
      http.get(`${SANDBOX}/checkout/v2/order/ord_2/status`, notFound),
      http.post(`${SANDBOX}/subscriptions/v2/setup`, serverError),
      apiStatus.handler,
    );

    const sdk = await outcomeError(client.createSdkOrder({ merchantOrderId: 'ord_2', amount: 100, paymentFlow: {} }));
    const setupError = await outcomeError(
      client.subscriptions.setup({
        merchantOrderId: 'setup_2',
        amount: 100,
        paymentFlow: {
          type: 'SUBSCRIPTION_SETUP',
          merchantSubscriptionId: 's',
          authWorkflowType: 'TRANSACTION',
          amountType: 'FIXED',
          maxAmount: 100,
          frequency: 'MONTHLY',
          paymentMode: { type: 'UPI_INTENT' },
        },
      }),
    );

    expect(sdk.created).toBe(false);
    expect(sdk.operation).toBe('createSdkOrder');
    expect(setupError.created).toBe(true);
    expect(setupError.operation).toBe('subscriptions.setup');
    expect(apiStatus.calls[0]?.url.searchParams.get('details')).toBe('true');
  });

  it('refund: a 5xx followed by a known refund returns the refund', async () => {
    const { client, clock } = createHarness({ retry: { limit: 0 } });
    const refund = capture('post', `${SANDBOX}/payments/v2/refund`, serverError);
    server.use(
      tokenEndpoint(clock).handler,
      refund.handler,
      http.get(`${SANDBOX}/payments/v2/refund/rf_1/status`, () =>
        HttpResponse.json({ merchantRefundId: 'rf_1', refundId: 'OMR1', amount: 100, state: 'PENDING', timestamp: T0 }),
      ),
    );

    const result = await client.refund({ merchantRefundId: 'rf_1', originalMerchantOrderId: 'ord_1', amount: 100 });

    expect(result).toMatchObject({ refundId: 'OMR1', amount: 100, state: 'PENDING' });
    expect(refund.calls).toHaveLength(1);
  });

  it('refund: unknown refund -> created: false naming merchantRefundId', async () => {
    const { client, clock } = createHarness({ retry: { limit: 0 } });
    server.use(
      tokenEndpoint(clock).handler,
      http.post(`${SANDBOX}/payments/v2/refund`, () => HttpResponse.error()),
      http.get(`${SANDBOX}/payments/v2/refund/rf_1/status`, () =>
        HttpResponse.json({ code: 'NOT_FOUND' }, { status: 404 }),
      ),
    );

    const error = await outcomeError(
      client.refund({ merchantRefundId: 'rf_1', originalMerchantOrderId: 'ord_1', amount: 100 }),
    );

    expect(error.created).toBe(false);
    expect(error.merchantRefundId).toBe('rf_1');
    expect(error.merchantOrderId).toBeUndefined();
    expect(error.message).toMatch(/merchantRefundId "rf_1".*same merchantRefundId/);
  });

  it.each([
    [417, { code: 'DUPLICATE_REQUEST_ID', message: 'Refund ID has already been used' }],
    // PhonePe's Node SDK fixture answers a reused merchantRefundId with this free-text code.
    [400, { code: 'Refund ID Duplicated', data: {} }],
  ])(
    'refund: a reused merchantRefundId (%i) is "already submitted": the refund PhonePe has is returned',
    async (status, body) => {
      const { client, clock } = createHarness({ retry: { limit: 0 } });
      server.use(
        tokenEndpoint(clock).handler,
        http.post(`${SANDBOX}/payments/v2/refund`, () => HttpResponse.json(body, { status })),
        http.get(`${SANDBOX}/payments/v2/refund/rf_1/status`, () =>
          HttpResponse.json({ merchantRefundId: 'rf_1', amount: 100, state: 'CONFIRMED' }),
        ),
      );

      await expect(
        client.refund({ merchantRefundId: 'rf_1', originalMerchantOrderId: 'ord_1', amount: 100 }),
      ).resolves.toMatchObject({ state: 'CONFIRMED', amount: 100 });
    },
  );

  it('subscriptions.setup: a reused merchantSubscriptionId (DUPLICATE_REQUEST_ID) finds the setup order', async () => {
    const { client, clock } = createHarness({ retry: { limit: 0 } });
    server.use(
      tokenEndpoint(clock).handler,
      http.post(`${SANDBOX}/checkout/v2/pay`, () =>
        HttpResponse.json(
          { code: 'DUPLICATE_REQUEST_ID', message: 'Subscription ID has already been used' },
          { status: 417 },
        ),
      ),
      http.get(`${SANDBOX}/checkout/v2/order/setup_1/status`, () =>
        HttpResponse.json(orderStatusBody({ merchantOrderId: 'setup_1', state: 'PENDING' })),
      ),
    );
    const error = await outcomeError(
      client.subscriptions.setup({
        merchantOrderId: 'setup_1',
        amount: 49900,
        paymentFlow: {
          type: 'SUBSCRIPTION_CHECKOUT_SETUP',
          merchantUrls: { redirectUrl: 'https://app.example.com/r' },
          subscriptionDetails: {
            merchantSubscriptionId: 'sub_1',
            authWorkflowType: 'TRANSACTION',
            amountType: 'FIXED',
            maxAmount: 49900,
            frequency: 'MONTHLY',
            subscriptionType: 'RECURRING',
            productType: 'UPI_MANDATE',
          },
        },
      }),
    );
    expect(error).toMatchObject({ created: true, existing: { state: 'PENDING' } });
  });

  it('subscriptions.getStatus: 400 SUBSCRIPTION_NOT_FOUND is a not-found error', async () => {
    const { client, clock } = createHarness({ retry: { limit: 0 } });
    server.use(
      tokenEndpoint(clock).handler,
      http.get(`${SANDBOX}/checkout/v2/subscriptions/sub_9/status`, () =>
        HttpResponse.json({ code: 'SUBSCRIPTION_NOT_FOUND', message: 'No subscription' }, { status: 400 }),
      ),
    );
    const error = await client.subscriptions.getStatus('sub_9').catch((e: unknown) => e);
    expect(isPhonePeNotFoundError(error)).toBe(true);
  });

  it('notifyRedemption: a 5xx followed by an existing redemption order returns it', async () => {
    const { client, clock } = createHarness({ retry: { limit: 0 } });
    server.use(
      tokenEndpoint(clock).handler,
      http.post(`${SANDBOX}/checkout/v2/subscriptions/notify`, serverError),
      http.get(`${SANDBOX}/checkout/v2/order/cycle_1/status`, () =>
        HttpResponse.json(orderStatusBody({ orderId: 'OMO_N', state: 'NOTIFIED', expireAt: T0 + 1 })),
      ),
    );

    const result = await client.subscriptions.notifyRedemption({
      merchantOrderId: 'cycle_1',
      amount: 100,
      paymentFlow: { merchantSubscriptionId: 'sub_1' },
    });

    expect(result).toEqual({ orderId: 'OMO_N', state: 'NOTIFIED', expireAt: T0 + 1 });
  });

  it('executeRedemption: status shows an attempt -> { state, transactionId } of the latest attempt', async () => {
    const { client, clock } = createHarness({ retry: { limit: 0 } });
    server.use(
      tokenEndpoint(clock).handler,
      http.post(`${SANDBOX}/subscriptions/v2/redeem`, serverError),
      http.get(`${SANDBOX}/subscriptions/v2/order/cycle_1/status`, () =>
        HttpResponse.json(
          orderStatusBody({
            state: 'PENDING',
            paymentDetails: [
              { transactionId: 'OMT_2', state: 'PENDING', paymentMode: 'UPI_AUTO_PAY', timestamp: T0 + 2, amount: 100 },
              { transactionId: 'OMT_1', state: 'FAILED', paymentMode: 'UPI_AUTO_PAY', timestamp: T0 + 1, amount: 100 },
            ],
          }),
        ),
      ),
    );

    const result = await client.subscriptions.executeRedemption('cycle_1', { family: 'api' });

    expect(result).toEqual({ state: 'PENDING', transactionId: 'OMT_2' });
  });

  it('executeRedemption: no attempt yet -> created: false, existing attached', async () => {
    const { client, clock } = createHarness({ retry: { limit: 0 } });
    server.use(
      tokenEndpoint(clock).handler,
      http.post(`${SANDBOX}/checkout/v2/subscriptions/redeem`, () => HttpResponse.error()),
      http.get(`${SANDBOX}/checkout/v2/order/cycle_1/status`, () =>
        HttpResponse.json(orderStatusBody({ state: 'NOTIFIED', paymentDetails: [] })),
      ),
    );

    const error = await outcomeError(client.subscriptions.executeRedemption('cycle_1'));

    expect(error.created).toBe(false);
    expect(error.existing?.state).toBe('NOTIFIED');
    expect(error.message).toMatch(/no debit attempt; it is safe to call executeRedemption again/);
  });
});
