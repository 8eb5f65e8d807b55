import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/common/clock.js';
import { startPhonePeEmulator, type PhonePeEmulator, type PhonePeEmulatorOptions } from '../../src/testing/index.js';
import { payBody, phonePeCaller } from './support/phonepe-caller.js';
import { startWebhookReceiver, type Responder } from './support/webhook-receiver.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(respond?: Responder, options: PhonePeEmulatorOptions = {}) {
  const receiver = await startWebhookReceiver(respond);
  const { webhook, ...rest } = options;
  const emu = await startPhonePeEmulator({
    clock: createManualClock(Date.parse('2026-01-01T00:00:00Z')),
    webhook: {
      url: receiver.url,
      username: 'merchant_hooks',
      password: 'secretPass9',
      retry: { retries: 3, delaysMs: [10, 20, 40] },
      timeoutMs: 300,
      ...webhook,
    },
    ...rest,
  });
  cleanups.push(
    () => receiver.close(),
    () => emu.close(),
  );
  return { receiver, emu, caller: phonePeCaller(emu) };
}

async function paidOrder(emu: PhonePeEmulator, caller: ReturnType<typeof phonePeCaller>): Promise<string> {
  const body = payBody();
  await caller.post('/checkout/v2/pay', body);
  await emu.completeOrder(body.merchantOrderId);
  return body.merchantOrderId;
}

describe('webhook delivery (docs/phonepe-protocol.md#webhooks)', () => {
  it('POSTs {event, type, payload} with Authorization = sha256(username:password), lowercase hex', async () => {
    const { receiver, emu, caller } = await setup();
    const id = await paidOrder(emu, caller);
    const [webhook] = receiver.received;
    expect(webhook!.authorization).toBe(createHash('sha256').update('merchant_hooks:secretPass9').digest('hex'));
    expect(webhook!.authorization).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(webhook!.json)).toEqual(['event', 'type', 'payload']);
    expect(webhook!.json.payload.merchantOrderId).toBe(id);
    const [delivery] = emu.webhooks.deliveries;
    expect(delivery).toMatchObject({
      id: 'wh_1',
      event: 'checkout.order.completed',
      type: 'CHECKOUT_ORDER_COMPLETED',
      url: receiver.url,
      status: 'delivered',
      body: webhook!.body,
    });
    expect(delivery!.attempts).toEqual([{ at: expect.any(Number), status: 200 }]);
  });

  it('retries a non-2xx answer until a 2xx', async () => {
    const { receiver, emu, caller } = await setup((i) => (i < 2 ? 500 : 204));
    await paidOrder(emu, caller);
    await emu.webhooks.idle();
    expect(receiver.received).toHaveLength(3);
    const [delivery] = emu.webhooks.deliveries;
    expect(delivery!.status).toBe('delivered');
    expect(delivery!.attempts.map((a) => a.status)).toEqual([500, 500, 204]);
    expect(new Set(receiver.received.map((w) => w.body)).size).toBe(1); // the same body each time
  });

  it('retries when there is no answer, and gives up after the configured retries', async () => {
    const { receiver, emu, caller } = await setup(() => 'hang', { webhook: { timeoutMs: 100 } });
    await paidOrder(emu, caller);
    await emu.webhooks.idle();
    expect(receiver.received).toHaveLength(4);
    const [delivery] = emu.webhooks.deliveries;
    expect(delivery!.status).toBe('failed');
    expect(delivery!.attempts).toHaveLength(4);
    expect(delivery!.attempts.every((a) => a.status === null && /no answer within 100 ms/.test(a.error ?? ''))).toBe(
      true,
    );
  });

  it('records a refused connection as a failed attempt', async () => {
    const { emu, caller } = await setup(undefined, {
      webhook: { url: 'http://127.0.0.1:9/nothing-listens', retry: { retries: 1, delaysMs: [5] } },
    });
    await paidOrder(emu, caller);
    await emu.webhooks.idle();
    const [delivery] = emu.webhooks.deliveries;
    expect(delivery!.status).toBe('failed');
    expect(delivery!.attempts.map((a) => a.status)).toEqual([null, null]);
  });

  it('duplicateNext sends the next webhook twice, the copy right after the original', async () => {
    const { receiver, emu, caller } = await setup();
    emu.webhooks.duplicateNext();
    await paidOrder(emu, caller);
    await paidOrder(emu, caller);
    expect(receiver.received).toHaveLength(3);
    expect(receiver.received[0]!.body).toBe(receiver.received[1]!.body);
    expect(receiver.received[2]!.body).not.toBe(receiver.received[0]!.body);
    const [original, copy] = emu.webhooks.deliveries;
    expect(copy).toMatchObject({ duplicateOf: original!.id, status: 'delivered', event: original!.event });
  });

  it('hold + release("reverse") delivers out of order', async () => {
    const { receiver, emu, caller } = await setup();
    emu.webhooks.hold();
    const first = await paidOrder(emu, caller);
    const second = await paidOrder(emu, caller);
    expect(receiver.received).toHaveLength(0);
    expect(emu.webhooks.deliveries.map((d) => d.status)).toEqual(['held', 'held']);
    const released = await emu.webhooks.release('reverse');
    expect(released.map((d) => d.payload.merchantOrderId)).toEqual([second, first]);
    expect(receiver.received.map((w) => w.json.payload.merchantOrderId)).toEqual([second, first]);
    // Later webhooks are no longer held.
    await paidOrder(emu, caller);
    expect(receiver.received).toHaveLength(3);
  });

  it('resend re-sends a past delivery with the same body', async () => {
    const { receiver, emu, caller } = await setup();
    await paidOrder(emu, caller);
    const [delivery] = emu.webhooks.deliveries;
    const copy = await emu.webhooks.resend(delivery!.id);
    expect(copy).toMatchObject({ resendOf: delivery!.id, status: 'delivered', body: delivery!.body });
    expect(receiver.received.map((w) => w.body)).toEqual([delivery!.body, delivery!.body]);
    await expect(emu.webhooks.resend('wh_999')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('records webhooks without a URL as not-configured, and sends per-merchant webhooks to their own URL', async () => {
    const receiver = await startWebhookReceiver();
    const emu = await startPhonePeEmulator({
      merchants: [
        { clientId: 'A', clientSecret: 'a', clientVersion: 1, merchantId: 'MA' },
        { clientId: 'B', clientSecret: 'b', clientVersion: 1, merchantId: 'MB', webhook: { url: receiver.url } },
      ],
    });
    cleanups.push(
      () => receiver.close(),
      () => emu.close(),
    );
    const a = phonePeCaller(emu, { clientId: 'A', clientSecret: 'a', clientVersion: '1' });
    const b = phonePeCaller(emu, { clientId: 'B', clientSecret: 'b', clientVersion: '1' });
    const orderA = payBody();
    const orderB = payBody();
    await a.post('/checkout/v2/pay', orderA);
    await b.post('/checkout/v2/pay', orderB);
    await emu.completeOrder(orderA.merchantOrderId);
    await emu.completeOrder(orderB.merchantOrderId);
    expect(emu.webhooks.deliveries.map((d) => [d.merchantId, d.status])).toEqual([
      ['MA', 'not-configured'],
      ['MB', 'delivered'],
    ]);
    expect(receiver.received.map((w) => w.json.payload.merchantId)).toEqual(['MB']);
  });

  it('clear forgets finished deliveries', async () => {
    const { emu, caller } = await setup();
    await paidOrder(emu, caller);
    emu.webhooks.clear();
    expect(emu.webhooks.deliveries).toEqual([]);
  });
});
