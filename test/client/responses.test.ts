import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { isPhonePeResponseError, type PhonePeResponseError } from '../../src/client/index.js';
import {
  capture,
  createHarness,
  orderStatusBody,
  SANDBOX,
  tokenEndpoint,
  useMswServer,
} from './support/fake-phonepe.js';

const server = useMswServer();
const STATUS_URL = `${SANDBOX}/checkout/v2/order/ord_1/status`;

async function statusWith(respond: () => Response) {
  const { client, clock } = createHarness();
  const status = capture('get', STATUS_URL, respond);
  server.use(tokenEndpoint(clock).handler, status.handler);
  const result = await client.getOrderStatus('ord_1').catch((e: unknown) => e);
  return { result, calls: status.calls };
}

describe('response parsing', () => {
  it('keeps unknown fields at every level and unknown states as strings', async () => {
    const body = orderStatusBody({
      state: 'PARTIALLY_SETTLED',
      newTopLevelField: { nested: [1, 2] },
      paymentDetails: [
        {
          transactionId: 'OM1',
          state: 'REVERSED',
          paymentMode: 'UPI_LITE',
          amount: 49900,
          timestamp: 1,
          rail: { type: 'UPI', utr: '1', newRailField: 'x' },
          shinyNew: true,
        },
      ],
    });
    const { result } = await statusWith(() => HttpResponse.json(body));

    expect(result).toEqual(body);
    const order = result as typeof body & { state: string };
    expect(order.state).toBe('PARTIALLY_SETTLED');
  });

  it.each([
    [
      'not JSON',
      () => new HttpResponse('<html>gateway</html>', { status: 200 }),
      /the body is not a JSON object/,
      '<html>gateway</html>',
    ],
    ['empty', () => new HttpResponse('', { status: 200 }), /the body is empty/, undefined],
    [
      'state missing',
      () => HttpResponse.json({ orderId: 'OMO1', amount: 100 }),
      /state: /,
      { orderId: 'OMO1', amount: 100 },
    ],
    [
      'amount as a float',
      () => HttpResponse.json(orderStatusBody({ amount: 499.5 })),
      /amount: /,
      orderStatusBody({ amount: 499.5 }),
    ],
    [
      'amount as a string',
      () => HttpResponse.json(orderStatusBody({ amount: '49900' })),
      /amount: /,
      orderStatusBody({ amount: '49900' }),
    ],
    [
      'an attempt whose state is a number',
      () => HttpResponse.json(orderStatusBody({ paymentDetails: [{ state: 7 }] })),
      /paymentDetails\.0\.state/,
      orderStatusBody({ paymentDetails: [{ state: 7 }] }),
    ],
  ])('a body that is %s gives PhonePeResponseError with the raw body', async (_name, respond, problem, rawBody) => {
    const { result, calls } = await statusWith(respond);

    expect(isPhonePeResponseError(result)).toBe(true);
    const error = result as PhonePeResponseError;
    expect(error.problem).toMatch(problem);
    expect(error.body).toEqual(rawBody);
    expect(error.status).toBe(200);
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.message).toContain('GET /checkout/v2/order/ord_1/status');
    // A malformed answer is definitive, not retried.
    expect(calls).toHaveLength(1);
  });

  it('never attaches the token response body (it carries a token)', async () => {
    const { client } = createHarness();
    server.use(
      capture('post', `${SANDBOX}/v1/oauth/token`, () =>
        HttpResponse.json({ access_token: 'secret-token-value', token_type: 'O-Bearer' }),
      ).handler,
    );

    const error = await client.getOrderStatus('ord_1').catch((e: unknown) => e);

    expect(isPhonePeResponseError(error)).toBe(true);
    expect((error as PhonePeResponseError).body).toBe('[redacted]');
    expect(JSON.stringify(error)).not.toContain('secret-token-value');
    expect((error as Error).message).toMatch(/expires_at/);
  });
});
