import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isPhonePeAuthenticationError,
  isPhonePeConflictError,
  isPhonePeOutcomeUnknownError,
  type PhonePeOutcomeUnknownError,
  isPhonePeNotFoundError,
  isPhonePeServerError,
  PhonePeClient,
} from '../../src/client/index.js';
import { createManualClock } from '../../src/common/clock.js';
import { verifyWebhook } from '../../src/webhooks/index.js';
import {
  defaultEmulatorCredentials,
  defaultEmulatorWebhookCredentials,
  startPhonePeEmulator,
  type PhonePeEmulator,
} from '../../src/testing/index.js';
import { newId } from './support/phonepe-caller.js';
import { startWebhookReceiver } from './support/webhook-receiver.js';

// Our PhonePeClient against the running emulator over real HTTP: every call, both autopay
// families. The two sides were written independently from docs/phonepe-protocol.md; a disagreement here
// is a protocol question, not a test detail.
const HOUR = 3_600_000;
const clock = createManualClock(Date.parse('2026-01-01T00:00:00Z'));
let emu: PhonePeEmulator;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let client: PhonePeClient;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  // One-hour tokens (the default is PhonePe's 7-day sample), so advancing the clock expires them.
  emu = await startPhonePeEmulator({
    clock,
    tokenTtlSeconds: 3_600,
    webhook: { url: receiver.url },
    refundTimeline: { confirmAfterMs: 1_000, settleAfterMs: 2_000 },
  });
  client = new PhonePeClient({
    ...defaultEmulatorCredentials,
    env: 'SANDBOX',
    baseUrls: emu.baseUrls,
    clock,
    retry: { limit: 0 },
  });
});
afterAll(async () => {
  await emu.close();
  await receiver.close();
});

const returnUrl = 'https://shop.example/return';

