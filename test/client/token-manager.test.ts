import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { isPhonePeAuthenticationError, isPhonePeServerError, PhonePeClient } from '../../src/client/index.js';
import { createManualClock } from '../../src/common/clock.js';
import {
  capture,
  createHarness,
  orderStatusBody,
  SANDBOX,
  T0,
  tokenBody,
  tokenEndpoint,
  useMswServer,
} from './support/fake-phonepe.js';

const server = useMswServer();
const STATUS_URL = `${SANDBOX}/checkout/v2/order/:id/status`;

/** An order-status endpoint that accepts only the tokens in `valid`. */
function statusAccepting(valid: () => readonly string[]) {
  return capture('get', STATUS_URL, (request) => {
    const auth = request.headers.get('authorization') ?? '';
    if (!valid().some((token) => auth === `O-Bearer ${token}`)) {
      return HttpResponse.json({ code: 'AUTHORIZATION_FAILED', message: 'Unauthorized' }, { status: 401 });
    }
    return HttpResponse.json(orderStatusBody());
  });
}

describe('OAuth token lifecycle', () => {
  it('caches the token until its half-life, then fetches a new one', async () => {
    const { client, clock } = createHarness();
    const token = tokenEndpoint(clock, { lifetimeS: 3600 });
    const status = statusAccepting(() => token.issued);
    server.use(token.handler, status.handler);

    await client.getOrderStatus('ord_1');
    clock.advance(1_799_000); // 29m59s: before half-life
    await client.getOrderStatus('ord_1');
    expect(token.calls).toHaveLength(1);

    clock.advance(1_000); // exactly half-life
    await client.getOrderStatus('ord_1');
    expect(token.calls).toHaveLength(2);
    expect(status.calls.map((c) => c.headers.get('authorization'))).toEqual([
      'O-Bearer access-token-1',
      'O-Bearer access-token-1',
      'O-Bearer access-token-2',
    ]);
  });

  it('makes a single token fetch for 50 concurrent calls', async () => {
    const { client, clock } = createHarness();
    const token = tokenEndpoint(clock);
    const status = statusAccepting(() => token.issued);
    server.use(token.handler, status.handler);

    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => client.getOrderStatus(`ord_${i}`)));

    expect(results).toHaveLength(50);
    expect(token.calls).toHaveLength(1);
    expect(new Set(status.calls.map((c) => c.headers.get('authorization')))).toEqual(
      new Set(['O-Bearer access-token-1']),
    );
  });

  it('on a 401 refreshes once and re-sends the call with the new token (a creating POST too)', async () => {
    const { client, clock } = createHarness();
    const token = tokenEndpoint(clock);
    // PhonePe revoked token 1 early: only the newest token is accepted.
    const status = statusAccepting(() => token.issued.slice(-1).filter((t) => t !== 'access-token-1'));
    const pay = capture('post', `${SANDBOX}/checkout/v2/pay`, (request) =>
      request.headers.get('authorization') === 'O-Bearer access-token-1'
        ? HttpResponse.json({ errorCode: 'PR004', message: 'Unauthorized' }, { status: 401 })
        : HttpResponse.json({ orderId: 'O', state: 'PENDING', redirectUrl: 'https://x.example/p' }),
    );
    server.use(token.handler, status.handler, pay.handler);

    await client.getOrderStatus('ord_1');

    expect(token.calls).toHaveLength(2);
    expect(status.calls.map((c) => c.headers.get('authorization'))).toEqual([
      'O-Bearer access-token-1',
      'O-Bearer access-token-2',
    ]);
    await client.pay({
      merchantOrderId: 'ord_p',
      amount: 100,
      paymentFlow: { merchantUrls: { redirectUrl: 'https://a.example/r' } },
    });
    expect(pay.calls.map((c) => c.headers.get('authorization'))).toEqual(['O-Bearer access-token-2']);
  });

  it('retries a 401 only once: a second 401 becomes PhonePeAuthenticationError', async () => {
    const { client, clock } = createHarness();
    const token = tokenEndpoint(clock);
    const status = statusAccepting(() => []);
    server.use(token.handler, status.handler);

    const error = await client.getOrderStatus('ord_1').catch((e: unknown) => e);

    expect(isPhonePeAuthenticationError(error)).toBe(true);
    expect(status.calls).toHaveLength(2);
    expect(token.calls).toHaveLength(2);
  });

  it('keeps using a still-valid token when a refresh fails, and warns', async () => {
    const { client, clock, logs } = createHarness({ retry: { limit: 0 } });
    const token = tokenEndpoint(clock);
    const status = statusAccepting(() => token.issued);
    server.use(token.handler, status.handler);
    await client.getOrderStatus('ord_1');

    const failing = capture('post', `${SANDBOX}/v1/oauth/token`, () =>
      HttpResponse.json({ code: 'INTERNAL_SERVER_ERROR' }, { status: 500 }),
    );
    server.use(failing.handler);
    clock.advance(2_000_000); // past half-life (1800 s), before expiry (3600 s)
    await client.getOrderStatus('ord_1');

    expect(status.calls.map((c) => c.headers.get('authorization'))).toEqual([
      'O-Bearer access-token-1',
      'O-Bearer access-token-1',
    ]);
    // The failed refresh is not repeated on every call: the next try waits 30 s.
    await client.getOrderStatus('ord_1');
    expect(status.calls).toHaveLength(3);
    expect(failing.calls).toHaveLength(1);
    server.use(token.handler);
    clock.advance(30_000);
    await client.getOrderStatus('ord_1');
    expect(status.calls.at(-1)?.headers.get('authorization')).toBe('O-Bearer access-token-2');
    const warning = logs.find((l) => l.level === 'warn');
    expect(warning?.msg).toMatch(/token refresh failed/);
    expect(warning?.obj).toMatchObject({ clientId: 'TESTMERCHANT_UAT', code: 'INTERNAL_SERVER_ERROR' });
  });

  it('throws the refresh failure once the old token has expired', async () => {
    const { client, clock } = createHarness({ retry: { limit: 0 } });
    const token = tokenEndpoint(clock);
    server.use(token.handler, statusAccepting(() => token.issued).handler);
    await client.getOrderStatus('ord_1');

    server.use(
      http.post(`${SANDBOX}/v1/oauth/token`, () =>
        HttpResponse.json({ code: 'INTERNAL_SERVER_ERROR' }, { status: 503 }),
      ),
    );
    clock.advance(3_600_000);
    const error = await client.getOrderStatus('ord_1').catch((e: unknown) => e);

    expect(isPhonePeServerError(error)).toBe(true);
    expect((error as Error).message).toContain('/v1/oauth/token');
  });

  it('bad credentials on the token call give PhonePeAuthenticationError', async () => {
    const { client } = createHarness();
    server.use(
      http.post(`${SANDBOX}/v1/oauth/token`, () =>
        HttpResponse.json({ errorCode: 'PR004', message: 'Unauthorized' }, { status: 401 }),
      ),
    );

    const error = await client.getOrderStatus('ord_1').catch((e: unknown) => e);

    expect(isPhonePeAuthenticationError(error)).toBe(true);
    expect((error as Error).message).toMatch(/Check clientId, clientSecret/);
  });

  it('two clients with different credentials never share a token', async () => {
    const clock = createManualClock(T0);
    const tokenFor: Record<string, string> = { MERCHANT_A: 'token-of-a', MERCHANT_B: 'token-of-b' };
    const secrets: Record<string, string> = { MERCHANT_A: 'secret-a', MERCHANT_B: 'secret-b' };
    const tokenCalls: string[] = [];
    server.use(
      http.post(`${SANDBOX}/v1/oauth/token`, async ({ request }) => {
        const form = new URLSearchParams(await request.text());
        const id = form.get('client_id') ?? '';
        tokenCalls.push(id);
        if (secrets[id] !== form.get('client_secret'))
          return HttpResponse.json({ code: 'AUTHORIZATION_FAILED' }, { status: 401 });
        return HttpResponse.json(tokenBody(tokenFor[id] ?? '', clock.now(), 3600));
      }),
      // Each merchant's orders only accept that merchant's token.
      http.get(STATUS_URL, ({ request, params }) => {
        const merchant = String(params.id).startsWith('a_') ? 'MERCHANT_A' : 'MERCHANT_B';
        if (request.headers.get('authorization') !== `O-Bearer ${tokenFor[merchant]}`)
          return HttpResponse.json({ code: 'AUTHORIZATION_FAILED' }, { status: 401 });
        return HttpResponse.json(orderStatusBody({ merchantOrderId: String(params.id) }));
      }),
    );
    const a = new PhonePeClient({
      clientId: 'MERCHANT_A',
      clientSecret: 'secret-a',
      clientVersion: 1,
      env: 'SANDBOX',
      clock,
    });
    const b = new PhonePeClient({
      clientId: 'MERCHANT_B',
      clientSecret: 'secret-b',
      clientVersion: 1,
      env: 'SANDBOX',
      clock,
    });

    const results = await Promise.all([
      a.getOrderStatus('a_1'),
      b.getOrderStatus('b_1'),
      a.getOrderStatus('a_2'),
      b.getOrderStatus('b_2'),
    ]);

    expect(results.map((r) => r.merchantOrderId)).toEqual(['a_1', 'b_1', 'a_2', 'b_2']);
    expect(tokenCalls.sort()).toEqual(['MERCHANT_A', 'MERCHANT_B']);
  });
});
