import { describe, expect, it } from 'vitest';
import { parseRetryAfter, retryDelayMs } from '../../src/client/api-requester.js';
import { delay, http, HttpResponse } from 'msw';
import {
  isPhonePeNetworkError,
  isPhonePeServerError,
  isPhonePeTimeoutError,
  PhonePeRateLimitError,
  type PhonePeTimeoutError,
} from '../../src/client/index.js';
import {
  capture,
  createHarness,
  orderStatusBody,
  SANDBOX,
  T0,
  tokenEndpoint,
  useMswServer,
} from './support/fake-phonepe.js';

const retry = { limit: 5, baseDelayMs: 250, maxDelayMs: 5000 };

describe('retryDelayMs', () => {
  it('grows exponentially with full jitter and is capped', () => {
    const top = (n: number) => retryDelayMs(n, retry, undefined, () => 0.999999);
    expect([1, 2, 3, 4, 5, 6].map(top)).toEqual([249, 499, 999, 1999, 3999, 4999]);
    expect(retryDelayMs(3, retry, undefined, () => 0)).toBe(0);
  });

  it('uses Retry-After when given, capped at maxDelayMs', () => {
    expect(retryDelayMs(1, retry, 1200, () => 0)).toBe(1200);
    expect(retryDelayMs(1, retry, 60_000, () => 0)).toBe(5000);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
  });
  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

const server = useMswServer();
const STATUS_URL = `${SANDBOX}/checkout/v2/order/ord_1/status`;

/** A status endpoint that answers with `failures` in turn, then 200. */
function flaky(failures: Array<() => Response>) {
  return capture('get', STATUS_URL, (_request, index) => failures[index]?.() ?? HttpResponse.json(orderStatusBody()));
}

describe('GET retries', () => {
  it('retries 5xx, 429 and network errors with capped exponential backoff, then succeeds', async () => {
    const { client, clock, sleeps } = createHarness({ retry: { limit: 3, baseDelayMs: 100, maxDelayMs: 1000 } });
    const status = flaky([
      () => HttpResponse.json({ code: 'INTERNAL_SERVER_ERROR' }, { status: 500 }),
      () => HttpResponse.error(),
      () => HttpResponse.json({}, { status: 429 }),
    ]);
    server.use(tokenEndpoint(clock).handler, status.handler);

    const order = await client.getOrderStatus('ord_1');

    expect(order.orderId).toBe('OMO2601011200001');
    expect(status.calls).toHaveLength(4);
    expect(sleeps).toHaveLength(3);
    // Full jitter: retry n waits within [0, base * 2^(n-1)].
    sleeps.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThanOrEqual(100 * 2 ** i);
    });
  });

  it('gives up after `limit` retries with the last error', async () => {
    const { client, clock, sleeps } = createHarness({ retry: { limit: 2 } });
    const status = flaky(
      Array.from({ length: 5 }, () => () => HttpResponse.json({ code: 'UPSTREAM' }, { status: 503 })),
    );
    server.use(tokenEndpoint(clock).handler, status.handler);

    const error = await client.getOrderStatus('ord_1').catch((e: unknown) => e);

    expect(isPhonePeServerError(error)).toBe(true);
    expect(status.calls).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
  });

  it('honours Retry-After in seconds and as an HTTP date, capped at maxDelayMs', async () => {
    const { client, clock, sleeps } = createHarness({ retry: { limit: 3, maxDelayMs: 5000 } });
    const status = flaky([
      () => HttpResponse.json({}, { status: 429, headers: { 'Retry-After': '2' } }),
      () => HttpResponse.json({}, { status: 503, headers: { 'Retry-After': new Date(T0 + 3000).toUTCString() } }),
      () => HttpResponse.json({}, { status: 429, headers: { 'Retry-After': '120' } }),
    ]);
    server.use(tokenEndpoint(clock).handler, status.handler);

    await client.getOrderStatus('ord_1');

    expect(sleeps).toEqual([2000, 3000, 5000]);
  });

  it('does not retry definitive 4xx', async () => {
    const { client, clock, sleeps } = createHarness();
    const status = flaky([() => HttpResponse.json({ code: 'BAD_REQUEST' }, { status: 400 })]);
    server.use(tokenEndpoint(clock).handler, status.handler);

    await expect(client.getOrderStatus('ord_1')).rejects.toThrow(/400 BAD_REQUEST/);
    expect(status.calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('retries the token call like a GET', async () => {
    const { client, clock } = createHarness();
    const token = tokenEndpoint(clock);
    let tokenAttempts = 0;
    server.use(
      // The first token attempt gets a 502; later ones fall through to the working endpoint.
      http.post(`${SANDBOX}/v1/oauth/token`, () =>
        ++tokenAttempts === 1 ? HttpResponse.json({}, { status: 502 }) : undefined,
      ),
      token.handler,
      flaky([]).handler,
    );

    await client.getOrderStatus('ord_1');

    expect(tokenAttempts).toBe(2);
    expect(token.calls).toHaveLength(1);
  });

  it('never re-sends a creating POST on 429 (the caller decides)', async () => {
    const { client, clock, sleeps } = createHarness();
    const pay = capture('post', `${SANDBOX}/checkout/v2/pay`, () =>
      HttpResponse.json({}, { status: 429, headers: { 'Retry-After': '1' } }),
    );
    server.use(tokenEndpoint(clock).handler, pay.handler);

    const error = await client
      .pay({
        merchantOrderId: 'ord_1',
        amount: 100,
        paymentFlow: { merchantUrls: { redirectUrl: 'https://a.example/r' } },
      })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(PhonePeRateLimitError);
    expect(pay.calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });
});

describe('timeouts and network errors', () => {
  it('a slow attempt raises PhonePeTimeoutError naming method, path and limit', async () => {
    const { client, clock } = createHarness({ timeoutMs: 50, retry: { limit: 0 } });
    server.use(
      tokenEndpoint(clock).handler,
      http.get(STATUS_URL, async () => {
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );

    const error = await client.getOrderStatus('ord_1').catch((e: unknown) => e);

    expect(isPhonePeTimeoutError(error)).toBe(true);
    expect((error as PhonePeTimeoutError).timeoutMs).toBe(50);
    expect((error as Error).message).toMatch(
      /^PhonePe request timed out after 50 ms: GET \/checkout\/v2\/order\/ord_1\/status/,
    );
    expect((error as PhonePeTimeoutError).retryable).toBe(true);
  });

  it('a timed-out GET is retried', async () => {
    const { client, clock, sleeps } = createHarness({ timeoutMs: 50, retry: { limit: 1 } });
    let first = true;
    server.use(
      tokenEndpoint(clock).handler,
      http.get(STATUS_URL, async () => {
        if (first) {
          first = false;
          await delay('infinite');
        }
        return HttpResponse.json(orderStatusBody());
      }),
    );

    await expect(client.getOrderStatus('ord_1')).resolves.toMatchObject({ state: 'PENDING' });
    expect(sleeps).toHaveLength(1);
  });

  it('a body that stalls after the headers times out too (the limit covers the whole attempt)', async () => {
    const { client, clock } = createHarness({ timeoutMs: 50, retry: { limit: 0 } });
    server.use(
      tokenEndpoint(clock).handler,
      http.get(STATUS_URL, () => {
        // Headers and the first bytes go out; the rest never comes.
        const body = new ReadableStream<Uint8Array>({
          start: (controller) => controller.enqueue(new TextEncoder().encode('{"state":')),
        });
        return new HttpResponse(body, { status: 200, headers: { 'Content-Type': 'application/json' } });
      }),
    );

    const error = await client.getOrderStatus('ord_1').catch((e: unknown) => e);

    expect(isPhonePeTimeoutError(error)).toBe(true);
    expect((error as PhonePeTimeoutError).timeoutMs).toBe(50);
  });

  it('a creating POST that times out is not re-sent: the status endpoint is asked instead', async () => {
    const { client, clock, sleeps } = createHarness({ timeoutMs: 50 });
    const pay = capture('post', `${SANDBOX}/checkout/v2/pay`, async () => {
      await delay('infinite');
      return HttpResponse.json({});
    });
    const status = capture('get', STATUS_URL, () =>
      HttpResponse.json({ code: 'INVALID_MERCHANT_ORDER_ID' }, { status: 404 }),
    );
    server.use(tokenEndpoint(clock).handler, pay.handler, status.handler);

    const error = await client
      .pay({
        merchantOrderId: 'ord_1',
        amount: 100,
        paymentFlow: { merchantUrls: { redirectUrl: 'https://a.example/r' } },
      })
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'OUTCOME_UNKNOWN', created: false });
    expect(pay.calls).toHaveLength(1);
    expect(status.calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('a refused connection raises PhonePeNetworkError naming method and path', async () => {
    const { client, clock } = createHarness({ retry: { limit: 0 } });
    server.use(
      tokenEndpoint(clock).handler,
      http.get(STATUS_URL, () => HttpResponse.error()),
    );

    const error = await client.getOrderStatus('ord_1').catch((e: unknown) => e);

    expect(isPhonePeNetworkError(error)).toBe(true);
    expect((error as Error).message).toMatch(/network error: GET \/checkout\/v2\/order\/ord_1\/status/);
    expect((error as Error).cause).toBeInstanceOf(Error);
  });
});