describe('PhonePeClient ↔ emulator: checkout and refunds', () => {
  it('pay → status (details, errorContext) → transaction status', async () => {
    const merchantOrderId = newId();
    const created = await client.pay({
      merchantOrderId,
      amount: 299_900,
      metaInfo: { udf1: 'ws_1' },
      paymentFlow: { type: 'PG_CHECKOUT', merchantUrls: { redirectUrl: returnUrl } },
    });
    expect(created).toMatchObject({ state: 'PENDING', orderId: expect.stringMatching(/^OMO/) });
    expect(created.redirectUrl).toContain('/transact/uat_v2?token=');
    expect(await client.getOrderStatus(merchantOrderId)).toMatchObject({ state: 'PENDING', paymentDetails: [] });

    await emu.failAttempt(merchantOrderId, { errorCode: 'INVALID_MPIN' });
    await emu.failOrder(merchantOrderId, { errorCode: 'INSUFFICIENT_BALANCE' });
    const latest = await client.getOrderStatus(merchantOrderId);
    expect(latest.paymentDetails).toHaveLength(1);
    const full = await client.getOrderStatus(merchantOrderId, { details: true, errorContext: true });
    expect(full).toMatchObject({
      state: 'FAILED',
      errorCode: 'INSUFFICIENT_BALANCE',
      errorContext: { errorCode: 'INSUFFICIENT_BALANCE', detailedErrorCode: 'Z9' },
      metaInfo: { udf1: 'ws_1' },
    });
    expect(full.paymentDetails).toHaveLength(2);
    const transactionId = full.paymentDetails![0]!.transactionId!;
    const transaction = await client.getTransactionStatus(transactionId);
    expect(transaction.paymentDetails).toEqual([expect.objectContaining({ transactionId, state: 'FAILED' })]);
  });

  it('maps the emulator’s errors to the client’s error classes', async () => {
    const merchantOrderId = newId();
    const body = {
      merchantOrderId,
      amount: 100,
      paymentFlow: { type: 'PG_CHECKOUT' as const, merchantUrls: { redirectUrl: returnUrl } },
    };
    await client.pay(body);
    // A reused merchantOrderId is "already submitted": the client finds the order instead of failing.
    const duplicate = (await client.pay(body).catch((e: unknown) => e)) as PhonePeOutcomeUnknownError;
    expect(isPhonePeOutcomeUnknownError(duplicate)).toBe(true);
    expect(duplicate).toMatchObject({ created: true, existing: { state: 'PENDING' } });
    expect(isPhonePeConflictError(duplicate.cause)).toBe(true);
    expect(duplicate.cause).toMatchObject({ code: 'INVALID_TRANSACTION_ID', status: 417 });
    const missing = await client.getOrderStatus('never-made').catch((e: unknown) => e);
    expect(isPhonePeNotFoundError(missing)).toBe(true);
    expect(missing).toMatchObject({ code: 'INVALID_MERCHANT_ORDER_ID', status: 400 });
    const missingRefund = await client.getRefundStatus('never-made').catch((e: unknown) => e);
    expect(isPhonePeNotFoundError(missingRefund)).toBe(true);
    expect(missingRefund).toMatchObject({ code: 'REFUND_NOT_FOUND', status: 400 });
    const missingMandate = await client.subscriptions.getStatus('never-made').catch((e: unknown) => e);
    expect(isPhonePeNotFoundError(missingMandate)).toBe(true);
    expect(missingMandate).toMatchObject({ code: 'SUBSCRIPTION_NOT_FOUND', status: 400 });
    const wrong = new PhonePeClient({
      ...defaultEmulatorCredentials,
      clientSecret: 'wrong',
      env: 'SANDBOX',
      baseUrls: emu.baseUrls,
      retry: { limit: 0 },
    });
    const refused = await wrong.getOrderStatus(merchantOrderId).catch((e: unknown) => e);
    expect(isPhonePeAuthenticationError(refused)).toBe(true);
    expect(refused).toMatchObject({ code: 'PR004', status: 401 });
  });

  it('refreshes the token after it expires on the virtual clock', async () => {
    const merchantOrderId = newId();
    await client.pay({
      merchantOrderId,
      amount: 100,
      paymentFlow: { type: 'PG_CHECKOUT', merchantUrls: { redirectUrl: returnUrl } },
    });
    await emu.advanceTime(2 * HOUR);
    expect((await client.getOrderStatus(merchantOrderId)).state).toBe('FAILED'); // it expired too
  });

  it('after an injected 503 on pay, asks the order status and reports that nothing was created', async () => {
    emu.faults.add({ path: '/checkout/v2/pay', status: 503, times: 1 });
    const request = {
      merchantOrderId: newId(),
      amount: 100,
      paymentFlow: { type: 'PG_CHECKOUT' as const, merchantUrls: { redirectUrl: returnUrl } },
    };
    const error = await client.pay(request).catch((e: unknown) => e);
    expect(isPhonePeOutcomeUnknownError(error)).toBe(true);
    expect((error as { created: boolean | null }).created).toBe(false);
    // So the same merchantOrderId can be sent again.
    expect((await client.pay(request)).state).toBe('PENDING');
  });

  it('retries a status call after an injected 503 and a dropped connection', async () => {
    const retrying = new PhonePeClient({
      ...defaultEmulatorCredentials,
      env: 'SANDBOX',
      baseUrls: emu.baseUrls,
      clock,
      retry: { limit: 2 },
      sleep: async () => {},
    });
    const merchantOrderId = newId();
    await retrying.pay({
      merchantOrderId,
      amount: 100,
      paymentFlow: { type: 'PG_CHECKOUT', merchantUrls: { redirectUrl: returnUrl } },
    });
    emu.faults.add({ path: '/checkout/v2/order/*/status', status: 503, times: 1 });
    emu.faults.add({ path: '/checkout/v2/order/*/status', dropConnection: true, times: 1 });
    expect((await retrying.getOrderStatus(merchantOrderId)).state).toBe('PENDING');
    emu.faults.add({ path: '/checkout/v2/order/*/status', status: 503, times: 3 });
    expect(isPhonePeServerError(await retrying.getOrderStatus(merchantOrderId).catch((e: unknown) => e))).toBe(true);
  });

  it('createSdkOrder returns a token', async () => {
    const sdk = await client.createSdkOrder({ merchantOrderId: newId(), amount: 49_900, paymentFlow: {} });
    expect(sdk).toMatchObject({ state: 'PENDING', token: expect.any(String), orderId: expect.stringMatching(/^OMO/) });
  });

  it('refund → refund status through PENDING, CONFIRMED, COMPLETED', async () => {
    const merchantOrderId = newId();
    await client.pay({
      merchantOrderId,
      amount: 10_000,
      paymentFlow: { type: 'PG_CHECKOUT', merchantUrls: { redirectUrl: returnUrl } },
    });
    await emu.completeOrder(merchantOrderId);
    const merchantRefundId = newId('ref');
    expect(
      await client.refund({ merchantRefundId, originalMerchantOrderId: merchantOrderId, amount: 2_500 }),
    ).toMatchObject({ state: 'PENDING', amount: 2_500, refundId: expect.stringMatching(/^OMR/) });
    expect((await client.getRefundStatus(merchantRefundId)).state).toBe('PENDING');
    await emu.advanceTime(1_000);
    expect((await client.getRefundStatus(merchantRefundId)).state).toBe('CONFIRMED');
    await emu.advanceTime(1_000);
    expect(await client.getRefundStatus(merchantRefundId)).toMatchObject({
      state: 'COMPLETED',
      originalMerchantOrderId: merchantOrderId,
      amount: 2_500,
    });
  });
});

