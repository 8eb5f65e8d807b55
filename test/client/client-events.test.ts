import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { PHONEPE_CLIENT_EVENT_TYPES } from '../../src/client/index.js';
import {
  capture,
  CLIENT_SECRET,
  createHarness,
  orderStatusBody,
  SANDBOX,
  T0,
  tokenEndpoint,
  useMswServer,
} from './support/fake-phonepe.js';

const server = useMswServer();

describe('logger and onEvent', () => {
  it('a full run never logs or emits a secret, a token or an Authorization value', async () => {
    const { client, clock, logs, events } = createHarness({ retry: { limit: 1 } });
    const token = tokenEndpoint(clock, { prefix: 'eyJhbGciOiJIUzI1NiJ9.token-value' });
    let firstStatus = true;
    server.use(
      token.handler,
      capture('post', `${SANDBOX}/checkout/v2/pay`, () =>
        HttpResponse.json({ orderId: 'O1', state: 'PENDING', redirectUrl: 'https://x.example/?token=abc' }),
      ).handler,
      http.get(`${SANDBOX}/checkout/v2/order/:id/status`, () => {
        if (firstStatus) {
          firstStatus = false;
          return HttpResponse.json({ code: 'AUTHORIZATION_FAILED' }, { status: 401 });
        }
        return HttpResponse.json(orderStatusBody());
      }),
      http.post(`${SANDBOX}/payments/v2/refund`, () => HttpResponse.json({ code: 'X' }, { status: 503 })),
      http.get(`${SANDBOX}/payments/v2/refund/:id/status`, () =>
        HttpResponse.json({ refundId: 'R', amount: 100, state: 'PENDING' }),
      ),
      http.get(`${SANDBOX}/checkout/v2/subscriptions/:id/status`, () => HttpResponse.error()),
    );

    await client.pay({
      merchantOrderId: 'ord_1',
      amount: 100,
      paymentFlow: { merchantUrls: { redirectUrl: 'https://a.example/r' } },
    });
    await client.getOrderStatus('ord_1');
    await client.refund({ merchantRefundId: 'rf_1', originalMerchantOrderId: 'ord_1', amount: 100 });
    const thrown = await client.subscriptions.getStatus('sub_1').catch((e: unknown) => e as Error);
    // Past half-life with a failing token endpoint: the keep-previous warning path.
    server.use(http.post(`${SANDBOX}/v1/oauth/token`, () => HttpResponse.json({}, { status: 500 })));
    clock.set(T0 + 2_000_000);
    await client.getOrderStatus('ord_1');

    const captured = JSON.stringify({
      logs,
      events,
      error: { ...thrown, message: thrown?.message, cause: String(thrown?.cause) },
    });
    expect(thrown).toBeInstanceOf(Error);
    expect(logs.length).toBeGreaterThan(10);
    expect(events.length).toBeGreaterThan(10);
    expect(captured).not.toContain(CLIENT_SECRET);
    expect(captured).not.toContain('token-value');
    expect(captured).not.toContain('O-Bearer');
    expect(captured.toLowerCase()).not.toContain('authorization');
    expect(captured).not.toContain('redirectUrl');
    expect(logs.some((l) => l.level === 'warn' && /token refresh failed/.test(l.msg ?? ''))).toBe(true);
  });

  it('emits request/response/error/token events with method, path, status, duration and attempt', async () => {
    const { client, clock, events } = createHarness({ retry: { limit: 1 } });
    let calls = 0;
    server.use(
      tokenEndpoint(clock).handler,
      http.get(`${SANDBOX}/checkout/v2/order/ord_1/status`, () =>
        ++calls === 1 ? HttpResponse.error() : HttpResponse.json(orderStatusBody()),
      ),
    );

    await client.getOrderStatus('ord_1');

    const statusEvents = events
      .filter((e) => e.operation === 'getOrderStatus')
      .map(({ durationMs, ...rest }) => ({ ...rest, timed: durationMs >= 0 }));
    expect(statusEvents).toEqual([
      {
        type: 'request',
        operation: 'getOrderStatus',
        method: 'GET',
        path: '/checkout/v2/order/ord_1/status',
        attempt: 1,
        timed: true,
      },
      {
        type: 'error',
        operation: 'getOrderStatus',
        method: 'GET',
        path: '/checkout/v2/order/ord_1/status',
        attempt: 1,
        errorCode: 'NETWORK_ERROR',
        timed: true,
      },
      {
        type: 'request',
        operation: 'getOrderStatus',
        method: 'GET',
        path: '/checkout/v2/order/ord_1/status',
        attempt: 2,
        timed: true,
      },
      {
        type: 'response',
        operation: 'getOrderStatus',
        method: 'GET',
        path: '/checkout/v2/order/ord_1/status',
        attempt: 2,
        status: 200,
        timed: true,
      },
    ]);
    const tokenEvent = events.find((e) => e.type === 'token');
    expect(tokenEvent).toMatchObject({
      operation: 'token',
      method: 'POST',
      path: '/v1/oauth/token',
      tokenOutcome: 'fetched',
    });
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(PHONEPE_CLIENT_EVENT_TYPES));
  });

  it('a throwing onEvent listener is logged and ignored', async () => {
    const { client, clock, logs } = createHarness({
      onEvent: () => {
        throw new Error('metrics down');
      },
    });
    server.use(
      tokenEndpoint(clock).handler,
      http.get(`${SANDBOX}/checkout/v2/order/ord_1/status`, () => HttpResponse.json(orderStatusBody())),
    );

    await expect(client.getOrderStatus('ord_1')).resolves.toMatchObject({ orderId: 'OMO2601011200001' });
    expect(logs.some((l) => l.level === 'warn' && l.obj.error === 'metrics down')).toBe(true);
  });
});
