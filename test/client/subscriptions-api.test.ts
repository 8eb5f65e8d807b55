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

const mandate = {
  merchantSubscriptionId: 'sub_1',
  authWorkflowType: 'TRANSACTION',
  amountType: 'FIXED',
  maxAmount: 49900,
  frequency: 'MONTHLY',
} as const;

describe('client.subscriptions, checkout family (hosted page)', () => {
  it('setup with SUBSCRIPTION_CHECKOUT_SETUP posts to /checkout/v2/pay and returns redirectUrl', async () => {
    const { client, clock } = createHarness();
    const pay = capture('post', `${SANDBOX}/checkout/v2/pay`, () =>
      HttpResponse.json({
        orderId: 'OMO5',
        state: 'PENDING',
        expireAt: T0 + 600_000,
        redirectUrl: 'https://mercury-uat.phonepe.com/x',
      }),
    );
    server.use(tokenEndpoint(clock).handler, pay.handler);
    const request = {
      merchantOrderId: 'setup_1',
      amount: 49900,
      expireAfter: 600,
      paymentFlow: {
        type: 'SUBSCRIPTION_CHECKOUT_SETUP',
        merchantUrls: {
          redirectUrl: 'https://app.example.com/return',
          cancelRedirectUrl: 'https://app.example.com/cancel',
        },
        subscriptionDetails: {
          subscriptionType: 'RECURRING',
          productType: 'UPI_MANDATE',
          expireAt: T0 + 365 * 86_400_000,
          ...mandate,
        },
      },
    } as const;

    const response = await client.subscriptions.setup(request);

    expect(response.redirectUrl).toBe('https://mercury-uat.phonepe.com/x');
    expect(JSON.parse(pay.calls[0]?.body ?? '')).toEqual(request);
  });

  it('getStatus, notify, execute, redemption status and cancel use /checkout/v2 paths by default', async () => {
    const { client, clock } = createHarness();
    const subscription = {
      merchantSubscriptionId: 'sub_1',
      subscriptionId: 'OMS1',
      state: 'ACTIVE',
      productType: null,
      authInstrumentType: null,
      authWorkflowType: 'TRANSACTION',
      amountType: 'FIXED',
      currency: 'INR',
      maxAmount: 49900,
      frequency: 'MONTHLY',
      expireAt: 1893456000000,
      pauseStartDate: null,
      pauseEndDate: null,
    };
    const status = capture('get', `${SANDBOX}/checkout/v2/subscriptions/sub_1/status`, () =>
      HttpResponse.json(subscription),
    );
    const notify = capture('post', `${SANDBOX}/checkout/v2/subscriptions/notify`, () =>
      HttpResponse.json({ orderId: 'OMO6', state: 'NOTIFICATION_IN_PROGRESS', expireAt: T0 + 172_800_000 }),
    );
    const redeem = capture('post', `${SANDBOX}/checkout/v2/subscriptions/redeem`, () =>
      HttpResponse.json({ state: 'PENDING', transactionId: 'OMT6' }),
    );
    const redemption = orderStatusBody({
      merchantOrderId: 'cycle_2',
      state: 'NOTIFIED',
      paymentFlow: {
        type: 'SUBSCRIPTION_CHECKOUT_REDEMPTION',
        merchantSubscriptionId: 'sub_1',
        redemptionRetryStrategy: 'STANDARD',
        autoDebit: false,
        validAfter: T0 + 86_400_000,
        validUpto: T0 + 345_600_000,
        notifiedAt: String(T0),
      },
    });
    const order = capture('get', `${SANDBOX}/checkout/v2/order/cycle_2/status`, () => HttpResponse.json(redemption));
    const cancel = capture(
      'post',
      `${SANDBOX}/checkout/v2/subscriptions/sub_1/cancel`,
      () => new HttpResponse(null, { status: 204 }),
    );
    server.use(
      tokenEndpoint(clock).handler,
      status.handler,
      notify.handler,
      redeem.handler,
      order.handler,
      cancel.handler,
    );

    const sub = await client.subscriptions.getStatus('sub_1');
    const notified = await client.subscriptions.notifyRedemption({
      merchantOrderId: 'cycle_2',
      amount: 49900,
      expireAt: T0 + 172_800_000,
      paymentFlow: { merchantSubscriptionId: 'sub_1', redemptionRetryStrategy: 'STANDARD', autoDebit: false },
    });
    const redemptionStatus = await client.subscriptions.getRedemptionStatus('cycle_2');
    const executed = await client.subscriptions.executeRedemption('cycle_2');
    const cancelled = await client.subscriptions.cancel('sub_1');

    expect(sub).toEqual(subscription);
    expect(status.calls[0]?.url.search).toBe('');
    // Every PG call says Content-Type: application/json, bodyless GETs and the cancel POST too, as every
    // official SDK does (docs/phonepe-protocol.md#headers).
    for (const call of [status, notify, redeem, order, cancel])
      expect(call.calls[0]?.headers.get('content-type')).toBe('application/json');
    expect(cancel.calls[0]?.body).toBe('');
    expect(JSON.parse(notify.calls[0]?.body ?? '')).toEqual({
      merchantOrderId: 'cycle_2',
      amount: 49900,
      expireAt: T0 + 172_800_000,
      paymentFlow: {
        type: 'SUBSCRIPTION_CHECKOUT_REDEMPTION',
        merchantSubscriptionId: 'sub_1',
        redemptionRetryStrategy: 'STANDARD',
        autoDebit: false,
      },
    });
    expect(notified).toEqual({ orderId: 'OMO6', state: 'NOTIFICATION_IN_PROGRESS', expireAt: T0 + 172_800_000 });
    // notifiedAt arrived as a digit string (PhonePe's samples do this) and is read as a number.
    expect(redemptionStatus.paymentFlow?.notifiedAt).toBe(T0);
    expect(redemptionStatus.paymentFlow?.validAfter).toBe(T0 + 86_400_000);
    expect(JSON.parse(redeem.calls[0]?.body ?? '')).toEqual({ merchantOrderId: 'cycle_2' });
    expect(executed).toEqual({ state: 'PENDING', transactionId: 'OMT6' });
    expect(cancelled).toBeUndefined();
    expect(cancel.calls[0]?.body).toBe('');
    expect(cancel.calls[0]?.headers.get('authorization')).toBe('O-Bearer access-token-1');
  });

  it('cancel tolerates a 200 with a body', async () => {
    const { client, clock } = createHarness();
    server.use(
      tokenEndpoint(clock).handler,
      capture('post', `${SANDBOX}/checkout/v2/subscriptions/sub_1/cancel`, () => HttpResponse.json({ success: true }))
        .handler,
    );

    await expect(client.subscriptions.cancel('sub_1')).resolves.toBeUndefined();
  });
});

