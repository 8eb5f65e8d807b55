import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { errorFromResponse } from '../../src/client/errors.js';
import {
  isPhonePeError,
  PhonePeAuthenticationError,
  PhonePeBadRequestError,
  PhonePeConflictError,
  PhonePeError,
  PhonePeNotFoundError,
  PhonePeRateLimitError,
  PhonePeServerError,
} from '../../src/client/index.js';
import { capture, createHarness, SANDBOX, tokenEndpoint, useMswServer } from './support/fake-phonepe.js';

const server = useMswServer();

const cases = [
  [400, { code: 'BAD_REQUEST', message: 'Invalid amount' }, PhonePeBadRequestError, 'BAD_REQUEST', false],
  [401, { errorCode: 'PR004', message: 'Unauthorized' }, PhonePeAuthenticationError, 'PR004', false],
  [
    404,
    { code: 'INVALID_MERCHANT_ORDER_ID', message: 'No entry found for given merchant order id' },
    PhonePeNotFoundError,
    'INVALID_MERCHANT_ORDER_ID',
    false,
  ],
  [409, { code: 'CONFLICT', message: 'conflict' }, PhonePeConflictError, 'CONFLICT', false],
  [
    417,
    { code: 'INVALID_TRANSACTION_ID', message: 'Order ID has already been used', success: false },
    PhonePeConflictError,
    'INVALID_TRANSACTION_ID',
    false,
  ],
  [429, { code: 'TOO_MANY_REQUESTS', message: 'slow down' }, PhonePeRateLimitError, 'TOO_MANY_REQUESTS', true],
  [500, { code: 'INTERNAL_SERVER_ERROR', message: 'boom' }, PhonePeServerError, 'INTERNAL_SERVER_ERROR', true],
  [503, '<html>Service Unavailable</html>', PhonePeServerError, 'HTTP_503', true],
] as const;

describe('HTTP status + PhonePe code -> error class', () => {
  it.each(cases)(
    '%i maps to the right class with code, status and retryable',
    async (status, body, errorClass, code, retryable) => {
      const { client, clock } = createHarness({ retry: { limit: 0 } });
      // 401 twice (the client refreshes once) to see the final mapping.
      const pay = capture('post', `${SANDBOX}/checkout/v2/pay`, () =>
        typeof body === 'string'
          ? new HttpResponse(body, { status, headers: { 'Content-Type': 'text/html' } })
          : HttpResponse.json(body, { status }),
      );
      const orderStatus = capture('get', `${SANDBOX}/checkout/v2/order/ord_1/status`, () =>
        HttpResponse.json({ code: 'INVALID_MERCHANT_ORDER_ID' }, { status: 404 }),
      );
      server.use(tokenEndpoint(clock).handler, pay.handler, orderStatus.handler);

      const error = await client
        .pay({
          merchantOrderId: 'ord_1',
          amount: 100,
          paymentFlow: { merchantUrls: { redirectUrl: 'https://a.example/r' } },
        })
        .catch((e: unknown) => e);

      // 5xx and "already used" answers on a creating call go through the status check (PhonePe may have
      // acted); the outcome-unknown error's cause is the mapped error.
      const looksUp = status >= 500 || [400, 404, 409, 417].includes(status);
      // A 400 PhonePe confirms (status 404: no such order) is rethrown as it came.
      const mapped = looksUp && status !== 400 ? (error as Error).cause : error;
      expect(mapped).toBeInstanceOf(errorClass);
      expect(isPhonePeError(mapped)).toBe(true);
      const typed = mapped as PhonePeError;
      expect(typed.name).toBe(errorClass.name);
      expect(typed.code).toBe(code);
      expect(typed.status).toBe(status);
      expect(typed.retryable).toBe(retryable);
      expect(typed.httpMethod).toBe('POST');
      expect(typed.path).toBe('/checkout/v2/pay');
      expect(typed.message).toContain(`PhonePe answered ${status} ${code} to POST /checkout/v2/pay`);
      if (typeof body !== 'string') expect(typed.phonePeMessage).toBe(body.message);
      // Explicit refusals are definitive: no status check was made.
      expect(orderStatus.calls).toHaveLength(looksUp ? 1 : 0);
    },
  );

  it('reads errorCode before code and context before data (docs/phonepe-protocol.md#errors)', () => {
    const error = errorFromResponse({
      status: 400,
      body: {
        errorCode: 'PR000',
        code: 'OTHER',
        message: 'Bad Request',
        context: { field: 'amount' },
        data: { ignored: true },
      },
      httpMethod: 'POST',
      path: '/checkout/v2/pay',
    });
    expect(error.code).toBe('PR000');
    expect(error.data).toEqual({ field: 'amount' });
    expect(
      errorFromResponse({ status: 400, body: { code: 'X', data: { a: 1 } }, httpMethod: 'GET', path: '/p' }).data,
    ).toEqual({ a: 1 });
  });

  it('INVALID_MERCHANT_ORDER_ID is a not-found whatever the status', () => {
    const error = errorFromResponse({
      status: 400,
      body: { code: 'INVALID_MERCHANT_ORDER_ID', message: 'No entry found.' },
      httpMethod: 'GET',
      path: '/checkout/v2/order/x/status',
    });
    expect(error).toBeInstanceOf(PhonePeNotFoundError);
    expect(error.message).toBe(
      'PhonePe answered 400 INVALID_MERCHANT_ORDER_ID to GET /checkout/v2/order/x/status: No entry found. Check the id and the environment (SANDBOX or PRODUCTION).',
    );
  });

  it('other 4xx fall back to the base PhonePeError with HTTP_<status>', () => {
    const error = errorFromResponse({ status: 451, body: undefined, httpMethod: 'GET', path: '/p' });
    expect(error.constructor).toBe(PhonePeError);
    expect(error.code).toBe('HTTP_451');
    expect(error.retryable).toBe(false);
  });

  it('a 429 carries Retry-After in ms', async () => {
    const { client, clock } = createHarness({ retry: { limit: 0 } });
    server.use(
      tokenEndpoint(clock).handler,
      capture('get', `${SANDBOX}/checkout/v2/order/ord_1/status`, () =>
        HttpResponse.json({ code: 'TOO_MANY_REQUESTS' }, { status: 429, headers: { 'Retry-After': '7' } }),
      ).handler,
    );

    const error = await client.getOrderStatus('ord_1').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(PhonePeRateLimitError);
    expect((error as PhonePeRateLimitError).retryAfterMs).toBe(7000);
    expect((error as Error).message).toMatch(/try again after 7000 ms/);
  });
});