describe('PhonePeClient ↔ emulator: autopay', () => {
  async function checkoutFamilyMandate() {
    const merchantSubscriptionId = newId('sub');
    const merchantOrderId = newId('setup');
    const setup = await client.subscriptions.setup({
      merchantOrderId,
      amount: 49_900,
      paymentFlow: {
        type: 'SUBSCRIPTION_CHECKOUT_SETUP',
        merchantUrls: { redirectUrl: returnUrl },
        subscriptionDetails: {
          merchantSubscriptionId,
          authWorkflowType: 'TRANSACTION',
          amountType: 'FIXED',
          maxAmount: 49_900,
          frequency: 'MONTHLY',
          subscriptionType: 'RECURRING',
          productType: 'UPI_MANDATE',
        },
      },
    });
    expect(setup.redirectUrl).toContain('/transact/uat_v2?token=');
    await emu.completeOrder(merchantOrderId);
    return merchantSubscriptionId;
  }

  it('checkout family: setup → ACTIVE → notify → execute after 24 h → COMPLETED → cancel', async () => {
    const merchantSubscriptionId = await checkoutFamilyMandate();
    expect(await client.subscriptions.getStatus(merchantSubscriptionId)).toMatchObject({
      state: 'ACTIVE',
      maxAmount: 49_900,
      frequency: 'MONTHLY',
    });
    const cycle = newId('cycle');
    const notified = await client.subscriptions.notifyRedemption({
      merchantOrderId: cycle,
      amount: 49_900,
      paymentFlow: { type: 'SUBSCRIPTION_CHECKOUT_REDEMPTION', merchantSubscriptionId, autoDebit: false },
    });
    expect(notified.state).toBe('NOTIFICATION_IN_PROGRESS');
    const redemption = await client.subscriptions.getRedemptionStatus(cycle);
    expect(redemption.state).toBe('NOTIFIED');
    const early = await client.subscriptions.executeRedemption(cycle).catch((e: unknown) => e);
    expect(early).toMatchObject({ code: 'REDEMPTION_WINDOW_NOT_OPEN', status: 400 });
    await emu.advanceTime(24 * HOUR);
    const executed = await client.subscriptions.executeRedemption(cycle);
    expect(executed).toMatchObject({ state: 'PENDING', transactionId: expect.stringMatching(/^OM/) });
    await emu.completeOrder(cycle);
    expect((await client.subscriptions.getRedemptionStatus(cycle)).state).toBe('COMPLETED');
    await client.subscriptions.cancel(merchantSubscriptionId);
    expect((await client.subscriptions.getStatus(merchantSubscriptionId)).state).toBe('CANCEL_IN_PROGRESS');
    await emu.advanceTime(5_000);
    expect((await client.subscriptions.getStatus(merchantSubscriptionId)).state).toBe('CANCELLED');
  });

  it('API family: setup (intent) → ACTIVE → notify → execute → status → cancel', async () => {
    const merchantSubscriptionId = newId('sub');
    const merchantOrderId = newId('setup');
    const setup = await client.subscriptions.setup({
      merchantOrderId,
      amount: 49_900,
      deviceContext: { deviceOS: 'ANDROID' },
      paymentFlow: {
        type: 'SUBSCRIPTION_SETUP',
        merchantSubscriptionId,
        authWorkflowType: 'TRANSACTION',
        amountType: 'VARIABLE',
        maxAmount: 99_900,
        frequency: 'MONTHLY',
        paymentMode: { type: 'UPI_INTENT', targetApp: 'com.phonepe.app' },
      },
    });
    expect(setup).toMatchObject({ state: 'PENDING', intentUrl: expect.stringMatching(/^upi:\/\/mandate\?/) });
    expect((await client.subscriptions.getStatus(merchantSubscriptionId, { family: 'api' })).state).toBe(
      'ACTIVATION_IN_PROGRESS',
    );
    await emu.completeOrder(merchantOrderId);
    expect((await client.subscriptions.getStatus(merchantSubscriptionId, { family: 'api' })).state).toBe('ACTIVE');
    const cycle = newId('cycle');
    await client.subscriptions.notifyRedemption({
      merchantOrderId: cycle,
      amount: 99_900,
      paymentFlow: { type: 'SUBSCRIPTION_REDEMPTION', merchantSubscriptionId },
    });
    await emu.advanceTime(24 * HOUR);
    const executed = await client.subscriptions.executeRedemption(cycle, { family: 'api' });
    expect(executed.state).toBe('PENDING');
    await emu.failOrder(cycle);
    expect(await client.subscriptions.getRedemptionStatus(cycle, { family: 'api' })).toMatchObject({
      state: 'FAILED',
      paymentDetails: [expect.objectContaining({ paymentMode: 'UPI_AUTO_PAY', state: 'FAILED' })],
    });
    await client.subscriptions.cancel(merchantSubscriptionId, { family: 'api' }); // a 200 with no body
    await emu.advanceTime(5_000);
    expect((await client.subscriptions.getStatus(merchantSubscriptionId, { family: 'api' })).state).toBe('CANCELLED');
  });

  it('API family: UPI_COLLECT setup has no intentUrl', async () => {
    const setup = await client.subscriptions.setup({
      merchantOrderId: newId('setup'),
      amount: 200,
      paymentFlow: {
        type: 'SUBSCRIPTION_SETUP',
        merchantSubscriptionId: newId('sub'),
        authWorkflowType: 'PENNY_DROP',
        amountType: 'VARIABLE',
        maxAmount: 99_900,
        frequency: 'ON_DEMAND',
        paymentMode: { type: 'UPI_COLLECT', details: { type: 'VPA', vpa: 'payer@ybl' } },
      },
    });
    expect(setup.state).toBe('PENDING');
    expect(setup).not.toHaveProperty('intentUrl');
  });
});

describe('emulator webhooks ↔ verifyWebhook', () => {
  it('every webhook the emulator sent in this file verifies and parses as a known event', async () => {
    await emu.webhooks.idle();
    expect(receiver.received.length).toBeGreaterThan(10);
    const kinds = new Set<string>();
    for (const webhook of receiver.received) {
      const event = await verifyWebhook(
        { authorization: webhook.authorization, body: webhook.body },
        defaultEmulatorWebhookCredentials,
      );
      expect(event.event).toBe(webhook.json.event);
      expect(event.kind).not.toBe('unknown');
      kinds.add(event.kind);
    }
    expect([...kinds].sort()).toEqual(['order', 'refund', 'subscription']);
  });
});
