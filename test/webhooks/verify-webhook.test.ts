import { describe, expect, it } from 'vitest';
import {
  WEBHOOK_CATALOGUE,
  createTestAuthorization,
  createWebhookVerifier,
  verifyWebhook,
  webhookDedupeKey,
  type KnownWebhookEventName,
  type WebhookVerificationError,
} from '../../src/webhooks/index.js';

const credentials = { username: 'username', password: 'password' };
// From PhonePe's Python SDK test fixture (docs/phonepe-protocol.md#webhook-auth): sha256("username:password").
const FIXTURE = 'bc842c31a9e54efe320d30d948be61291f3ceee4766e36ab25fa65243cd76e0e';

const orderPayload = {
  merchantId: 'M1',
  merchantOrderId: 'ord_1',
  orderId: 'OMO123',
  state: 'COMPLETED',
  amount: 299900,
  expireAt: 1_767_000_000_000,
  paymentDetails: [
    {
      transactionId: 'OM1',
      paymentMode: 'UPI_QR',
      timestamp: 1_767_000_000_000,
      amount: 299900,
      state: 'COMPLETED',
      rail: { type: 'UPI', utr: '123', vpa: '12****78@ybl' },
      somethingNew: 1,
    },
  ],
  brandNewField: { nested: true },
};
const refundPayload = {
  merchantId: 'M1',
  merchantRefundId: 'rf_1',
  originalMerchantOrderId: 'ord_1',
  amount: 1000,
  state: 'COMPLETED',
  timestamp: 1_767_000_000_000,
};
const subscriptionPayload = {
  merchantSubscriptionId: 'sub_1',
  subscriptionId: 'OMS1',
  state: 'PAUSED',
  maxAmount: 49900,
  frequency: 'MONTHLY',
  pauseStartDate: 1_767_000_000_000,
  pauseEndDate: null,
};

const payloadFor = (event: KnownWebhookEventName) => {
  const kind = WEBHOOK_CATALOGUE[event].kind;
  return kind === 'order' ? orderPayload : kind === 'refund' ? refundPayload : subscriptionPayload;
};

async function rejection(promise: Promise<unknown>): Promise<WebhookVerificationError> {
  try {
    await promise;
  } catch (error) {
    return error as WebhookVerificationError;
  }
  throw new Error('expected a rejection');
}

describe('createTestAuthorization', () => {
  it("matches PhonePe's own SDK fixture", async () => {
    expect(await createTestAuthorization('username', 'password')).toBe(FIXTURE);
  });
});

