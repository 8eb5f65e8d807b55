import { describe, expect, it } from 'vitest';
import { isInvalidOptionsError } from '../../src/common/invalid-options.js';
import { RAZORPAY_BASE_URL, RazorpayClient, resolveRazorpayOptions } from '../../src/razorpay/index.js';

const keys = { keyId: 'rzp_test_1', keySecret: 'shh-secret' };
const failure = (input: unknown) => {
  try {
    new RazorpayClient(input as never);
    return undefined;
  } catch (error) {
    return error as Error & { option?: string };
  }
};

describe('RazorpayClient options', () => {
  it('fills the defaults', () => {
    const options = resolveRazorpayOptions(keys);
    expect(options).toMatchObject({
      baseUrl: RAZORPAY_BASE_URL,
      timeoutMs: 30_000,
      retry: { limit: 2, baseDelayMs: 250, maxDelayMs: 5000 },
    });
    expect(resolveRazorpayOptions({ ...keys, baseUrl: 'http://127.0.0.1:9/v1//' }).baseUrl).toBe(
      'http://127.0.0.1:9/v1',
    );
  });

  it.each([
    [{ keySecret: 's' }, 'keyId'],
    [{ keyId: 'a:b', keySecret: 's' }, 'keyId'],
    [{ ...keys, keySecret: '' }, 'keySecret'],
    [{ ...keys, baseUrl: 'api.razorpay.com' }, 'baseUrl'],
    [{ ...keys, timeoutMs: 0 }, 'timeoutMs'],
    [{ ...keys, retry: { limit: 11 } }, 'retry.limit'],
    [{ ...keys, timeoutMS: 5 }, 'timeoutMS'],
    [{ ...keys, logger: {} }, 'logger'],
  ])('refuses %j naming %s, without echoing the secret', (input, option) => {
    const error = failure(input);
    expect(isInvalidOptionsError(error)).toBe(true);
    expect(error?.option).toBe(option);
    expect(error?.message).not.toContain('shh-secret');
  });
});
