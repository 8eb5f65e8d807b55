import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSetupBody, checkoutSetupBody, newId } from './support/phonepe-caller.js';
import { startEmulatorWithReceiver, type EmulatorWithReceiver } from './support/emulator-with-receiver.js';

const HOUR = 3_600_000;
let setup: EmulatorWithReceiver;
let emu: EmulatorWithReceiver['emu'];
let receiver: EmulatorWithReceiver['receiver'];
let caller: EmulatorWithReceiver['caller'];

beforeAll(async () => {
  setup = await startEmulatorWithReceiver(Date.parse('2026-01-01T00:00:00Z'));
  ({ emu, receiver, caller } = setup);
});
afterAll(() => setup.close());

const eventsFor = (key: string, id: string) =>
  receiver.received.filter((w) => w.json.payload[key] === id).map((w) => w.json.event);

/** SC-family setup approved on the hosted page (form POST, as a browser would). */
async function activeCheckoutSubscription(maxAmount = 99_900) {
  const body = checkoutSetupBody({ subscriptionDetails: { maxAmount } });
  const created = await caller.post('/checkout/v2/pay', body);
  expect(created.status).toBe(200);
  const token = new URL(created.body.redirectUrl).searchParams.get('token')!;
  const page = await fetch(created.body.redirectUrl).then((r) => r.text());
  expect(page).toContain('MONTHLY');
  expect(page).toContain(`₹${(maxAmount / 100).toFixed(2)}`);
  const approve = await fetch(`${emu.url}/transact/uat_v2`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({ token, action: 'pay' }),
  });
  expect(approve.status).toBe(302);
  expect(approve.headers.get('location')).toBe('https://shop.example/return');
  return {
    setupOrderId: body.merchantOrderId,
    subscriptionId: body.paymentFlow.subscriptionDetails.merchantSubscriptionId as string,
  };
}

const notify = (
  family: 'checkout' | 'api',
  merchantSubscriptionId: string,
  amount = 49_900,
  extra: Record<string, unknown> = {},
) => {
  const merchantOrderId = newId('cycle');
  const path = family === 'checkout' ? '/checkout/v2/subscriptions/notify' : '/subscriptions/v2/notify';
  const type = family === 'checkout' ? 'SUBSCRIPTION_CHECKOUT_REDEMPTION' : 'SUBSCRIPTION_REDEMPTION';
  return caller
    .post(path, {
      merchantOrderId,
      amount,
      paymentFlow: { type, merchantSubscriptionId, redemptionRetryStrategy: 'STANDARD', autoDebit: false, ...extra },
    })
    .then((r) => ({ ...r, merchantOrderId }));
};

