import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
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
  expireAfter: 1200,
  metaInfo: { udf1: 'workspace 42', udf11: 'plan-pro' },
  paymentFlow: { message: 'Pro plan', merchantUrls: { redirectUrl: 'https://app.example.com/return?o=ord_1' } },
};

describe('PhonePeClient checkout calls on the wire', () => {
  it('fetches a form-encoded OAuth token, then pays with O-Bearer and the exact JSON body', async () => {
    const { client, clock } = createHarness();
    const token = tokenEndpoint(clock);
    const pay = capture('post', `${SANDBOX}/checkout/v2/pay`, () =>
      HttpResponse.json({
        orderId: 'OMO1',
        state: 'PENDING',
        expireAt: T0 + 1_200_000,
        redirectUrl: 'https://mercury-uat.phonepe.com/transact/uat_v2?token=abc',
      }),
    );
    server.use(token.handler, pay.handler);

    const response = await client.pay(payRequest);

    expect(response).toEqual({
      orderId: 'OMO1',
      state: 'PENDING',
      expireAt: T0 + 1_200_000,
      redirectUrl: 'https://mercury-uat.phonepe.com/transact/uat_v2?token=abc',
    });
    const [tokenRequest] = token.calls;
    expect(tokenRequest?.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(tokenRequest?.headers.get('accept')).toBe('application/json');
    expect(tokenRequest?.body).toBe(
      'client_id=TESTMERCHANT_UAT&client_version=1&client_secret=client-secret-9f2c-DO-NOT-LEAK&grant_type=client_credentials',
    );
    const [payCall] = pay.calls;
    expect(payCall?.method).toBe('POST');
    expect(payCall?.headers.get('authorization')).toBe('O-Bearer access-token-1');
    expect(payCall?.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(payCall?.body ?? '')).toEqual({
      ...payRequest,
      paymentFlow: { type: 'PG_CHECKOUT', ...payRequest.paymentFlow },
    });
  });

  it('getOrderStatus sends details/errorContext only when asked and parses the attempt', async () => {
    const { client, clock } = createHarness();
    const body = orderStatusBody({
      state: 'FAILED',
      errorCode: 'PAYMENT_ERROR',
      errorContext: {
        errorCode: 'INVALID_MPIN',
        detailedErrorCode: 'ZM',
        source: 'CUSTOMER',
        stage: 'AUTHENTICATION',
        description: 'wrong PIN',
      },
      metaInfo: { udf1: 'workspace 42' },
      paymentDetails: [
        {
          transactionId: 'OM123',
          paymentMode: 'UPI_COLLECT',
          timestamp: T0 + 5_000,
          amount: 49900,
          state: 'FAILED',
          errorCode: 'INVALID_MPIN',
          instrument: { type: 'ACCOUNT', maskedAccountNumber: 'XXXX1234', ifsc: 'HDFC0000001', accountType: 'SAVINGS' },
          rail: { type: 'UPI', utr: '123456789012', vpa: '12****78@ybl' },
        },
      ],
    });
    const status = capture('get', `${SANDBOX}/checkout/v2/order/:id/status`, () => HttpResponse.json(body));
    server.use(tokenEndpoint(clock).handler, status.handler);

    const plain = await client.getOrderStatus('ord_1');
    const detailed = await client.getOrderStatus('ord_1', { details: true, errorContext: true });

    expect(status.calls[0]?.url.pathname).toBe('/apis/pg-sandbox/checkout/v2/order/ord_1/status');
    expect(status.calls[0]?.url.search).toBe('');
    expect(status.calls[0]?.headers.get('authorization')).toBe('O-Bearer access-token-1');
    expect(Object.fromEntries(status.calls[1]?.url.searchParams ?? [])).toEqual({
      details: 'true',
      errorContext: 'true',
    });
    expect(plain).toEqual(body);
    expect(detailed.errorContext?.stage).toBe('AUTHENTICATION');
    expect(detailed.paymentDetails?.[0]?.rail?.utr).toBe('123456789012');
    expect(detailed.paymentDetails?.[0]?.instrument?.type).toBe('ACCOUNT');
  });

  it('getTransactionStatus reads the order-status shape from the transaction path', async () => {
    const { client, clock } = createHarness();
    const body = orderStatusBody({
      state: 'COMPLETED',
      paymentDetails: [
        { transactionId: 'OM9', state: 'COMPLETED', paymentMode: 'UPI_QR', amount: 49900, timestamp: T0 },
      ],
    });
    const tx = capture('get', `${SANDBOX}/checkout/v2/transaction/OM9/status`, () => HttpResponse.json(body));
    server.use(tokenEndpoint(clock).handler, tx.handler);

    const result = await client.getTransactionStatus('OM9');

    expect(tx.calls).toHaveLength(1);
    expect(tx.calls[0]?.method).toBe('GET');
    expect(result.paymentDetails?.[0]?.state).toBe('COMPLETED');
  });

  it('createSdkOrder posts to /checkout/v2/sdk/order and returns the SDK token', async () => {
    const { client, clock } = createHarness();
    const sdk = capture('post', `${SANDBOX}/checkout/v2/sdk/order`, () =>
      HttpResponse.json({ orderId: 'OMO2', state: 'PENDING', expireAt: T0 + 600_000, token: 'sdk-order-token' }),
    );
    server.use(tokenEndpoint(clock).handler, sdk.handler);

    // An explicit `type: undefined` must not wipe the filled-in flow type.
    const result = await client.createSdkOrder({
      merchantOrderId: 'ord_2',
      amount: 10000,
      paymentFlow: { type: undefined },
    });

    expect(result.token).toBe('sdk-order-token');
    expect(JSON.parse(sdk.calls[0]?.body ?? '')).toEqual({
      merchantOrderId: 'ord_2',
      amount: 10000,
      paymentFlow: { type: 'PG_CHECKOUT' },
    });
  });

  it('createSdkOrder also carries a checkout-family autopay setup, with subscriptionType filled in', async () => {
    const { client, clock } = createHarness();
    const sdk = capture('post', `${SANDBOX}/checkout/v2/sdk/order`, () =>
      HttpResponse.json({ orderId: 'OMO3', state: 'PENDING', token: 't' }),
    );
    server.use(tokenEndpoint(clock).handler, sdk.handler);
    const subscriptionDetails = {
      merchantSubscriptionId: 'sub_1',
      authWorkflowType: 'TRANSACTION',
      amountType: 'FIXED',
      maxAmount: 49900,
      frequency: 'MONTHLY',
      subscriptionType: 'RECURRING',
      productType: 'UPI_MANDATE',
    } as const;

    await client.createSdkOrder({
      merchantOrderId: 'setup_1',
      amount: 49900,
      paymentFlow: {
        type: 'SUBSCRIPTION_CHECKOUT_SETUP',
        merchantUrls: { redirectUrl: 'https://app.example.com/r' },
        subscriptionDetails,
      },
    });

    expect(JSON.parse(sdk.calls[0]?.body ?? '').paymentFlow.subscriptionDetails).toEqual(subscriptionDetails);
  });

  it('refund posts the exact body and getRefundStatus parses split instruments and details', async () => {
    const { client, clock } = createHarness();
    const refund = capture('post', `${SANDBOX}/payments/v2/refund`, () =>
      HttpResponse.json({ refundId: 'OMR1', amount: 10000, state: 'PENDING' }),
    );
    const statusBody = {
      merchantId: 'TESTMERCHANT',
      merchantRefundId: 'rf_1',
      originalMerchantOrderId: 'ord_1',
      refundId: 'OMR1',
      amount: 10000,
      state: 'CONFIRMED',
      timestamp: T0,
      splitInstruments: [{ amount: 10000, rail: { type: 'UPI', utr: '999' }, instrument: { type: 'ACCOUNT' } }],
      paymentDetails: [
        { transactionId: 'OMRT1', state: 'PENDING', paymentMode: 'UPI_INTENT', amount: 10000, timestamp: T0 },
      ],
    };
    const status = capture('get', `${SANDBOX}/payments/v2/refund/rf_1/status`, () => HttpResponse.json(statusBody));
    server.use(tokenEndpoint(clock).handler, refund.handler, status.handler);

    const created = await client.refund({ merchantRefundId: 'rf_1', originalMerchantOrderId: 'ord_1', amount: 10000 });
    const read = await client.getRefundStatus('rf_1');

    expect(JSON.parse(refund.calls[0]?.body ?? '')).toEqual({
      merchantRefundId: 'rf_1',
      originalMerchantOrderId: 'ord_1',
      amount: 10000,
    });
    expect(refund.calls[0]?.headers.get('authorization')).toBe('O-Bearer access-token-1');
    expect(created).toEqual({ refundId: 'OMR1', amount: 10000, state: 'PENDING' });
    expect(read).toEqual(statusBody);
  });

  it('PRODUCTION uses the pg host for calls and the identity-manager host for OAuth (docs/phonepe-protocol.md#hosts)', async () => {
    const { client, clock } = createHarness({ env: 'PRODUCTION' });
    const token = tokenEndpoint(clock, { host: 'https://api.phonepe.com/apis/identity-manager' });
    const status = capture('get', 'https://api.phonepe.com/apis/pg/checkout/v2/order/ord_1/status', () =>
      HttpResponse.json(orderStatusBody()),
    );
    server.use(token.handler, status.handler);

    await client.getOrderStatus('ord_1');

    expect(token.calls).toHaveLength(1);
    expect(status.calls).toHaveLength(1);
  });

  it('baseUrls overrides both hosts (e.g. the emulator), trailing slash tolerated', async () => {
    const { client, clock } = createHarness({
      baseUrls: { pg: 'http://127.0.0.1:4010/pg/', oauth: 'http://127.0.0.1:4010/oauth' },
    });
    const token = tokenEndpoint(clock, { host: 'http://127.0.0.1:4010/oauth' });
    const status = capture('get', 'http://127.0.0.1:4010/pg/checkout/v2/order/ord_1/status', () =>
      HttpResponse.json(orderStatusBody()),
    );
    server.use(token.handler, status.handler);

    await client.getOrderStatus('ord_1');

    expect(status.calls).toHaveLength(1);
  });

  it('without an injected fetch, reads the global fetch on every request (interceptors installed later still apply)', async () => {
    const { client, clock } = createHarness();
    server.use(
      tokenEndpoint(clock).handler,
      capture('get', `${SANDBOX}/checkout/v2/order/ord_1/status`, () => HttpResponse.json(orderStatusBody())).handler,
    );
    await client.getOrderStatus('ord_1');
    const installed = globalThis.fetch;
    const seen: string[] = [];
    globalThis.fetch = async (input, init) => {
      seen.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
      return installed(input, init);
    };
    try {
      await client.getOrderStatus('ord_1');
    } finally {
      globalThis.fetch = installed;
    }

    expect(seen).toEqual(['GET /apis/pg-sandbox/checkout/v2/order/ord_1/status']);
  });

  it('uses an injected fetch instead of the global one', async () => {
    const seen: string[] = [];
    const { client, clock } = createHarness({
      fetch: async (input, init) => {
        const request = new Request(input, init);
        seen.push(`${request.method} ${new URL(request.url).pathname}`);
        return globalThis.fetch(request);
      },
    });
    server.use(
      tokenEndpoint(clock).handler,
      capture('get', `${SANDBOX}/checkout/v2/order/ord_1/status`, () => HttpResponse.json(orderStatusBody())).handler,
    );

    await client.getOrderStatus('ord_1');

    expect(seen).toEqual([
      'POST /apis/pg-sandbox/v1/oauth/token',
      'GET /apis/pg-sandbox/checkout/v2/order/ord_1/status',
    ]);
  });
});
