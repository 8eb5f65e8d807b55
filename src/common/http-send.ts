// The HTTP transport every gateway client shares: one `fetch` per attempt with a timeout covering the
// body, and the backoff helpers for re-sending safe calls. Gateway-neutral: each client passes the
// errors it throws when no reply arrives (PhonePe's, Razorpay's).

/** The retry policy shape both clients use: re-sends, backoff base and cap. */
export interface RetryPolicy {
  limit: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * How long to wait before re-sending attempt `retryNumber` (1 for the first re-send).
 *
 * - Full jitter (a random wait in [0, base × 2^(n-1)]): many clients that failed together must
 *   not retry together, or they hit the gateway in lock-step waves.
 * - `Retry-After` wins when the gateway sends it: the server knows when it will accept calls again.
 * - Everything is capped at `maxDelayMs`, so a huge `Retry-After` cannot stall a caller for
 *   minutes; the call fails instead and the caller decides.
 */
export function retryDelayMs(
  retryNumber: number,
  retry: RetryPolicy,
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

/** One HTTP attempt, fully built. `path` is what errors and events name (no host, no query). */
export interface HttpAttempt {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** What came back: status, headers and the body as text (parsed by the caller). */
export interface HttpReply {
  status: number;
  headers: Headers;
  text: string;
}

/** Sends one attempt; throws the caller's timeout or network error when no reply arrives. */
export type HttpSend = (attempt: HttpAttempt) => Promise<HttpReply>;

/** What an attempt that got no reply is turned into: a timeout, or a dropped or refused connection. */
export interface HttpSendFailures {
  timeout(details: { httpMethod: string; path: string; timeoutMs: number; cause: unknown }): Error;
  network(details: { httpMethod: string; path: string; cause: unknown }): Error;
}

/**
 * One `fetch` per attempt and nothing else: no `Request` object, no option merging, no clone.
 * Retries are decided one level up (they honour `Retry-After`, skip creating POSTs and are counted
 * in events), so nothing here needs the request twice; every status is mapped by errorFromResponse.
 *
 * The timeout covers the whole attempt, body included: a server that sends headers and then stalls
 * is as dead as one that never answers. It aborts the request (undici then errors the body too) and
 * also ends the wait itself, so a `fetch` that ignores its signal for the body (msw, some injected
 * ones) cannot hang the caller. The timer is cleared as soon as the body is read, so a busy client
 * does not keep thousands of pending 30 s timers.
 *
 * `fetch` is read per request when none was injected, so an interceptor installed after the client
 * was built (msw, nock's fetch mode) still sees every call.
 */
export function createHttpSend(options: {
  timeoutMs: number;
  fetch: typeof globalThis.fetch | undefined;
  /** The errors thrown when no reply arrives: the calling gateway's timeout and network errors. */
  failures: HttpSendFailures;
}): HttpSend {
  const { timeoutMs, failures } = options;
  return async (attempt) => {
    const controller = new AbortController();
    let expire: (reason: unknown) => void = () => {};
    const expired = new Promise<never>((_, reject) => {
      expire = reject;
    });
    const timer = setTimeout(() => {
      const reason = new DOMException(`The request took longer than ${timeoutMs} ms.`, 'TimeoutError');
      controller.abort(reason);
      expire(reason);
    }, timeoutMs);
    let response: Response | undefined;
    try {
      const send = options.fetch ?? globalThis.fetch;
      response = await Promise.race([
        send(attempt.url, {
          method: attempt.method,
          headers: attempt.headers,
          body: attempt.body,
          signal: controller.signal,
        }),
        expired,
      ]);
      const text = await Promise.race([response.text(), expired]);
      return { status: response.status, headers: response.headers, text };
    } catch (error) {
      if (controller.signal.aborted) {
        response?.body?.cancel().catch(() => {});
        throw failures.timeout({ httpMethod: attempt.method, path: attempt.path, timeoutMs, cause: error });
      }
      throw failures.network({ httpMethod: attempt.method, path: attempt.path, cause: error });
    } finally {
      clearTimeout(timer);
    }
  };
}

/** A reply body as JSON when it parses, the text as it came otherwise, `undefined` when empty. */
export function parseResponseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
