import { describe, expect, it } from 'vitest';
import { parseRetryAfter, retryDelayMs } from '../../src/client/api-requester.js';

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
