import { describe, expect, it } from 'vitest';
import {
  isRazorpayAuthenticationError,
  isRazorpayBadRequestError,
  isRazorpayError,
  isRazorpayNotFoundError,
  isRazorpayRateLimitError,
  isRazorpayServerError,
  isRazorpayTimeoutError,
  RazorpayTimeoutError,
  razorpayErrorFromResponse,
} from '../../src/razorpay/index.js';

const at = { httpMethod: 'GET', path: '/orders/order_1' };
const body = {
  error: {
    code: 'BAD_REQUEST_ERROR',
    description: 'The id provided does not exist',
    source: 'business',
    step: 'payment_initiation',
    reason: 'input_validation_failed',
    metadata: {},
    field: 'id',
  },
};

describe('razorpayErrorFromResponse', () => {
  it('maps each status to its class', () => {
    const map = (status: number) => razorpayErrorFromResponse({ status, body, ...at });
    expect(isRazorpayNotFoundError(map(400))).toBe(true); // "The id provided does not exist"
    expect(
      isRazorpayBadRequestError(
        razorpayErrorFromResponse({
          status: 400,
          body: { error: { code: 'BAD_REQUEST_ERROR', description: 'amount' } },
          ...at,
        }),
      ),
    ).toBe(true);
    expect(isRazorpayBadRequestError(map(422))).toBe(true);
    expect(isRazorpayAuthenticationError(map(401))).toBe(true);
    expect(isRazorpayAuthenticationError(map(403))).toBe(true);
    expect(isRazorpayNotFoundError(map(404))).toBe(true);
    expect(isRazorpayRateLimitError(map(429))).toBe(true);
    expect(isRazorpayServerError(map(500))).toBe(true);
    expect(isRazorpayServerError(map(408))).toBe(true);
    expect([400, 401, 404, 429, 500].map((s) => map(s).retryable)).toEqual([false, false, false, true, true]);
    expect(isRazorpayNotFoundError(razorpayErrorFromResponse({ status: 404, body: '', ...at }))).toBe(true);
  });

  it("keeps Razorpay's error body and says what failed", () => {
    const error = razorpayErrorFromResponse({ status: 400, body, ...at });
    expect(error).toMatchObject({
      code: 'BAD_REQUEST_ERROR',
      status: 400,
      razorpay: body.error,
      path: '/orders/order_1',
    });
    expect(error.message).toContain('The id provided does not exist');
  });

  it('a body without Razorpay error shape gives HTTP_<status> and no razorpay body', () => {
    const error = razorpayErrorFromResponse({ status: 400, body: '<html>', ...at });
    expect(error).toMatchObject({ code: 'HTTP_400', razorpay: undefined });
  });

  it('guards answer across copies of the class (the brand), and not for other errors', () => {
    const error = new RazorpayTimeoutError({ ...at, timeoutMs: 5, cause: undefined });
    const lookalike = Object.assign(new Error('x'), { name: 'RazorpayTimeoutError' });
    expect([isRazorpayError(error), isRazorpayTimeoutError(error)]).toEqual([true, true]);
    expect([isRazorpayError(lookalike), isRazorpayTimeoutError(lookalike), isRazorpayError('x')]).toEqual([
      false,
      false,
      false,
    ]);
    const copy = Object.create(Error.prototype) as Error;
    Object.defineProperty(copy, Symbol.for('phonepe-billing.RazorpayError'), { value: true });
    Object.defineProperty(copy, 'name', { value: 'RazorpayTimeoutError' });
    expect(isRazorpayTimeoutError(copy)).toBe(true);
  });
});
