import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/common/clock.js';
import { defaultEmulatorMerchant, startPhonePeEmulator, type PhonePeEmulator } from '../../src/testing/index.js';
import { payBody, phonePeCaller, read } from './support/phonepe-caller.js';

const START = Date.parse('2026-01-01T00:00:00Z');
let emu: PhonePeEmulator;
const clock = createManualClock(START);

beforeAll(async () => {
  emu = await startPhonePeEmulator({ clock, tokenTtlSeconds: 600 });
});
afterAll(() => emu.close());

function tokenRequest(fields: Record<string, string>, contentType = 'application/x-www-form-urlencoded') {
  return fetch(`${emu.baseUrls.oauth}/v1/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: new URLSearchParams(fields),
  }).then(read);
}

const goodFields = {
  client_id: defaultEmulatorMerchant.clientId,
  client_secret: defaultEmulatorMerchant.clientSecret,
  client_version: defaultEmulatorMerchant.clientVersion,
  grant_type: 'client_credentials',
};

describe('POST /v1/oauth/token', () => {
  it('issues an O-Bearer token with epoch-second times on the virtual clock (docs/phonepe-protocol.md#oauth)', async () => {
    const { status, body } = await tokenRequest(goodFields);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      token_type: 'O-Bearer',
      issued_at: START / 1000,
      expires_at: START / 1000 + 600,
      session_expires_at: START / 1000 + 600,
    });
    expect(body.access_token).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(typeof body.encrypted_access_token).toBe('string');
    expect(JSON.parse(Buffer.from(body.access_token.split('.')[1], 'base64url').toString())).toEqual({
      expiresOn: START + 600_000,
      merchantId: defaultEmulatorMerchant.merchantId,
    });
  });

  it.each([
    ['a wrong secret', { ...goodFields, client_secret: 'nope' }],
    ['a wrong client id', { ...goodFields, client_id: 'nope' }],
    ['a wrong client version', { ...goodFields, client_version: '2' }],
  ])('answers 401 PR004 with the gateway shape for %s', async (_, fields) => {
    const { status, body, headers } = await tokenRequest(fields);
    expect(status).toBe(401);
    expect(body).toEqual({ errorCode: 'PR004', message: 'Unauthorized' });
    expect(headers.get('x-api-exception-code')).toBe('PR004');
  });

  it.each(['client_id', 'client_secret', 'client_version', 'grant_type'])(
    'answers 400 PR000 when %s is missing',
    async (field) => {
      const fields: Record<string, string> = { ...goodFields };
      delete fields[field];
      const { status, body, headers } = await tokenRequest(fields);
      expect(status).toBe(400);
      expect(body).toEqual({ errorCode: 'PR000', message: 'Bad Request' });
      expect(headers.get('x-api-exception-code')).toBe('PR000');
    },
  );

  it('refuses another grant_type and a JSON body', async () => {
    expect((await tokenRequest({ ...goodFields, grant_type: 'password' })).status).toBe(400);
    const json = await fetch(`${emu.baseUrls.oauth}/v1/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(goodFields),
    });
    expect(json.status).toBe(400);
  });
});

describe('tokens on PG calls', () => {
  it('accepts a fresh token and refuses it once it expires on the virtual clock', async () => {
    const caller = phonePeCaller(emu, defaultEmulatorMerchant, { refreshOn401: false });
    expect((await caller.post('/checkout/v2/pay', payBody())).status).toBe(200);
    await emu.advanceTime(599_000);
    expect((await caller.post('/checkout/v2/pay', payBody())).status).toBe(200);
    await emu.advanceTime(1_000);
    const expired = await caller.post('/checkout/v2/pay', payBody());
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ errorCode: 'PR004', message: 'Unauthorized' });
    caller.forgetToken();
    expect((await caller.post('/checkout/v2/pay', payBody())).status).toBe(200);
  });

  it.each([
    ['no Authorization', {}],
    ['an unknown token', { authorization: 'O-Bearer not-a-token' }],
    ['the wrong scheme', { authorization: 'Bearer x' }],
  ])('answers 401 PR004 to %s', async (_, headers: Record<string, string>) => {
    const response = await fetch(`${emu.baseUrls.pg}/checkout/v2/order/x/status`, { headers }).then(read);
    expect(response.status).toBe(401);
    expect(response.headers.get('x-api-exception-code')).toBe('PR004');
    expect(response.body).toEqual({ errorCode: 'PR004', message: 'Unauthorized' });
  });

  it('keeps merchants apart: a token only sees its own orders', async () => {
    const other = await startPhonePeEmulator({
      clock,
      merchants: [defaultEmulatorMerchant, { clientId: 'C2', clientSecret: 's2', clientVersion: 1, merchantId: 'M2' }],
    });
    try {
      const first = phonePeCaller(other);
      const second = phonePeCaller(other, { clientId: 'C2', clientSecret: 's2', clientVersion: '1' });
      const body = payBody();
      expect((await first.post('/checkout/v2/pay', body)).status).toBe(200);
      expect((await second.get(`/checkout/v2/order/${body.merchantOrderId}/status`)).body.code).toBe(
        'INVALID_MERCHANT_ORDER_ID',
      );
      // The same merchantOrderId is free for another merchant.
      expect((await second.post('/checkout/v2/pay', body)).status).toBe(200);
      expect(other.getOrder(body.merchantOrderId, { merchantId: 'M2' }).merchantId).toBe('M2');
      expect((await second.get(`/checkout/v2/order/${body.merchantOrderId}/status`)).body.orderId).toBe(
        other.getOrder(body.merchantOrderId, { merchantId: 'M2' }).orderId,
      );
    } finally {
      await other.close();
    }
  });
});
