import { PhonePeNetworkError } from '../errors/phonepe-network-error.js';
import { PhonePeTimeoutError } from '../errors/phonepe-timeout-error.js';

/** One HTTP attempt, fully built. `path` is what errors and events name (no host, no query). */
export interface HttpAttempt {
  method: 'GET' | 'POST';
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

/** Sends one attempt; throws PhonePeTimeoutError / PhonePeNetworkError when no reply arrives. */
export type HttpSend = (attempt: HttpAttempt) => Promise<HttpReply>;

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
export function createHttpSend(options: { timeoutMs: number; fetch: typeof globalThis.fetch | undefined }): HttpSend {
  const { timeoutMs } = options;
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
        throw new PhonePeTimeoutError({ httpMethod: attempt.method, path: attempt.path, timeoutMs, cause: error });
      }
      throw new PhonePeNetworkError({ httpMethod: attempt.method, path: attempt.path, cause: error });
    } finally {
      clearTimeout(timer);
    }
  };
}
