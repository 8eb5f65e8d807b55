import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type RazorpayEmulator, startRazorpayEmulator } from '../../../src/testing/index.js';
import { razorpayCaller, type RazorpayReceivedWebhook, startRazorpayReceiver } from './support/razorpay-caller.js';

const WEBHOOK_SECRET = 'merchant-webhook-secret';

function verifies(webhook: RazorpayReceivedWebhook, secret = WEBHOOK_SECRET): boolean {
  const expected = createHmac('sha256', secret).update(webhook.body).digest();
  const given = Buffer.from(webhook.signature ?? '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

async function setup(respond?: (index: number) => number, delaysMs = [20, 40]) {
  const receiver = await startRazorpayReceiver(respond);
  const emu: RazorpayEmulator = await startRazorpayEmulator({
    webhookSecret: WEBHOOK_SECRET,
    webhook: { url: receiver.url, retry: { retries: 2, delaysMs } },
    refundProcessAfterMs: null,
  });
  open.push(receiver, emu);
  const api = razorpayCaller(emu, emu.credentials);
  const order = async (amount = 10_000) =>
    (await api.post('/orders', { amount, currency: 'INR', receipt: `r_${amount}` })).body;
  return { receiver, emu, api, order };
}

describe('Razorpay emulator webhooks', () => {
  it('signs each body with the webhook secret (hex HMAC-SHA256) and sends Razorpay event envelopes in order', async () => {
    const { receiver, emu, order } = await setup();
    const o = await order();
    const paid = await emu.payOrder(o.id);
    await receiver.waitFor(3);
    expect(receiver.events()).toEqual(['payment.authorized', 'payment.captured', 'order.paid']);
    for (const w of receiver.received) {
      expect(verifies(w)).toBe(true);
      expect(verifies(w, 'another-secret')).toBe(false);
      expect(w.signature).toMatch(/^[0-9a-f]{64}$/);
      expect(w.eventId).toMatch(/^evt_[A-Za-z0-9]{14}$/);
      expect(w.json).toMatchObject({
        entity: 'event',
        account_id: expect.stringMatching(/^acc_/),
        created_at: expect.any(Number),
      });
    }
    const orderPaid = receiver.received[2]!.json;
    expect(orderPaid.contains).toEqual(['payment', 'order']);
    expect(orderPaid.payload.payment.entity).toMatchObject({
      id: paid.razorpay_payment_id,
      status: 'captured',
      amount: 10_000,
    });
    expect(orderPaid.payload.order.entity).toMatchObject({ id: o.id, status: 'paid', amount_paid: 10_000 });
    expect(new Set(receiver.received.map((w) => w.eventId)).size).toBe(3);
  });

  it('refund and failure events carry their entities', async () => {
    const { receiver, emu, api, order } = await setup();
    const o1 = await order(20_000);
    await emu.failOrder(o1.id, { reason: 'payment_cancelled', description: 'Payment cancelled by the payer' });
    const pay = (await emu.payOrder(o1.id)).razorpay_payment_id;
    const refund = (await api.post(`/payments/${pay}/refund`, { amount: 5_000 })).body;
    await emu.processRefund(refund.id);
    const second = (await api.post(`/payments/${pay}/refund`, { amount: 5_000 })).body;
    await emu.failRefund(second.id);
    await receiver.waitFor(8);
    expect(receiver.events()).toEqual([
      'payment.failed',
      'payment.authorized',
      'payment.captured',
      'order.paid',
      'refund.created',
      'refund.processed',
      'refund.created',
      'refund.failed',
    ]);
    expect(receiver.received[0]!.json.payload.payment.entity).toMatchObject({
      status: 'failed',
      error_reason: 'payment_cancelled',
      error_description: 'Payment cancelled by the payer',
    });
    expect(receiver.received[5]!.json.payload.refund.entity).toMatchObject({ id: refund.id, status: 'processed' });
    expect(receiver.received[7]!.json.payload.refund.entity).toMatchObject({ id: second.id, status: 'failed' });
    expect(receiver.received[7]!.json.payload.payment.entity.amount_refunded).toBe(5_000);
  });

  it('token events: confirmed, rejected, cancelled', async () => {
    const { receiver, emu, api } = await setup();
    const customer = (await api.post('/customers', { name: 'T', email: 't@example.com', contact: '9000000009' })).body;
    const authOrder = async () =>
      (
        await api.post('/orders', {
          amount: 100,
          currency: 'INR',
          customer_id: customer.id,
          method: 'upi',
          token: { max_amount: 10_000, frequency: 'monthly' },
        })
      ).body;
    const t1 = emu.getPayment((await emu.payOrder((await authOrder()).id)).razorpay_payment_id).token_id as string;
    await emu.cancelToken(t1);
    await receiver.waitFor(5);
    expect(receiver.events().filter((e) => e.startsWith('token.'))).toEqual(['token.confirmed', 'token.cancelled']);
    const last = receiver.received.at(-1)!.json;
    expect(last.contains).toEqual(['token']);
    expect(last.payload.token.entity).toMatchObject({ id: t1, recurring_details: { status: 'cancelled' } });

    // The merchant's cancel: token.cancelled only once NPCI confirmed it (a minute later on the emulator clock).
    const t2 = emu.getPayment((await emu.payOrder((await authOrder()).id)).razorpay_payment_id).token_id as string;
    await emu.webhooks.idle();
    await api.put(`/customers/${customer.id}/tokens/${t2}/cancel`);
    await emu.advanceTime(30_000);
    await emu.webhooks.idle();
    expect(receiver.events().filter((e) => e === 'token.cancelled')).toHaveLength(1);
    await emu.advanceTime(30_000);
    await emu.webhooks.idle();
    expect(receiver.events().filter((e) => e === 'token.cancelled')).toHaveLength(2);
    const cancelled = receiver.received.at(-1)!.json;
    expect(cancelled.event).toBe('token.cancelled');
    expect(cancelled.payload.token.entity).toMatchObject({ id: t2, recurring_details: { status: 'cancelled' } });
  });

  it('retries a non-2xx with the same body, signature and event id, then stops after the retries', async () => {
    const { receiver, emu, order } = await setup((i) => (i < 2 ? 500 : 200));
    const o = await order();
    await emu.failOrder(o.id);
    await receiver.waitFor(3);
    await emu.webhooks.idle();
    const [a, b, c] = receiver.received;
    expect([a, b, c].map((w) => w!.body)).toEqual([a!.body, a!.body, a!.body]);
    expect(new Set([a, b, c].map((w) => w!.eventId)).size).toBe(1);
    expect(new Set([a, b, c].map((w) => w!.signature)).size).toBe(1);
    const delivery = emu.webhooks.deliveries.find((d) => d.event === 'payment.failed')!;
    expect(delivery.attempts.map((x) => x.status)).toEqual([500, 500, 200]);
    expect(delivery.status).toBe('delivered');
  });

  it('gives up after the configured retries', async () => {
    const { receiver, emu, order } = await setup(() => 503, [10]);
    await emu.failOrder((await order()).id);
    await receiver.waitFor(3);
    await emu.webhooks.idle();
    const delivery = emu.webhooks.deliveries[0]!;
    expect(delivery.status).toBe('failed');
    expect(delivery.attempts).toHaveLength(3);
  });

  it('duplicates on demand: a second copy with the same event id', async () => {
    const { receiver, emu, order } = await setup();
    emu.webhooks.duplicateNext();
    await emu.failOrder((await order()).id);
    await receiver.waitFor(2);
    const [first, copy] = receiver.received;
    expect(copy!.body).toBe(first!.body);
    expect(copy!.eventId).toBe(first!.eventId);
    expect(verifies(copy!)).toBe(true);
    expect(emu.webhooks.deliveries[1]!.duplicateOf).toBe(emu.webhooks.deliveries[0]!.id);
  });

  it('hold and release in reverse: order.paid arrives before payment.authorized', async () => {
    const { receiver, emu, order } = await setup();
    emu.webhooks.hold();
    await emu.payOrder((await order()).id);
    expect(receiver.received).toHaveLength(0);
    expect(emu.webhooks.deliveries.map((d) => d.status)).toEqual(['held', 'held', 'held']);
    await emu.webhooks.release('reverse');
    expect(receiver.events()).toEqual(['order.paid', 'payment.captured', 'payment.authorized']);
    expect(receiver.received.every((w) => verifies(w))).toBe(true);
  });

  it('resend repeats a past event with its event id (how a merchant sees a Razorpay redelivery)', async () => {
    const { receiver, emu, order } = await setup();
    await emu.failOrder((await order()).id);
    await receiver.waitFor(1);
    await emu.webhooks.resend(emu.webhooks.deliveries[0]!.id);
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]!.eventId).toBe(receiver.received[0]!.eventId);
    expect(receiver.received[1]!.body).toBe(receiver.received[0]!.body);
  });
});
