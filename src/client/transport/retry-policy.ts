import type { PhonePeRetryOptions } from '../client-options.js';

/**
 * How long to wait before re-sending attempt `retryNumber` (1 for the first re-send).
 *
 * - Full jitter (a random wait in [0, base × 2^(n-1)]): many clients that failed together must
 *   not retry together, or they hit PhonePe in lock-step waves.
 * - `Retry-After` wins when PhonePe sends it: the server knows when it will accept calls again.
 * - Everything is capped at `maxDelayMs`, so a huge `Retry-After` cannot stall a caller for
 *   minutes; the call fails instead and the caller decides.
 */
export function retryDelayMs(
  retryNumber: number,
  retry: Required<PhonePeRetryOptions>,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, retry.maxDelayMs);
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (retryNumber - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Reads a `Retry-After` header: delta-seconds or an HTTP date (RFC 9110 §10.2.3), as ms from
 * `nowMs`. Returns undefined when absent or unreadable (then normal backoff applies).
 */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
