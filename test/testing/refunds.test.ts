import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, payBody } from './support/phonepe-caller.js';
import { startEmulatorWithReceiver, type EmulatorWithReceiver } from './support/emulator-with-receiver.js';

let setup: EmulatorWithReceiver;
let emu: EmulatorWithReceiver['emu'];
let receiver: EmulatorWithReceiver['receiver'];
let caller: EmulatorWithReceiver['caller'];

beforeAll(async () => {
  setup = await startEmulatorWithReceiver(Date.parse('2026-01-01T00:00:00Z'), {
    refundTimeline: { confirmAfterMs: 5_000, settleAfterMs: 30_000 },
  });
  ({ emu, receiver, caller } = setup);
});
afterAll(() => setup.close());

async function paidOrder(amount = 10_000): Promise<string> {
  const body = payBody({ amount });
  await caller.post('/checkout/v2/pay', body);
  await emu.completeOrder(body.merchantOrderId);
  return body.merchantOrderId;
}

const refund = (originalMerchantOrderId: string, amount: number, merchantRefundId = newId('ref')) =>
  caller
    .post('/payments/v2/refund', { merchantRefundId, originalMerchantOrderId, amount })
    .then((r) => ({ ...r, merchantRefundId }));
const refundStatus = (id: string) => caller.get(`/payments/v2/refund/${id}/status`);
const refundEvents = (id: string) =>
  receiver.received
    .filter((w) => w.json.payload.merchantRefundId === id)
    .map((w) => `${w.json.event}:${w.json.payload.state}`);

describe('refunds (docs/phonepe-protocol.md#refund)', () => {
  it('moves PENDING → CONFIRMED → COMPLETED on the virtual clock, with refund webhooks', async () => {
    const order = await paidOrder();
    const created = await refund(order, 4_000);
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ refundId: expect.stringMatching(/^OMR\d+$/), amount: 4_000, state: 'PENDING' });
    const pending = (await refundStatus(created.merchantRefundId)).body;
    // The minimal shape (the default) is PhonePe's own refund-status fixture: no refundId, no
    // timestamp, no splitInstruments, an attempt without instrument or rail.
    expect(pending).toEqual({
      merchantId: 'PGTESTEMULATOR',
      merchantRefundId: created.merchantRefundId,
      originalMerchantOrderId: order,
      amount: 4_000,
      state: 'PENDING',
      paymentDetails: [
        {
          transactionId: expect.stringMatching(/^OM/),
          paymentMode: 'UPI_INTENT',
          timestamp: emu.now(),
          amount: 4_000,
          state: 'PENDING',
        },
      ],
    });
    await emu.advanceTime(5_000);
    // The attempt shows CONFIRMED too, as in PhonePe's fixture.
    expect((await refundStatus(created.merchantRefundId)).body).toMatchObject({
      state: 'CONFIRMED',
      paymentDetails: [{ state: 'CONFIRMED' }],
    });
    await emu.advanceTime(25_000);
    expect((await refundStatus(created.merchantRefundId)).body).toMatchObject({
      state: 'COMPLETED',
      paymentDetails: [{ state: 'COMPLETED' }],
    });
    expect(refundEvents(created.merchantRefundId)).toEqual([
      'pg.refund.accepted:CONFIRMED',
      'pg.refund.completed:COMPLETED',
    ]);
    const [accepted, completed] = receiver.received
      .filter((w) => w.json.payload.merchantRefundId === created.merchantRefundId)
      .map((w) => w.json.payload);
    expect(accepted).not.toHaveProperty('refundId');
    expect((accepted!.paymentDetails as Record<string, unknown>[])[0]).toEqual({
      transactionId: expect.any(String),
      paymentMode: 'UPI_INTENT',
      timestamp: expect.any(Number),
      amount: 4_000,
      state: 'CONFIRMED',
    });
    // PhonePe's pg.refund.completed fixture carries the instrument and rail of the refund.
    expect((completed!.paymentDetails as Record<string, unknown>[])[0]).toMatchObject({
      state: 'COMPLETED',
      instrument: { type: 'ACCOUNT' },
      rail: { type: 'UPI' },
    });
  });

  it('plays both steps in order when one advance passes them', async () => {
    const order = await paidOrder();
    const { merchantRefundId } = await refund(order, 100);
    await emu.advanceTime(60_000);
    expect(refundEvents(merchantRefundId)).toEqual(['pg.refund.accepted:CONFIRMED', 'pg.refund.completed:COMPLETED']);
  });

  it('allows partial refunds up to the order amount in total, one at a time', async () => {
    const order = await paidOrder(10_000);
    const first = await refund(order, 6_000);
    const whileOpen = await refund(order, 1_000);
    expect(whileOpen.status).toBe(400);
    expect(whileOpen.body.code).toBe('REFUND_ALREADY_IN_PROGRESS');
    await emu.completeRefund(first.merchantRefundId);
    const tooMuch = await refund(order, 4_001);
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.code).toBe('INVALID_REFUND_AMOUNT');
    const failed = await refund(order, 4_000);
    await emu.failRefund(failed.merchantRefundId);
    // No SDK models top-level error codes on refund status; the attempt carries them.
    const failedStatus = (await refundStatus(failed.merchantRefundId)).body;
    expect(failedStatus).toMatchObject({
      state: 'FAILED',
      paymentDetails: [{ state: 'FAILED', errorCode: 'REFUND_FAILED' }],
    });
    expect(failedStatus).not.toHaveProperty('errorCode');
    // A FAILED refund does not count: the rest can be refunded with a new id.
    const rest = await refund(order, 4_000);
    expect(rest.status).toBe(200);
    expect(refundEvents(failed.merchantRefundId)).toEqual(['pg.refund.failed:FAILED']);
  });

  it('refuses a refund of an order that is not COMPLETED, or unknown', async () => {
    const body = payBody();
    await caller.post('/checkout/v2/pay', body);
    const pending = await refund(body.merchantOrderId, 100);
    expect(pending.status).toBe(400);
    expect(pending.body.code).toBe('ORDER_NOT_COMPLETED');
    // Not INVALID_MERCHANT_ORDER_ID, which reads as "already submitted" on a creating call.
    const unknown = await refund('no-such-order', 100);
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('ORDER_NOT_FOUND');
  });

  it('refuses a reused merchantRefundId with 417', async () => {
    const order = await paidOrder();
    const first = await refund(order, 100);
    await emu.completeRefund(first.merchantRefundId);
    const again = await refund(order, 100, first.merchantRefundId);
    expect(again.status).toBe(417);
    expect(again.body).toMatchObject({ success: false, code: 'DUPLICATE_REQUEST_ID' });
  });

  it('answers an unknown refund with 400 REFUND_NOT_FOUND', async () => {
    const result = await refundStatus('nope');
    expect(result.status).toBe(400);
    expect(result.body).toEqual({ code: 'REFUND_NOT_FOUND', message: 'No entry found for given merchant refund id' });
  });

  it('does not let a terminal refund change again', async () => {
    const order = await paidOrder();
    const { merchantRefundId } = await refund(order, 100);
    await emu.completeRefund(merchantRefundId);
    await expect(emu.failRefund(merchantRefundId)).rejects.toMatchObject({ code: 'INVALID_REFUND_STATE' });
  });
});