describe('standard-checkout autopay (docs/phonepe-protocol.md#autopay-checkout-setup, #subscription-states)', () => {
  it('setup → mandate approval → ACTIVE, visible through both path families', async () => {
    const { setupOrderId, subscriptionId } = await activeCheckoutSubscription();
    const sub = await caller.get(`/checkout/v2/subscriptions/${subscriptionId}/status`);
    expect(sub.body).toMatchObject({
      merchantSubscriptionId: subscriptionId,
      subscriptionId: expect.stringMatching(/^OMS/),
      state: 'ACTIVE',
      maxAmount: 99_900,
      frequency: 'MONTHLY',
      amountType: 'VARIABLE',
      authWorkflowType: 'TRANSACTION',
      pauseStartDate: null,
      pauseEndDate: null,
    });
    expect((await caller.get(`/subscriptions/v2/${subscriptionId}/status?details=true`)).body.state).toBe('ACTIVE');
    const order = (await caller.get(`/checkout/v2/order/${setupOrderId}/status`)).body;
    expect(order.paymentFlow).toMatchObject({
      type: 'SUBSCRIPTION_CHECKOUT_SETUP',
      merchantSubscriptionId: subscriptionId,
      subscriptionId: sub.body.subscriptionId,
      maxAmount: 99_900,
    });
    const webhook = receiver.received.find((w) => w.json.payload.merchantOrderId === setupOrderId);
    expect(webhook?.json.event).toBe('checkout.order.completed');
    expect((webhook?.json.payload.paymentFlow as { subscriptionId: string } | undefined)?.subscriptionId).toBe(
      sub.body.subscriptionId,
    );
  });

  it('notify → NOTIFIED; redeem refused before 24 h, allowed after; completes with redemption webhooks', async () => {
    const { subscriptionId } = await activeCheckoutSubscription();
    const notified = await notify('checkout', subscriptionId);
    expect(notified.status).toBe(200);
    expect(notified.body).toMatchObject({ orderId: expect.stringMatching(/^OMO/), state: 'NOTIFICATION_IN_PROGRESS' });
    const notifiedAt = emu.now();
    const order = (await caller.get(`/checkout/v2/order/${notified.merchantOrderId}/status`)).body;
    expect(order.state).toBe('NOTIFIED');
    expect(order.paymentFlow).toEqual({
      type: 'SUBSCRIPTION_CHECKOUT_REDEMPTION',
      merchantSubscriptionId: subscriptionId,
      redemptionRetryStrategy: 'STANDARD',
      autoDebit: false,
      notifiedAt,
      validAfter: notifiedAt + 24 * HOUR,
      validUpto: notifiedAt + 96 * HOUR,
    });
    expect(order.expireAt).toBe(notifiedAt + 96 * HOUR);
    expect(order.paymentDetails).toEqual([]);

    const early = await caller.post('/checkout/v2/subscriptions/redeem', { merchantOrderId: notified.merchantOrderId });
    expect(early.status).toBe(400);
    expect(early.body.code).toBe('REDEMPTION_WINDOW_NOT_OPEN');

    await emu.advanceTime(24 * HOUR);
    const redeemed = await caller.post('/checkout/v2/subscriptions/redeem', {
      merchantOrderId: notified.merchantOrderId,
    });
    expect(redeemed.status).toBe(200);
    expect(redeemed.body).toEqual({ state: 'PENDING', transactionId: expect.stringMatching(/^OM\d+$/) });
    expect(
      (await caller.post('/checkout/v2/subscriptions/redeem', { merchantOrderId: notified.merchantOrderId })).body.code,
    ).toBe('INVALID_ORDER_STATE');

    await emu.completeOrder(notified.merchantOrderId);
    const done = (await caller.get(`/checkout/v2/order/${notified.merchantOrderId}/status`)).body;
    expect(done).toMatchObject({
      state: 'COMPLETED',
      paymentDetails: [
        {
          paymentMode: 'UPI_AUTO_PAY',
          state: 'COMPLETED',
          transactionId: redeemed.body.transactionId,
          rail: { umn: expect.any(String) },
        },
      ],
    });
    expect(eventsFor('merchantOrderId', notified.merchantOrderId)).toEqual([
      'subscription.notification.completed',
      'subscription.redemption.transaction.completed',
      'subscription.redemption.order.completed',
    ]);
    // The redemption can be refunded like any completed order.
    const refund = await caller.post('/payments/v2/refund', {
      merchantRefundId: newId('ref'),
      originalMerchantOrderId: notified.merchantOrderId,
      amount: 49_900,
    });
    expect(refund.status).toBe(200);
  });

  it('refuses a notify above maxAmount (417 TRANSACTION_LIMIT_EXCEEDED) and a redeem after validUpto', async () => {
    const { subscriptionId } = await activeCheckoutSubscription(50_000);
    const over = await notify('checkout', subscriptionId, 50_001);
    expect(over.status).toBe(417);
    expect(over.body.code).toBe('TRANSACTION_LIMIT_EXCEEDED');
    const ok = await notify('checkout', subscriptionId, 50_000);
    await emu.advanceTime(96 * HOUR + 1);
    const late = await caller.post('/checkout/v2/subscriptions/redeem', { merchantOrderId: ok.merchantOrderId });
    expect(late.status).toBe(400);
    expect(late.body.code).toBe('REDEMPTION_WINDOW_CLOSED');
    expect((await caller.get(`/checkout/v2/order/${ok.merchantOrderId}/status`)).body).toMatchObject({
      state: 'FAILED',
      detailedErrorCode: 'INTENT_EXPIRED',
    });
    expect(eventsFor('merchantOrderId', ok.merchantOrderId)).toEqual([
      'subscription.notification.completed',
      'subscription.redemption.order.failed',
    ]);
  });

  it('cancel → 204 → CANCEL_IN_PROGRESS → CANCELLED with subscription.cancelled; then notify and cancel are refused', async () => {
    const { subscriptionId } = await activeCheckoutSubscription();
    const response = await fetch(`${emu.baseUrls.pg}/checkout/v2/subscriptions/${subscriptionId}/cancel`, {
      method: 'POST',
      headers: { authorization: `O-Bearer ${await caller.token()}` },
    });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    const status = () => caller.get(`/checkout/v2/subscriptions/${subscriptionId}/status`).then((r) => r.body.state);
    expect(await status()).toBe('CANCEL_IN_PROGRESS');
    // Asking again while it is in progress is accepted and changes nothing.
    expect((await caller.post(`/checkout/v2/subscriptions/${subscriptionId}/cancel`)).status).toBe(204);
    expect((await notify('checkout', subscriptionId)).body.code).toBe('SUBSCRIPTION_NOT_ACTIVE');
    await emu.advanceTime(4_999);
    expect(await status()).toBe('CANCEL_IN_PROGRESS');
    expect(eventsFor('merchantSubscriptionId', subscriptionId)).not.toContain('subscription.cancelled');
    await emu.advanceTime(1);
    expect(await status()).toBe('CANCELLED');
    expect(
      eventsFor('merchantSubscriptionId', subscriptionId).filter((e) => e === 'subscription.cancelled'),
    ).toHaveLength(1);
    expect((await caller.post(`/subscriptions/v2/${subscriptionId}/cancel`)).body.code).toBe(
      'SUBSCRIPTION_ALREADY_CANCELLED',
    );
    expect((await notify('checkout', subscriptionId)).body.code).toBe('SUBSCRIPTION_NOT_ACTIVE');
    const unknown = await caller.post('/subscriptions/v2/nope/cancel');
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({
      code: 'SUBSCRIPTION_NOT_FOUND',
      message: 'No subscription found for given merchant subscription id',
    });
  });

  it('pause dates survive a cancel and a revoke, as in PhonePe’s subscription.cancelled fixture', async () => {
    const cancelled = (await activeCheckoutSubscription()).subscriptionId;
    const pausedAt = emu.now();
    await emu.customer.pause(cancelled, { until: pausedAt + 10 * HOUR });
    await caller.post(`/checkout/v2/subscriptions/${cancelled}/cancel`);
    await emu.advanceTime(5_000);
    const payload = receiver.received.find(
      (w) => w.json.event === 'subscription.cancelled' && w.json.payload.merchantSubscriptionId === cancelled,
    )?.json.payload;
    expect(payload).toMatchObject({ state: 'CANCELLED', pauseStartDate: pausedAt, pauseEndDate: pausedAt + 10 * HOUR });
    expect((await caller.get(`/checkout/v2/subscriptions/${cancelled}/status`)).body).toMatchObject({
      state: 'CANCELLED',
      pauseStartDate: pausedAt,
      pauseEndDate: pausedAt + 10 * HOUR,
    });
    // A pause that has run out does not end a cancelled mandate's record of it either.
    await emu.advanceTime(10 * HOUR);
    expect((await caller.get(`/checkout/v2/subscriptions/${cancelled}/status`)).body).toMatchObject({
      state: 'CANCELLED',
      pauseStartDate: pausedAt,
    });

    const revoked = (await activeCheckoutSubscription()).subscriptionId;
    const revokedPauseAt = emu.now();
    await emu.customer.pause(revoked, { until: revokedPauseAt + HOUR });
    await emu.customer.revoke(revoked);
    expect((await caller.get(`/checkout/v2/subscriptions/${revoked}/status`)).body).toMatchObject({
      state: 'REVOKED',
      pauseStartDate: revokedPauseAt,
      pauseEndDate: revokedPauseAt + HOUR,
    });
  });

  it('customer pause, unpause and revoke change state and send webhooks; redeem needs ACTIVE', async () => {
    const { subscriptionId } = await activeCheckoutSubscription();
    const notified = await notify('checkout', subscriptionId);
    await emu.advanceTime(24 * HOUR);
    const paused = await emu.customer.pause(subscriptionId, { until: emu.now() + 10 * HOUR });
    expect(paused).toMatchObject({ state: 'PAUSED', pauseStartDate: emu.now(), pauseEndDate: emu.now() + 10 * HOUR });
    const refused = await caller.post('/checkout/v2/subscriptions/redeem', {
      merchantOrderId: notified.merchantOrderId,
    });
    expect(refused.body.code).toBe('SUBSCRIPTION_NOT_ACTIVE');
    expect((await notify('checkout', subscriptionId)).body.code).toBe('SUBSCRIPTION_NOT_ACTIVE');
    await emu.customer.unpause(subscriptionId);
    expect((await caller.get(`/checkout/v2/subscriptions/${subscriptionId}/status`)).body).toMatchObject({
      state: 'ACTIVE',
      pauseStartDate: null,
    });
    await emu.customer.pause(subscriptionId, { until: emu.now() + HOUR });
    await emu.advanceTime(HOUR);
    expect((await caller.get(`/checkout/v2/subscriptions/${subscriptionId}/status`)).body.state).toBe('ACTIVE');
    await emu.customer.revoke(subscriptionId);
    expect((await caller.get(`/checkout/v2/subscriptions/${subscriptionId}/status`)).body.state).toBe('REVOKED');
    await expect(emu.customer.unpause(subscriptionId)).rejects.toMatchObject({ code: 'INVALID_SUBSCRIPTION_STATE' });
    expect(
      eventsFor('merchantSubscriptionId', subscriptionId).filter(
        (e) => e.startsWith('subscription.') && !e.includes('redemption') && !e.includes('notification'),
      ),
    ).toEqual([
      'subscription.paused',
      'subscription.unpaused',
      'subscription.paused',
      'subscription.unpaused',
      'subscription.revoked',
    ]);
  });
});

