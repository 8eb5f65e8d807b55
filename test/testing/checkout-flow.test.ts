import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultEmulatorMerchant, defaultEmulatorWebhookCredentials } from '../../src/testing/index.js';
import { payBody, phonePeCaller, read } from './support/phonepe-caller.js';
import { startEmulatorWithReceiver, type EmulatorWithReceiver } from './support/emulator-with-receiver.js';

const START = Date.parse('2026-01-01T00:00:00Z');
let setup: EmulatorWithReceiver;
let emu: EmulatorWithReceiver['emu'];
let receiver: EmulatorWithReceiver['receiver'];
let caller: EmulatorWithReceiver['caller'];

beforeAll(async () => {
  setup = await startEmulatorWithReceiver(START);
  ({ emu, receiver, caller } = setup);
});
afterEach(() => emu.setOutcome('manual'));
afterAll(() => setup.close());

async function pay(overrides: Record<string, unknown> = {}) {
  const body = payBody(overrides);
  const response = await caller.post('/checkout/v2/pay', body);
  expect(response.status).toBe(200);
  return { id: body.merchantOrderId, response: response.body };
}

const status = (id: string, query = '') => caller.get(`/checkout/v2/order/${id}/status${query}`);

describe('standard checkout (docs/phonepe-protocol.md#checkout-pay)', () => {
  it('creates a PENDING order with the hosted page URL and no attempts', async () => {
    const { id, response } = await pay({ expireAfter: 900, metaInfo: { udf1: 'workspace-7' } });
    expect(response).toEqual({
      orderId: expect.stringMatching(/^OMO\d+$/),
      state: 'PENDING',
      expireAt: START + 900_000,
      redirectUrl: expect.any(String),
    });
    expect(response.redirectUrl).toMatch(new RegExp(`^${emu.url}/transact/uat_v2\\?token=[\\w-]+$`));
    const { body } = await status(id);
    // The minimal shape (the default): what PhonePe's own order-status fixtures carry, nothing more.
    expect(body).toEqual({
      orderId: response.orderId,
      state: 'PENDING',
      amount: 299_900,
      expireAt: START + 900_000,
      metaInfo: { udf1: 'workspace-7' },
      paymentDetails: [],
    });
  });

  it('defaults expireAfter to 600 s', async () => {
    expect((await pay()).response.expireAt).toBe(START + 600_000);
  });

  it('completes an order, and sends checkout.order.completed with the SHA-256 Authorization (docs/phonepe-protocol.md#webhooks)', async () => {
    const { id } = await pay();
    const before = receiver.received.length;
    const snapshot = await emu.completeOrder(id, { paymentMode: 'UPI_COLLECT' });
    expect(snapshot.state).toBe('COMPLETED');
    const { body } = await status(id);
    expect(body.state).toBe('COMPLETED');
    expect(body.paymentDetails).toEqual([
      {
        transactionId: expect.stringMatching(/^OM\d+$/),
        paymentMode: 'UPI_COLLECT',
        timestamp: START,
        amount: 299_900,
        state: 'COMPLETED',
        instrument: expect.objectContaining({ type: 'ACCOUNT' }),
        rail: expect.objectContaining({ type: 'UPI', utr: expect.any(String) }),
      },
    ]);
    // completeOrder waits for the first delivery attempt.
    const webhook = receiver.received[before]!;
    expect(webhook.json.event).toBe('checkout.order.completed');
    expect(webhook.json.type).toBe('CHECKOUT_ORDER_COMPLETED');
    // Webhook payloads name the merchant and the order, as PhonePe's webhook samples do.
    expect(webhook.json.payload).toMatchObject({
      merchantId: defaultEmulatorMerchant.merchantId,
      merchantOrderId: id,
      state: 'COMPLETED',
      amount: 299_900,
    });
    expect(webhook.json.payload).not.toHaveProperty('currency');
    expect(webhook.contentType).toBe('application/json');
    const { username, password } = defaultEmulatorWebhookCredentials;
    expect(webhook.authorization).toBe(createHash('sha256').update(`${username}:${password}`).digest('hex'));
  });

  it('details=false shows the latest attempt, details=true all, errorContext only on request', async () => {
    const { id } = await pay();
    await emu.failAttempt(id, { errorCode: 'INVALID_MPIN' });
    expect(receiver.events().at(-1)).toBe('checkout.transaction.attempt.failed');
    expect((await status(id)).body.state).toBe('PENDING');
    await emu.failOrder(id, { errorCode: 'BANK_TECHNICAL_ISSUE', detailedErrorCode: 'U28' });
    const latest = (await status(id)).body;
    expect(latest).toMatchObject({ state: 'FAILED', errorCode: 'BANK_TECHNICAL_ISSUE', detailedErrorCode: 'U28' });
    expect(latest.paymentDetails).toHaveLength(1);
    expect(latest).not.toHaveProperty('errorContext');
    const all = (await status(id, '?details=true&errorContext=true')).body;
    expect(all.paymentDetails.map((d: { state: string; errorCode: string }) => [d.state, d.errorCode])).toEqual([
      ['FAILED', 'INVALID_MPIN'],
      ['FAILED', 'BANK_TECHNICAL_ISSUE'],
    ]);
    expect(all.errorContext).toMatchObject({
      errorCode: 'BANK_TECHNICAL_ISSUE',
      detailedErrorCode: 'U28',
      source: 'ISSUING_BANK',
      stage: 'AUTHORIZATION',
    });
    // Flags are case-insensitive (the Python SDK sends True).
    expect((await status(id, '?details=True')).body.paymentDetails).toHaveLength(2);
    expect(receiver.events().at(-1)).toBe('checkout.order.failed');
  });

  it('transaction status returns the order shape with that attempt only (docs/phonepe-protocol.md#transaction-status)', async () => {
    const { id } = await pay();
    await emu.failAttempt(id);
    const done = await emu.completeOrder(id);
    const [failed, paid] = done.paymentDetails as { transactionId: string }[];
    const result = await caller.get(`/checkout/v2/transaction/${paid!.transactionId}/status`);
    expect(result.body).toMatchObject({
      orderId: done.orderId,
      state: 'COMPLETED',
      paymentDetails: [{ transactionId: paid!.transactionId, state: 'COMPLETED' }],
    });
    expect(
      (await caller.get(`/checkout/v2/transaction/${failed!.transactionId}/status`)).body.paymentDetails[0].state,
    ).toBe('FAILED');
    // PhonePe's Node SDK tests answer an unknown transaction id with 400 MAPPING_NOT_FOUND.
    const unknown = await caller.get('/checkout/v2/transaction/OM000/status');
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({ code: 'MAPPING_NOT_FOUND', message: 'No entry found for Merchant' });
  });

  it('SDK order returns a token instead of a redirect URL (docs/phonepe-protocol.md#sdk-order)', async () => {
    const body = payBody();
    const { status: code, body: order } = await caller.post('/checkout/v2/sdk/order', body);
    expect(code).toBe(200);
    expect(Object.keys(order).sort()).toEqual(['expireAt', 'orderId', 'state', 'token']);
    expect((await status(body.merchantOrderId)).body.orderId).toBe(order.orderId);
  });

  it('answers an unknown order with PhonePe’s not-found body, 400', async () => {
    const { status: code, body } = await status('never-created');
    expect(code).toBe(400);
    expect(body).toEqual({ code: 'INVALID_MERCHANT_ORDER_ID', message: 'No entry found for given merchant order id' });
  });

  it('expires an order after expireAfter: FAILED OTHERS/INTENT_EXPIRED and checkout.order.failed', async () => {
    const { id } = await pay({ expireAfter: 300 });
    await emu.advanceTime(299_999);
    expect((await status(id)).body.state).toBe('PENDING');
    const before = receiver.received.length;
    await emu.advanceTime(1);
    const { body } = await status(id, '?errorContext=true');
    expect(body).toMatchObject({
      state: 'FAILED',
      errorCode: 'OTHERS',
      detailedErrorCode: 'INTENT_EXPIRED',
      paymentDetails: [],
    });
    const webhook = receiver.received.slice(before).find((w) => w.json.payload.merchantOrderId === id);
    expect(webhook?.json.event).toBe('checkout.order.failed');
    // A settled order does not move again.
    await expect(emu.completeOrder(id)).rejects.toMatchObject({ code: 'INVALID_ORDER_STATE' });
  });

  it('outcome success settles new orders at once; the pay response still says PENDING', async () => {
    emu.setOutcome('success');
    const { id, response } = await pay();
    expect(response.state).toBe('PENDING');
    expect((await status(id)).body.state).toBe('COMPLETED');
    await emu.webhooks.idle();
    expect(
      receiver.received.some(
        (w) => w.json.event === 'checkout.order.completed' && w.json.payload.merchantOrderId === id,
      ),
    ).toBe(true);
  });

  it('outcome failure fails new orders with a failed attempt', async () => {
    emu.setOutcome('failure');
    const { id } = await pay();
    expect((await status(id)).body).toMatchObject({
      state: 'FAILED',
      errorCode: 'INSUFFICIENT_BALANCE',
      paymentDetails: [{ state: 'FAILED' }],
    });
  });

  it('outcome pending leaves orders PENDING until they expire', async () => {
    emu.setOutcome('pending');
    const { id } = await pay({ expireAfter: 300 });
    expect((await status(id)).body.state).toBe('PENDING');
    await emu.advanceTime(300_000);
    expect((await status(id)).body.state).toBe('FAILED');
  });
});

describe('unknown routes and methods', () => {
  it('answers 404 JSON for an unknown path and 405 JSON with Allow for a wrong method', async () => {
    const missing = await fetch(`${emu.baseUrls.pg}/checkout/v3/pay`, { method: 'POST' }).then(read);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/json');
    expect(missing.body).toEqual({ code: 'NOT_FOUND', message: 'No route for POST /apis/pg-sandbox/checkout/v3/pay' });
    const wrong = await fetch(`${emu.baseUrls.pg}/checkout/v2/pay`).then(read);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    expect(wrong.body.code).toBe('METHOD_NOT_ALLOWED');
    const wrongStatus = await fetch(`${emu.baseUrls.pg}/checkout/v2/order/x/status`, { method: 'DELETE' }).then(read);
    expect(wrongStatus.status).toBe(405);
  });

  it('answers a malformed control body with a 400 JSON body', async () => {
    const response = await fetch(`${emu.url}/__emulator/time/advance`, { method: 'POST', body: '{oops' }).then(read);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('BAD_REQUEST');
  });
});
