import type { z } from 'zod';
import {
  createHttpSend,
  type HttpReply,
  type HttpSend,
  parseResponseBody,
  parseRetryAfter,
  retryDelayMs,
} from '../common/http-send.js';
import {
  isRazorpayError,
  type RazorpayError,
  RazorpayNetworkError,
  RazorpayResponseError,
  RazorpayTimeoutError,
  razorpayErrorFromResponse,
} from './razorpay-errors.js';
import type { RazorpayClientEvent, ResolvedRazorpayOptions } from './razorpay-options.js';

/** One logical Razorpay call, before auth, retries and parsing. */
export interface RazorpayCall<T> {
  /** The client method, for events, logs and errors. */
  operation: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path after the `/v1` base, ids already encoded. */
  path: string;
  query?: Record<string, string>;
  json?: unknown;
  schema: z.ZodType<T>;
  /** A 2xx with an empty body reads as `{}` (the token cancel and delete calls, whose body we do not use). */
  emptyBodyOk?: boolean;
  /** Extra request headers (`X-Refund-Idempotency` of a refund). */
  headers?: Record<string, string>;
}

/**
 * Runs {@link RazorpayCall}s: Basic auth, one `fetch` per attempt (the transport shared with the PhonePe client, with
 * Razorpay's error family), retries for GETs only, every answer turned into a parsed value or a
 * `RazorpayError`.
 */
export class RazorpayRequester {
  readonly #options: ResolvedRazorpayOptions;
  readonly #send: HttpSend;
  readonly #authorization: string;

  constructor(options: ResolvedRazorpayOptions) {
    this.#options = options;
    this.#send = createHttpSend({
      timeoutMs: options.timeoutMs,
      fetch: options.fetch,
      failures: {
        timeout: (details) => new RazorpayTimeoutError(details),
        network: (details) => new RazorpayNetworkError(details),
      },
    });
    this.#authorization = `Basic ${base64(`${options.keyId}:${options.keySecret}`)}`;
  }

  /** Sends `call`; GETs are re-sent after a retryable failure, every other method exactly once. */
  async call<T>(call: RazorpayCall<T>): Promise<T> {
    const { retry, logger } = this.#options;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.#attempt(call, attempt);
      } catch (error) {
        if (!isRazorpayError(error)) throw error;
        if (call.method !== 'GET' || !error.retryable || attempt > retry.limit) throw error;
        const retryAfterMs = 'retryAfterMs' in error ? (error.retryAfterMs as number | undefined) : undefined;
        const delayMs = retryDelayMs(attempt, retry, retryAfterMs);
        logger.debug(
          { operation: call.operation, method: call.method, path: call.path, attempt, code: error.code, delayMs },
          'Razorpay call will be retried',
        );
        await this.#options.sleep(delayMs);
      }
    }
  }

  async #attempt<T>(call: RazorpayCall<T>, attempt: number): Promise<T> {
    const query = call.query === undefined ? '' : `?${new URLSearchParams(call.query).toString()}`;
    const headers: Record<string, string> = {
      ...call.headers,
      Accept: 'application/json',
      Authorization: this.#authorization,
    };
    let body: string | undefined;
    if (call.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(call.json);
    }
    const base = { operation: call.operation, method: call.method, path: call.path, attempt };
    this.#emit({ type: 'request', ...base, durationMs: 0 });
    const started = performance.now();
    let reply: HttpReply;
    try {
      reply = await this.#send({
        method: call.method,
        url: `${this.#options.baseUrl}${call.path}${query}`,
        path: call.path,
        headers,
        ...(body === undefined ? {} : { body }),
      });
    } catch (error) {
      const durationMs = Math.round(performance.now() - started);
      const code = isRazorpayError(error) ? error.code : 'UNKNOWN';
      this.#emit({ type: 'error', ...base, durationMs, errorCode: code });
      this.#options.logger.debug({ ...base, durationMs, code }, 'Razorpay request got no response');
      throw error;
    }
    const durationMs = Math.round(performance.now() - started);
    this.#emit({ type: 'response', ...base, status: reply.status, durationMs });
    this.#options.logger.debug({ ...base, status: reply.status, durationMs }, 'Razorpay response');
    const parsed = parseResponseBody(reply.text);
    if (reply.status < 200 || reply.status >= 300) {
      throw razorpayErrorFromResponse({
        status: reply.status,
        body: parsed,
        httpMethod: call.method,
        path: call.path,
        retryAfterMs: parseRetryAfter(reply.headers.get('retry-after'), this.#options.clock.now()),
      });
    }
    const fail = (problem: string): RazorpayError =>
      new RazorpayResponseError({
        httpMethod: call.method,
        path: call.path,
        status: reply.status,
        body: parsed,
        problem,
      });
    if (parsed === undefined && call.emptyBodyOk === true) return call.schema.parse({});
    if (typeof parsed !== 'object' || parsed === null)
      throw fail(reply.text === '' ? 'the body is empty' : 'the body is not a JSON object');
    const result = call.schema.safeParse(parsed);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    throw fail(
      issue === undefined ? 'the body does not match' : `${issue.path.join('.') || '(body)'}: ${issue.message}`,
    );
  }

  // A throwing metrics hook must never fail a payment call.
  #emit(event: RazorpayClientEvent): void {
    const listener = this.#options.onEvent;
    if (listener === undefined) return;
    try {
      listener(event);
    } catch (error) {
      this.#options.logger.warn(
        { eventType: event.type, error: error instanceof Error ? error.message : String(error) },
        'Razorpay onEvent listener threw; ignored',
      );
    }
  }
}

// btoa takes Latin-1 only; the pair is encoded as UTF-8 first (RFC 7617 §2.1).
function base64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