describe('client.subscriptions, API family (/subscriptions/v2)', () => {
  it('setup with SUBSCRIPTION_SETUP posts UPI intent to /subscriptions/v2/setup and returns intentUrl', async () => {
    const { client, clock } = createHarness();
    const setup = capture('post', `${SANDBOX}/subscriptions/v2/setup`, () =>
      HttpResponse.json({ orderId: 'OMO7', state: 'PENDING', expireAt: T0 + 600_000, intentUrl: 'upi://mandate?pa=x' }),
    );
    server.use(tokenEndpoint(clock).handler, setup.handler);
    const request = {
      merchantOrderId: 'setup_2',
      amount: 200,
      expireAt: T0 + 600_000,
      deviceContext: { deviceOS: 'ANDROID' },
      paymentFlow: {
        type: 'SUBSCRIPTION_SETUP',
        ...mandate,
        authWorkflowType: 'PENNY_DROP',
        amountType: 'VARIABLE',
        maxAmount: 99900,
        paymentMode: { type: 'UPI_INTENT', targetApp: 'com.phonepe.app' },
      },
    } as const;

    const response = await client.subscriptions.setup(request);

    expect(response.intentUrl).toBe('upi://mandate?pa=x');
    expect(JSON.parse(setup.calls[0]?.body ?? '')).toEqual(request);
  });

  it('setup with UPI collect sends the VPA details', async () => {
    const { client, clock } = createHarness();
    const setup = capture('post', `${SANDBOX}/subscriptions/v2/setup`, () =>
      HttpResponse.json({ orderId: 'OMO8', state: 'PENDING' }),
    );
    server.use(tokenEndpoint(clock).handler, setup.handler);

    await client.subscriptions.setup({
      merchantOrderId: 'setup_3',
      amount: 49900,
      paymentFlow: {
        type: 'SUBSCRIPTION_SETUP',
        ...mandate,
        paymentMode: { type: 'UPI_COLLECT', details: { type: 'VPA', vpa: 'payer@ybl' }, message: 'Pro plan' },
      },
    });

    expect(JSON.parse(setup.calls[0]?.body ?? '').paymentFlow.paymentMode).toEqual({
      type: 'UPI_COLLECT',
      details: { type: 'VPA', vpa: 'payer@ybl' },
      message: 'Pro plan',
    });
  });

  it("family: 'api' and SUBSCRIPTION_REDEMPTION route every call to /subscriptions/v2 with details=true on status GETs", async () => {
    const { client, clock } = createHarness();
    const status = capture('get', `${SANDBOX}/subscriptions/v2/sub_1/status`, () =>
      HttpResponse.json({ merchantSubscriptionId: 'sub_1', state: 'PAUSED' }),
    );
    const notify = capture('post', `${SANDBOX}/subscriptions/v2/notify`, () =>
      HttpResponse.json({ orderId: 'OMO9', state: 'PENDING' }),
    );
    const redeem = capture('post', `${SANDBOX}/subscriptions/v2/redeem`, () =>
      HttpResponse.json({ state: 'PENDING', transactionId: 'OMT9' }),
    );
    const order = capture('get', `${SANDBOX}/subscriptions/v2/order/cycle_9/status`, () =>
      HttpResponse.json(orderStatusBody({ merchantOrderId: 'cycle_9' })),
    );
    const cancel = capture(
      'post',
      `${SANDBOX}/subscriptions/v2/sub_1/cancel`,
      () => new HttpResponse(null, { status: 204 }),
    );
    server.use(
      tokenEndpoint(clock).handler,
      status.handler,
      notify.handler,
      redeem.handler,
      order.handler,
      cancel.handler,
    );
    const api = { family: 'api' } as const;

    expect((await client.subscriptions.getStatus('sub_1', api)).state).toBe('PAUSED');
    await client.subscriptions.notifyRedemption({
      merchantOrderId: 'cycle_9',
      amount: 100,
      paymentFlow: { type: 'SUBSCRIPTION_REDEMPTION', merchantSubscriptionId: 'sub_1' },
    });
    await client.subscriptions.executeRedemption('cycle_9', api);
    await client.subscriptions.getRedemptionStatus('cycle_9', api);
    await client.subscriptions.cancel('sub_1', api);

    expect(status.calls[0]?.url.searchParams.get('details')).toBe('true');
    expect(order.calls[0]?.url.searchParams.get('details')).toBe('true');
    expect(JSON.parse(notify.calls[0]?.body ?? '').paymentFlow.type).toBe('SUBSCRIPTION_REDEMPTION');
    expect([notify, redeem, cancel].map((c) => c.calls.length)).toEqual([1, 1, 1]);
  });
});