describe('verifyWebhook', () => {
  it.each(Object.keys(WEBHOOK_CATALOGUE) as KnownWebhookEventName[])('returns a typed %s event', async (event) => {
    const body = JSON.stringify({ event, type: WEBHOOK_CATALOGUE[event].type, payload: payloadFor(event) });
    const parsed = await verifyWebhook({ authorization: FIXTURE, body }, credentials);
    expect(parsed.event).toBe(event);
    expect(parsed.kind).toBe(WEBHOOK_CATALOGUE[event].kind);
    expect(parsed.type).toBe(WEBHOOK_CATALOGUE[event].type);
    expect(parsed.payload).toMatchObject(payloadFor(event));
  });

  it('maps a body that carries only the legacy type to the same event', async () => {
    const body = JSON.stringify({ type: 'CHECKOUT_ORDER_FAILED', payload: { ...orderPayload, state: 'FAILED' } });
    const parsed = await verifyWebhook({ authorization: FIXTURE, body }, credentials);
    expect(parsed).toMatchObject({ event: 'checkout.order.failed', kind: 'order', type: 'CHECKOUT_ORDER_FAILED' });
  });

  it('keeps unknown fields and returns unknown events instead of dropping them', async () => {
    const known = await verifyWebhook(
      { authorization: FIXTURE, body: JSON.stringify({ event: 'checkout.order.completed', payload: orderPayload }) },
      credentials,
    );
    expect(known.kind === 'order' && (known.payload as Record<string, unknown>).brandNewField).toEqual({
      nested: true,
    });
    expect(
      known.kind === 'order' &&
        (known.payload.paymentDetails?.[0] as Record<string, unknown> | undefined)?.somethingNew,
    ).toBe(1);
    const unknown = await verifyWebhook(
      {
        authorization: FIXTURE,
        body: JSON.stringify({ event: 'order.split.settlement.accepted', payload: { any: 'thing' } }),
      },
      credentials,
    );
    expect(unknown).toEqual({
      event: 'order.split.settlement.accepted',
      type: null,
      kind: 'unknown',
      payload: { any: 'thing' },
    });
    const unknownType = await verifyWebhook(
      { authorization: FIXTURE, body: JSON.stringify({ type: 'SOMETHING_NEW', payload: {} }) },
      credentials,
    );
    expect(unknownType).toMatchObject({ event: 'SOMETHING_NEW', kind: 'unknown' });
  });

  it('accepts pretty-printed JSON, bytes and ArrayBuffers', async () => {
    const pretty = JSON.stringify({ event: 'pg.refund.completed', payload: refundPayload }, null, 2);
    const bytes = new TextEncoder().encode(pretty);
    for (const body of [pretty, bytes, bytes.buffer.slice(0) as ArrayBuffer]) {
      const parsed = await verifyWebhook({ authorization: FIXTURE, body }, credentials);
      expect(parsed).toMatchObject({
        event: 'pg.refund.completed',
        kind: 'refund',
        payload: { merchantRefundId: 'rf_1' },
      });
    }
  });

  it('accepts the hex in upper case and surrounding whitespace', async () => {
    const body = JSON.stringify({ event: 'subscription.paused', payload: subscriptionPayload });
    await expect(
      verifyWebhook({ authorization: ` ${FIXTURE.toUpperCase()} `, body }, credentials),
    ).resolves.toMatchObject({ kind: 'subscription' });
  });

  it('refuses a parsed object, saying how to pass the raw body', async () => {
    const error = await rejection(
      verifyWebhook({ authorization: FIXTURE, body: { event: 'x', payload: {} } as never }, credentials),
    );
    expect(error.reason).toBe('body_not_raw');
    expect(error.message).toMatch(/raw request body/);
    expect(error.message).toMatch(/express\.raw/);
  });

  it.each([
    [undefined, 'missing_authorization'],
    [null, 'missing_authorization'],
    ['', 'missing_authorization'],
    [[], 'missing_authorization'],
    [[FIXTURE, FIXTURE], 'authorization_mismatch'],
    [FIXTURE.slice(0, 63), 'authorization_mismatch'],
    [`${FIXTURE}0`, 'authorization_mismatch'],
    [`SHA256 ${FIXTURE}`, 'authorization_mismatch'],
    [`Basic ${btoa('username:password')}`, 'authorization_mismatch'],
    ['0'.repeat(64), 'authorization_mismatch'],
  ])('rejects Authorization %j (%s) without echoing any credential', async (authorization, reason) => {
    const body = JSON.stringify({ event: 'checkout.order.completed', payload: orderPayload });
    const error = await rejection(verifyWebhook({ authorization: authorization as never, body }, credentials));
    expect(error.reason).toBe(reason);
    expect(error.message).not.toContain(FIXTURE);
    const secret = { username: 'hook_user_x', password: 'Sup3rSecretPw' };
    const expected = await createTestAuthorization(secret.username, secret.password);
    const other = await rejection(verifyWebhook({ authorization: authorization as never, body }, secret));
    expect(other.reason).toBe(reason);
    for (const leaked of [secret.username, secret.password, expected, FIXTURE])
      expect(other.message).not.toContain(leaked);
  });

  it('rejects a forged header made from other credentials', async () => {
    const forged = await createTestAuthorization('username', 'passw0rd');
    const error = await rejection(verifyWebhook({ authorization: forged, body: '{}' }, credentials));
    expect(error.reason).toBe('authorization_mismatch');
  });

  it.each([
    ['not json', /not JSON/],
    ['[]', /not a JSON object/],
    ['{"payload":{}}', /neither an "event" nor a "type"/],
    ['{"event":"checkout.order.completed"}', /no "payload" object/],
    // PhonePe's Java SDK fixture: nothing to route it by (no merchantOrderId / merchantRefundId).
    [
      '{"event":"pg.refund.failed","payload":{"orderId":"OMOxx","paymentDetails":[{"paymentMode":"UPI_COLLECT"}]}}',
      /no payload\.merchantRefundId to route it by/,
    ],
    ['{"event":"checkout.order.completed","payload":{"merchantOrderId":"M","state":5}}', /payload\.state/],
  ])('rejects malformed payload %s', async (body, message) => {
    const error = await rejection(verifyWebhook({ authorization: FIXTURE, body }, credentials));
    expect(error.reason).toBe('malformed_payload');
    expect(error.message).toMatch(message);
  });

  // A webhook is a hint confirmed with the status API: a payload field that is missing or not the
  // documented shape is dropped, not refused (a 400 could lose the event). PhonePe's own SDK fixtures send
  // such sparse payloads (docs/phonepe-protocol.md#webhook-envelope).
  it.each([
    [
      '{"event":"checkout.order.completed","payload":{"merchantOrderId":"M","state":"COMPLETED","amount":1.5,"orderId":"O"}}',
      { state: 'COMPLETED', orderId: 'O' },
      ['amount'],
    ],
    [
      '{"event":"checkout.order.completed","payload":{"merchantOrderId":"M","state":"COMPLETED","amount":100}}',
      { state: 'COMPLETED', amount: 100 },
      ['orderId'],
    ],
    [
      '{"event":"pg.refund.completed","payload":{"amount":"100","merchantRefundId":"R1"}}',
      { merchantRefundId: 'R1' },
      ['amount', 'state'],
    ],
    [
      '{"event":"checkout.order.failed","payload":{"merchantOrderId":"M","paymentDetails":[{"paymentMode":"UPI_COLLECT"}]}}',
      { merchantOrderId: 'M', paymentDetails: [{ paymentMode: 'UPI_COLLECT' }] },
      ['state'],
    ],
  ])('keeps what it can of a sparse or odd payload %s', async (body, kept, dropped) => {
    const event = await verifyWebhook({ authorization: FIXTURE, body }, credentials);
    expect(event.payload).toMatchObject(kept);
    for (const key of dropped) expect((event.payload as Record<string, unknown>)[key]).toBeUndefined();
  });

  it("says what was probably misconfigured from the header's shape, never the header itself", async () => {
    const other = await rejection(verifyWebhook({ authorization: 'b'.repeat(64), body: '{}' }, credentials));
    expect([other.reason, other.hint]).toEqual(['authorization_mismatch', 'credentials_differ']);
    for (const header of ['Basic dXNlcjpwYXNz', 'sha256=abc', 'HMAC 1234']) {
      const wrongType = await rejection(verifyWebhook({ authorization: header, body: '{}' }, credentials));
      expect([wrongType.reason, wrongType.hint]).toEqual(['authorization_mismatch', 'not_sha256']);
      expect(wrongType.message).toMatch(/Basic \(SHA\)/);
      expect(wrongType.message).not.toContain(header);
    }
  });

  it('reads a legacy UPPER_SNAKE name sent in "event" (as PhonePe\'s .NET SDK fixture does)', async () => {
    const body =
      '{"event":"CHECKOUT_TRANSACTION_ATTEMPT_FAILED","payload":{"state":"PENDING","merchantOrderId":"M","orderId":"OMOxx","paymentDetails":[{"paymentMode":"UPI_COLLECT"}]}}';
    const event = await verifyWebhook({ authorization: FIXTURE, body }, credentials);
    expect(event).toMatchObject({ event: 'checkout.transaction.attempt.failed', kind: 'order' });
  });

  it('rejects bytes that are not UTF-8', async () => {
    const error = await rejection(
      verifyWebhook({ authorization: FIXTURE, body: new Uint8Array([0xff, 0xfe, 0x7b]) }, credentials),
    );
    expect(error.reason).toBe('malformed_payload');
  });

  it('rejects a body nested more than 64 levels (20,000 included) before parsing it, and accepts 64', async () => {
    const nested = (depth: number) =>
      `{"event":"subscription.paused","payload":{"x":${'['.repeat(depth - 2)}${']'.repeat(depth - 2)},"state":"PAUSED","merchantSubscriptionId":"S1"}}`;
    for (const depth of [65, 20_000]) {
      const error = await rejection(verifyWebhook({ authorization: FIXTURE, body: nested(depth) }, credentials));
      expect([error.reason, error.field, error.message]).toEqual([
        'too_deeply_nested',
        null,
        expect.stringMatching(/more than 64 levels/),
      ]);
    }
    // Brackets inside strings are text, not nesting.
    await expect(verifyWebhook({ authorization: FIXTURE, body: nested(64) }, credentials)).resolves.toMatchObject({
      event: 'subscription.paused',
    });
    const quoted = JSON.stringify({
      event: 'subscription.paused',
      payload: { ...subscriptionPayload, note: `${'['.repeat(100)}\\"` },
    });
    await expect(verifyWebhook({ authorization: FIXTURE, body: quoted }, credentials)).resolves.toMatchObject({
      event: 'subscription.paused',
    });
  });

  it.each([
    ['a NUL character', { ...orderPayload, errorCode: 'E\u0000' }, 'payload.errorCode', /NUL character/],
    [
      'a lone surrogate',
      { ...orderPayload, paymentDetails: [{ transactionId: '\udc00' }] },
      'payload.paymentDetails.0.transactionId',
      /lone UTF-16 surrogate/,
    ],
    ['a NUL character in a key', { ...orderPayload, ['k\u0000']: 1 }, 'payload."k\\u0000"', /NUL character/],
  ])('rejects %s in any string of the body, naming the field', async (_, payload, field, message) => {
    const error = await rejection(
      verifyWebhook(
        { authorization: FIXTURE, body: JSON.stringify({ event: 'checkout.order.completed', payload }) },
        credentials,
      ),
    );
    expect([error.reason, error.field]).toEqual(['invalid_characters', field]);
    expect(error.message).toMatch(message);
    const unknownEvent = await rejection(
      verifyWebhook(
        { authorization: FIXTURE, body: JSON.stringify({ event: 'some.future.event', payload }) },
        credentials,
      ),
    );
    expect(unknownEvent.reason).toBe('invalid_characters');
  });

  it('checks the Authorization before parsing the body', async () => {
    const error = await rejection(verifyWebhook({ authorization: 'nope', body: 'not json' }, credentials));
    expect(error.reason).toBe('authorization_mismatch');
  });

  it('keeps verifiers for different credentials apart', async () => {
    const other = { username: 'other_user', password: 'other_pass1' };
    const otherHeader = await createTestAuthorization(other.username, other.password);
    const body = JSON.stringify({
      event: 'subscription.revoked',
      payload: { ...subscriptionPayload, state: 'REVOKED' },
    });
    await expect(verifyWebhook({ authorization: otherHeader, body }, other)).resolves.toMatchObject({
      event: 'subscription.revoked',
    });
    await expect(verifyWebhook({ authorization: otherHeader, body }, credentials)).rejects.toMatchObject({
      reason: 'authorization_mismatch',
    });
    await expect(verifyWebhook({ authorization: FIXTURE, body }, other)).rejects.toMatchObject({
      reason: 'authorization_mismatch',
    });
  });

  it('createWebhookVerifier refuses missing credentials', () => {
    expect(() => createWebhookVerifier({ username: '', password: 'x' })).toThrow(/username, password/);
  });
});

