import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isRazorpayWebhookVerificationError, verifyRazorpayWebhook } from '../../src/razorpay/index.js';

const SECRET = 'webhook-secret-from-dashboard';
const sign = (body: string | Uint8Array, secret = SECRET) => createHmac('sha256', secret).update(body).digest('hex');

// Shaped like the payment.captured sample of Razorpay's webhook docs, spaced as Razorpay sends it.
const captured = `{
  "entity": "event",
  "account_id": "acc_BFQ7uQEaa7j2z7",
  "event": "payment.captured",
  "contains": ["payment"],
  "payload": {
    "payment": {
      "entity": {
        "id": "pay_DESlfW9H8K9uqM", "entity": "payment", "amount": 100, "currency": "INR",
        "status": "captured", "order_id": "order_DESlLckIVRkHWj", "method": "upi",
        "token_id": "token_4lsdksD31GaZ09", "captured": true, "notes": []
      }
    }
  },
  "created_at": 1567674606
}`;

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: unknown) => error,
  );

describe('verifyRazorpayWebhook', () => {
  it('verifies the raw body and returns the event, its ids and the raw payload', async () => {
    const event = await verifyRazorpayWebhook({ body: captured, signature: sign(captured), eventId: 'evt_1' }, SECRET);
    expect(event).toMatchObject({
      event: 'payment.captured',
      eventId: 'evt_1',
      accountId: 'acc_BFQ7uQEaa7j2z7',
      createdAt: 1567674606,
      contains: ['payment'],
      paymentId: 'pay_DESlfW9H8K9uqM',
      orderId: 'order_DESlLckIVRkHWj',
      tokenId: 'token_4lsdksD31GaZ09',
      refundId: undefined,
      raw: captured,
    });
    expect((event.payload.payment as { entity: { amount: number } }).entity.amount).toBe(100);
  });

  it('accepts the body as bytes', async () => {
    const bytes = new TextEncoder().encode(captured);
    const event = await verifyRazorpayWebhook({ body: bytes, signature: sign(captured) }, SECRET);
    expect(event.raw).toBe(captured);
  });

  it('reads refund and token events', async () => {
    const refund = JSON.stringify({
      entity: 'event',
      event: 'refund.processed',
      contains: ['refund', 'payment'],
      payload: {
        refund: { entity: { id: 'rfnd_1', payment_id: 'pay_1' } },
        payment: { entity: { id: 'pay_1', order_id: 'order_1' } },
      },
      created_at: 1,
    });
    const token = JSON.stringify({ event: 'token.confirmed', payload: { token: { entity: { id: 'token_9' } } } });
    expect(await verifyRazorpayWebhook({ body: refund, signature: sign(refund) }, SECRET)).toMatchObject({
      refundId: 'rfnd_1',
      paymentId: 'pay_1',
      orderId: 'order_1',
    });
    expect(await verifyRazorpayWebhook({ body: token, signature: sign(token) }, SECRET)).toMatchObject({
      event: 'token.confirmed',
      tokenId: 'token_9',
    });
  });

  it('refuses a forged signature, the wrong secret, a missing header and a re-serialised body', async () => {
    const reserialised = JSON.stringify(JSON.parse(captured));
    const tampered = captured.replace('"amount": 100', '"amount": 100000');
    const cases = await Promise.all([
      rejection(verifyRazorpayWebhook({ body: captured, signature: sign(captured, 'wrong-secret') }, SECRET)),
      rejection(verifyRazorpayWebhook({ body: tampered, signature: sign(captured) }, SECRET)),
      rejection(verifyRazorpayWebhook({ body: reserialised, signature: sign(captured) }, SECRET)),
      rejection(verifyRazorpayWebhook({ body: captured, signature: null }, SECRET)),
      rejection(verifyRazorpayWebhook({ body: captured, signature: '   ' }, SECRET)),
      rejection(verifyRazorpayWebhook({ body: captured, signature: 'not-hex' }, SECRET)),
    ]);
    expect(cases.every(isRazorpayWebhookVerificationError)).toBe(true);
    expect(cases.map((e) => (e as { reason: string }).reason)).toEqual([
      'bad-signature',
      'bad-signature',
      'bad-signature',
      'missing-signature',
      'missing-signature',
      'bad-signature',
    ]);
  });

  it('refuses a signed body that is not an event', async () => {
    for (const body of ['not json', '[]', '{"payload":{}}'])
      expect(await rejection(verifyRazorpayWebhook({ body, signature: sign(body) }, SECRET))).toMatchObject({
        name: 'RazorpayWebhookVerificationError',
        reason: 'malformed-body',
      });
  });

  it('refuses to run without a secret', async () => {
    expect(
      await rejection(verifyRazorpayWebhook({ body: captured, signature: sign(captured, '') }, '')),
    ).toBeInstanceOf(TypeError);
  });
});
