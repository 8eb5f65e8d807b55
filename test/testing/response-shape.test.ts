import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/common/clock.js';
import {
  defaultEmulatorMerchant,
  startPhonePeEmulator,
  type PhonePeEmulator,
  type PhonePeEmulatorOptions,
} from '../../src/testing/index.js';
import { apiSetupBody, checkoutSetupBody, newId, payBody, phonePeCaller } from './support/phonepe-caller.js';

const START = Date.parse('2026-01-01T00:00:00Z');
const HOUR = 3_600_000;

/** One emulator per shape, driven through the same steps; the answers are compared field by field. */
async function walkThrough(options: PhonePeEmulatorOptions) {
  const emu = await startPhonePeEmulator({ clock: createManualClock(START), ...options });
  const caller = phonePeCaller(emu);
  const pay = payBody({ amount: 10_000 });
  await caller.post('/checkout/v2/pay', pay);
  await emu.completeOrder(pay.merchantOrderId);
  const merchantRefundId = newId('ref');
  await caller.post('/payments/v2/refund', {
    merchantRefundId,
    originalMerchantOrderId: pay.merchantOrderId,
    amount: 1_000,
  });
  const setup = checkoutSetupBody();
  await caller.post('/checkout/v2/pay', setup);
  await emu.completeOrder(setup.merchantOrderId);
  const subscriptionId = setup.paymentFlow.subscriptionDetails.merchantSubscriptionId as string;
  const cycle = newId('cycle');
  const notify = (path: string, type: string, merchantOrderId: string) =>
    caller.post(path, { merchantOrderId, amount: 100, paymentFlow: { type, merchantSubscriptionId: subscriptionId } });
  const apiSetup = apiSetupBody();
  return {
    emu,
    order: (await caller.get(`/checkout/v2/order/${pay.merchantOrderId}/status`)).body,
    refund: (await caller.get(`/payments/v2/refund/${merchantRefundId}/status`)).body,
    subscription: (await caller.get(`/checkout/v2/subscriptions/${subscriptionId}/status`)).body,
    notifyAnswer: (await notify('/checkout/v2/subscriptions/notify', 'SUBSCRIPTION_CHECKOUT_REDEMPTION', cycle)).body,
    apiNotifyAnswer: (await notify('/subscriptions/v2/notify', 'SUBSCRIPTION_REDEMPTION', newId('cycle'))).body,
    apiSetupAnswer: (await caller.post('/subscriptions/v2/setup', apiSetup)).body,
    close: () => emu.close(),
  };
}

let minimal: Awaited<ReturnType<typeof walkThrough>>;
let documented: Awaited<ReturnType<typeof walkThrough>>;

beforeAll(async () => {
  minimal = await walkThrough({});
  documented = await walkThrough({ responseShape: 'documented' });
});
afterAll(async () => {
  await minimal?.close();
  await documented?.close();
});

const keys = (value: unknown) => Object.keys(value as object).sort();

describe('responseShape', () => {
  it("defaults to 'minimal': order status as PhonePe's fixtures, without merchantId, merchantOrderId, currency or fees", () => {
    expect(keys(minimal.order)).toEqual(['amount', 'expireAt', 'orderId', 'paymentDetails', 'state']);
    expect(keys(minimal.order.paymentDetails[0])).toEqual([
      'amount',
      'instrument',
      'paymentMode',
      'rail',
      'state',
      'timestamp',
      'transactionId',
    ]);
    expect(keys(documented.order)).toEqual([
      'amount',
      'currency',
      'expireAt',
      'feeAmount',
      'merchantId',
      'merchantOrderId',
      'orderId',
      'payableAmount',
      'paymentDetails',
      'state',
    ]);
    expect(documented.order).toMatchObject({
      merchantId: defaultEmulatorMerchant.merchantId,
      currency: 'INR',
      paymentDetails: [{ currency: 'INR', feeAmount: 0 }],
    });
  });

  it('refund status: minimal has no refundId, timestamp or splitInstruments; documented has them', () => {
    expect(keys(minimal.refund)).toEqual([
      'amount',
      'merchantId',
      'merchantRefundId',
      'originalMerchantOrderId',
      'paymentDetails',
      'state',
    ]);
    expect(keys(minimal.refund.paymentDetails[0])).toEqual([
      'amount',
      'paymentMode',
      'state',
      'timestamp',
      'transactionId',
    ]);
    expect(documented.refund).toMatchObject({
      refundId: expect.stringMatching(/^OMR/),
      timestamp: START,
      splitInstruments: [expect.objectContaining({ amount: 1_000 })],
    });
    expect(documented.refund.paymentDetails[0]).toMatchObject({
      instrument: { type: 'ACCOUNT' },
      rail: { type: 'UPI' },
    });
  });

  it('subscription status: minimal leaves out productType, authInstrumentType, currency', () => {
    expect(keys(minimal.subscription)).toEqual([
      'amountType',
      'authWorkflowType',
      'expireAt',
      'frequency',
      'maxAmount',
      'merchantSubscriptionId',
      'pauseEndDate',
      'pauseStartDate',
      'state',
      'subscriptionId',
    ]);
    expect(documented.subscription).toMatchObject({
      productType: 'UPI_MANDATE',
      authInstrumentType: null,
      currency: 'INR',
    });
  });

  it('notify and API setup answers: minimal without expireAt; the API family answers PENDING in both', () => {
    expect(minimal.notifyAnswer).toEqual({ orderId: expect.stringMatching(/^OMO/), state: 'NOTIFICATION_IN_PROGRESS' });
    expect(minimal.apiNotifyAnswer).toEqual({ orderId: expect.stringMatching(/^OMO/), state: 'PENDING' });
    expect(documented.notifyAnswer).toEqual({
      orderId: expect.any(String),
      state: 'NOTIFICATION_IN_PROGRESS',
      expireAt: START + 96 * HOUR,
    });
    expect(documented.apiNotifyAnswer).toMatchObject({ state: 'PENDING', expireAt: START + 96 * HOUR });
    expect(keys(minimal.apiSetupAnswer)).toEqual(['intentUrl', 'orderId', 'state']);
    expect(documented.apiSetupAnswer).toMatchObject({ expireAt: START + 600_000 });
  });

  it('control calls report the documented shape whatever the option', () => {
    const order = minimal.emu.getOrder(
      (minimal.emu.state().orders as { merchantOrderId: string }[])[0]!.merchantOrderId,
    );
    expect(order).toMatchObject({
      merchantId: defaultEmulatorMerchant.merchantId,
      merchantOrderId: expect.any(String),
      currency: 'INR',
    });
  });

  it('refuses an unknown shape', async () => {
    await expect(startPhonePeEmulator({ responseShape: 'full' } as never)).rejects.toThrow(/responseShape/);
  });
});
