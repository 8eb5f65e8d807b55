import ky from 'ky';
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
 * A ky instance per client with ky's own retry off: retries are decided one level up (so they
 * can honour `Retry-After`, skip creating POSTs and be counted in events) and `throwHttpErrors`
 * off (every status is mapped by errorFromResponse). ky stays an implementation detail: nothing
 * here leaks its types.
 */
export function createHttpSend(options: { timeoutMs: number; fetch: typeof globalThis.fetch | undefined }): HttpSend {
  const http = ky.create({
    retry: 0,
    timeout: options.timeoutMs,
    throwHttpErrors: false,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  return async (attempt) => {
    try {
      const response = await http(attempt.url, {
        method: attempt.method,
        headers: attempt.headers,
        ...(attempt.body === undefined ? {} : { body: attempt.body }),
      });
      return { status: response.status, headers: response.headers, text: await response.text() };
    } catch (error) {
      if (error instanceof Error && error.name === 'TimeoutError') {
        throw new PhonePeTimeoutError({ httpMethod: attempt.method, path: attempt.path, timeoutMs: options.timeoutMs, cause: error });
      }
      throw new PhonePeNetworkError({ httpMethod: attempt.method, path: attempt.path, cause: error });
    }
  };
}