describe('API autopay (docs/phonepe-protocol.md#autopay-api-setup)', () => {
  it('UPI_INTENT setup returns a upi://mandate intent; approval via completeOrder activates it', async () => {
    const body = apiSetupBody();
    const created = await caller.post('/subscriptions/v2/setup', body);
    expect(created.status).toBe(200);
    // PhonePe's Go SDK fixture answers without expireAt; the minimal shape does too.
    expect(created.body).toEqual({
      orderId: expect.stringMatching(/^OMO/),
      state: 'PENDING',
      intentUrl: expect.stringMatching(/^upi:\/\/mandate\?/),
    });
    expect(emu.getOrder(body.merchantOrderId).expireAt).toBe(emu.now() + 600_000);
    expect(new URL(created.body.intentUrl).searchParams.get('mam')).toBe('499.00');
    const subscriptionId = body.paymentFlow.merchantSubscriptionId as string;
    expect((await caller.get(`/subscriptions/v2/${subscriptionId}/status`)).body.state).toBe('ACTIVATION_IN_PROGRESS');
    await emu.completeOrder(body.merchantOrderId);
    expect((await caller.get(`/subscriptions/v2/${subscriptionId}/status`)).body.state).toBe('ACTIVE');
    const order = (await caller.get(`/subscriptions/v2/order/${body.merchantOrderId}/status?details=true`)).body;
    expect(order).toMatchObject({
      state: 'COMPLETED',
      paymentFlow: { type: 'SUBSCRIPTION_SETUP', merchantSubscriptionId: subscriptionId, frequency: 'MONTHLY' },
      paymentDetails: [{ paymentMode: 'UPI_INTENT' }],
    });
    expect(eventsFor('merchantOrderId', body.merchantOrderId)).toEqual(['subscription.setup.order.completed']);
  });

  it('UPI_COLLECT setup has no intent; the hosted page reported by the controls can approve it', async () => {
    const body = apiSetupBody({ type: 'UPI_COLLECT', details: { type: 'VPA', vpa: 'payer@ybl' } });
    const created = await caller.post('/subscriptions/v2/setup', body);
    expect(created.body).not.toHaveProperty('intentUrl');
    const pageUrl = emu.hostedPageUrl(body.merchantOrderId);
    const token = new URL(pageUrl).searchParams.get('token')!;
    const page = await fetch(pageUrl).then((r) => r.text());
    expect(page).toContain('Max amount');
    const approved = await fetch(`${emu.url}/transact/uat_v2`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({ token, action: 'pay' }),
    });
    expect(approved.status).toBe(200); // no merchant page to return to in the API family
    expect((await caller.get(`/subscriptions/v2/${body.paymentFlow.merchantSubscriptionId}/status`)).body.state).toBe(
      'ACTIVE',
    );
    expect(
      (await caller.get(`/subscriptions/v2/order/${body.merchantOrderId}/status`)).body.paymentDetails[0].paymentMode,
    ).toBe('UPI_COLLECT');
  });

  it('a declined setup fails the order and the subscription', async () => {
    const body = apiSetupBody();
    await caller.post('/subscriptions/v2/setup', body);
    await emu.failOrder(body.merchantOrderId);
    expect((await caller.get(`/subscriptions/v2/${body.paymentFlow.merchantSubscriptionId}/status`)).body.state).toBe(
      'FAILED',
    );
    expect(eventsFor('merchantOrderId', body.merchantOrderId)).toEqual(['subscription.setup.order.failed']);
  });

  it('redeems through /subscriptions/v2 with transaction status; a failed debit sends the failed webhooks', async () => {
    const body = apiSetupBody();
    await caller.post('/subscriptions/v2/setup', body);
    await emu.completeOrder(body.merchantOrderId);
    const subscriptionId = body.paymentFlow.merchantSubscriptionId as string;
    const notified = await notify('api', subscriptionId);
    await emu.advanceTime(24 * HOUR);
    const redeemed = await caller.post('/subscriptions/v2/redeem', { merchantOrderId: notified.merchantOrderId });
    expect(redeemed.body.state).toBe('PENDING');
    const txn = await caller.get(`/subscriptions/v2/transaction/${redeemed.body.transactionId}/status`);
    expect(txn.body).toMatchObject({
      state: 'PENDING',
      paymentDetails: [{ transactionId: redeemed.body.transactionId, state: 'PENDING' }],
    });
    await emu.failOrder(notified.merchantOrderId, { errorCode: 'INSUFFICIENT_BALANCE' });
    expect((await caller.get(`/subscriptions/v2/order/${notified.merchantOrderId}/status`)).body).toMatchObject({
      state: 'FAILED',
      errorCode: 'INSUFFICIENT_BALANCE',
    });
    expect(eventsFor('merchantOrderId', notified.merchantOrderId)).toEqual([
      'subscription.notification.completed',
      'subscription.redemption.transaction.failed',
      'subscription.redemption.order.failed',
    ]);
  });

  it('autoDebit: manual redeem is refused and PhonePe debits at validAfter by itself', async () => {
    const body = apiSetupBody();
    await caller.post('/subscriptions/v2/setup', body);
    await emu.completeOrder(body.merchantOrderId);
    emu.setOutcome('success');
    try {
      const notified = await notify('api', body.paymentFlow.merchantSubscriptionId as string, 49_900, {
        autoDebit: true,
      });
      await emu.advanceTime(24 * HOUR);
      expect((await caller.get(`/subscriptions/v2/order/${notified.merchantOrderId}/status`)).body).toMatchObject({
        state: 'COMPLETED',
        paymentDetails: [{ paymentMode: 'UPI_AUTO_PAY' }],
      });
      const other = await notify('api', body.paymentFlow.merchantSubscriptionId as string, 100, { autoDebit: true });
      await emu.sweep();
      const refused = await caller.post('/subscriptions/v2/redeem', { merchantOrderId: other.merchantOrderId });
      expect(refused.body.code).toBe('AUTO_DEBIT_ENABLED');
    } finally {
      emu.setOutcome('manual');
    }
  });

  it('a notification that fails sends subscription.notification.failed', async () => {
    const body = apiSetupBody();
    await caller.post('/subscriptions/v2/setup', body);
    await emu.completeOrder(body.merchantOrderId);
    const notified = await notify('api', body.paymentFlow.merchantSubscriptionId as string);
    // Controls do not advance time, so the notification is still in progress here.
    await emu.failOrder(notified.merchantOrderId);
    expect((await caller.get(`/subscriptions/v2/order/${notified.merchantOrderId}/status`)).body.state).toBe('FAILED');
    expect(eventsFor('merchantOrderId', notified.merchantOrderId)).toEqual(['subscription.notification.failed']);
  });

  it('refuses notify for an unknown subscription with 400 SUBSCRIPTION_NOT_FOUND', async () => {
    const result = await notify('api', 'no-such-sub');
    expect(result.status).toBe(400);
    expect(result.body.code).toBe('SUBSCRIPTION_NOT_FOUND');
    expect((await caller.get('/subscriptions/v2/no-such-sub/status')).status).toBe(400);
    expect((await caller.get('/checkout/v2/subscriptions/no-such-sub/status')).body.code).toBe(
      'SUBSCRIPTION_NOT_FOUND',
    );
  });

  it('notify answers PENDING without expireAt (PhonePe’s fixtures) and takes any amount from 1 paisa', async () => {
    const body = apiSetupBody(undefined, { amountType: 'VARIABLE' });
    await caller.post('/subscriptions/v2/setup', body);
    await emu.completeOrder(body.merchantOrderId);
    const subscriptionId = body.paymentFlow.merchantSubscriptionId as string;
    const notified = await notify('api', subscriptionId, 1);
    expect(notified.status).toBe(200);
    expect(notified.body).toEqual({ orderId: expect.stringMatching(/^OMO/), state: 'PENDING' });
    expect((await caller.get(`/subscriptions/v2/order/${notified.merchantOrderId}/status`)).body).toMatchObject({
      state: 'NOTIFIED',
      amount: 1,
    });
    const zero = await notify('api', subscriptionId, 0);
    expect(zero.status).toBe(400);
    expect(zero.body.message).toMatch(/amount must be at least 1 paise/);
  });

  it('cancel answers 200 with an empty body on the API family (PhonePe’s SDK tests), then CANCELLED', async () => {
    const body = apiSetupBody();
    await caller.post('/subscriptions/v2/setup', body);
    await emu.completeOrder(body.merchantOrderId);
    const subscriptionId = body.paymentFlow.merchantSubscriptionId as string;
    const cancelled = await caller.post(`/subscriptions/v2/${subscriptionId}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.text).toBe('');
    expect((await caller.get(`/subscriptions/v2/${subscriptionId}/status`)).body.state).toBe('CANCEL_IN_PROGRESS');
    await emu.advanceTime(5_000);
    expect((await caller.get(`/subscriptions/v2/${subscriptionId}/status`)).body.state).toBe('CANCELLED');
    expect(eventsFor('merchantSubscriptionId', subscriptionId)).toEqual(['subscription.cancelled']);
  });
});