describe('webhookDedupeKey', () => {
  it('is event + subject + state, plus the transaction for attempt events', async () => {
    const verify = (body: unknown) =>
      verifyWebhook({ authorization: FIXTURE, body: JSON.stringify(body) }, credentials);
    expect(webhookDedupeKey(await verify({ event: 'checkout.order.completed', payload: orderPayload }))).toBe(
      'checkout.order.completed:ord_1:COMPLETED',
    );
    expect(
      webhookDedupeKey(
        await verify({ event: 'pg.refund.accepted', payload: { ...refundPayload, state: 'CONFIRMED' } }),
      ),
    ).toBe('pg.refund.accepted:rf_1:CONFIRMED');
    expect(webhookDedupeKey(await verify({ event: 'subscription.paused', payload: subscriptionPayload }))).toBe(
      'subscription.paused:sub_1:PAUSED',
    );
    expect(
      webhookDedupeKey(
        await verify({ event: 'checkout.transaction.attempt.failed', payload: { ...orderPayload, state: 'PENDING' } }),
      ),
    ).toBe('checkout.transaction.attempt.failed:ord_1:PENDING:OM1');
  });
});

describe('webhookDedupeKey bounds', () => {
  it('keeps each part of the key bounded whatever the payload carries', async () => {
    const long = 'x'.repeat(5000);
    const event = await verifyWebhook(
      {
        authorization: FIXTURE,
        body: JSON.stringify({ event: `custom.${long}`, payload: { merchantOrderId: long, state: long } }),
      },
      credentials,
    );
    expect(webhookDedupeKey(event).length).toBeLessThanOrEqual(100 + 1 + 100 + 1 + 40);
  });
});
