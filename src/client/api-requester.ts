import type { z } from 'zod';
import type { Clock } from '../common/clock.js';
import type { Logger } from '../common/logger.js';
import { unchangedBySchema } from '../common/unchanged-by-schema.js';
import {
  parseResponseBody,
  createHttpSend as createGatewayHttpSend,
  type HttpAttempt,
  type HttpReply,
  type HttpSend,
  type HttpSendFailures,
  parseRetryAfter,
  retryDelayMs,
} from '../common/http-send.js';
import type { PhonePeBaseUrls } from './base-urls.js';
import type { PhonePeClientEvent, PhonePeEventListener } from './client-events.js';
import type { PhonePeRetryOptions } from './client-options.js';
import {
  errorFromResponse,
  isPhonePeError,
  type PhonePeError,
  PhonePeNetworkError,
  PhonePeResponseError,
  PhonePeTimeoutError,
} from './errors.js';

/** Which host a call goes to (see PhonePeBaseUrls). */
export type ApiHost = 'pg' | 'oauth';

/**
 * One logical PhonePe call, before auth, retries and parsing. Built by the client methods and
 * run by {@link ApiRequester}.
 */
export interface ApiCall<T> {
  /** Client method name, for events and errors (`pay`, `getOrderStatus`, `token`…). */
  operation: string;
  method: 'GET' | 'POST';
  host: ApiHost;
  /** Path without host or query; ids in it are already validated. */
  path: string;
  query?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  /** Parses a 2xx body; `undefined` means "any body, result is void" (cancel's 204). */
  schema: z.ZodType<T> | undefined;
  /** True for calls that may be re-sent after a transient failure (GETs, the token call). */
  safeToRetry: boolean;
  /** Sends `Authorization: O-Bearer …` and handles 401 by refreshing once. */
  authenticated: boolean;
  /** Keep the body out of PhonePeResponseError (the token response carries a token). */
  redactBody?: boolean;
}

/** An authenticated GET: no side effects, so retried on transient failures. */
export function pgGet<T>(
  operation: string,
  path: string,
  schema: z.ZodType<T>,
  query?: Record<string, string>,
): ApiCall<T> {
  return {
    operation,
    method: 'GET',
    host: 'pg',
    path,
    schema,
    safeToRetry: true,
    authenticated: true,
    ...(query === undefined ? {} : { query }),
  };
}

/**
 * An authenticated POST. Never retried by the requester: creating calls go through sendCreating
 * (status check instead of a re-send); cancel is safe to repeat but left to the caller.
 */
export function pgPost<T>(
  operation: string,
  path: string,
  json: unknown,
  schema: z.ZodType<T> | undefined,
): ApiCall<T> {
  return { operation, method: 'POST', host: 'pg', path, json, schema, safeToRetry: false, authenticated: true };
}

export { parseRetryAfter, retryDelayMs, type HttpAttempt, type HttpReply, type HttpSend };

// PhonePe's errors for an attempt that got no reply.
const phonePeSendFailures: HttpSendFailures = {
  timeout: (details) => new PhonePeTimeoutError(details),
  network: (details) => new PhonePeNetworkError(details),
};

/** The shared transport (src/common/http-send.ts) throwing PhonePe's timeout and network errors. */
export function createHttpSend(options: { timeoutMs: number; fetch: typeof globalThis.fetch | undefined }): HttpSend {
  return createGatewayHttpSend({ ...options, failures: phonePeSendFailures });
}

/**
 * The one place the client reports what it does: events to `onEvent`, lines to `logger`. Both
 * receive only method, path, status, timings and codes — never a body, token, secret or header.
 */
export interface ClientTelemetry {
  readonly logger: Logger;
  /** False when nobody listens: callers skip building events nobody will see. */
  readonly listening: boolean;
  emit(event: PhonePeClientEvent): void;
}

/** Wraps the caller's listener so a throwing metrics hook can never fail a payment call. */
export function createClientTelemetry(logger: Logger, onEvent: PhonePeEventListener | undefined): ClientTelemetry {
  return {
    logger,
    listening: onEvent !== undefined,
    emit(event) {
      if (onEvent === undefined) return;
      try {
        onEvent(event);
      } catch (error) {
        logger.warn(
          { eventType: event.type, error: error instanceof Error ? error.message : String(error) },
          'PhonePe onEvent listener threw; ignored',
        );
      }
    },
  };
}

/** Where authenticated calls get their `Authorization` value (the TokenManager). */
export interface AuthorizationSource {
  /** The cached value while it needs no refresh, else undefined: the common case without an await. */
  current?(): string | undefined;
  authorization(): Promise<string>;
  refreshAfterRejection(rejected: string): Promise<string>;
}

/** What an {@link ApiRequester} needs. */
export interface ApiRequesterDeps {
  send: HttpSend;
  baseUrls: PhonePeBaseUrls;
  retry: Required<PhonePeRetryOptions>;
  sleep: (ms: number) => Promise<void>;
  clock: Clock;
  telemetry: ClientTelemetry;
}

type AttemptOutcome = { reply: HttpReply } | { error: PhonePeError; retryAfterMs?: number | undefined };

/**
 * Runs {@link ApiCall}s: adds auth, sends, retries safe calls, re-sends once after a 401 with a
 * fresh token, and turns every answer into a parsed value or a typed PhonePeError.
 */
export class ApiRequester {
  readonly #deps: ApiRequesterDeps;
  #auth: AuthorizationSource | undefined;

  constructor(deps: ApiRequesterDeps) {
    this.#deps = deps;
  }

  /** Set once by the client (the token manager itself uses this requester for the token call). */
  useAuthorization(source: AuthorizationSource): void {
    this.#auth = source;
  }

  async call<T>(call: ApiCall<T>): Promise<T> {
    let retriesUsed = 0;
    let reauthenticated = false;
    for (let attempt = 1; ; attempt += 1) {
      const authorization = call.authenticated ? await this.#authorization() : undefined;
      const outcome = await this.#attempt(call, attempt, authorization);
      if ('reply' in outcome) {
        // A 401 means PhonePe refused the token before doing anything, so re-sending even a
        // creating POST is safe; once only, as PhonePe's Node SDK 2.0.6 does (docs/phonepe-protocol.md#oauth).
        if (outcome.reply.status === 401 && authorization !== undefined && !reauthenticated) {
          reauthenticated = true;
          await this.#authSource().refreshAfterRejection(authorization);
          continue;
        }
        return this.#parse(call, outcome.reply);
      }
      const { error } = outcome;
      // Only calls without side effects are re-sent; creating POSTs go to the status check
      // instead (outcome.ts). 4xx other than 429 are definitive, so they are never retried.
      if (!call.safeToRetry || !error.retryable || retriesUsed >= this.#deps.retry.limit) throw error;
      retriesUsed += 1;
      const delayMs = retryDelayMs(retriesUsed, this.#deps.retry, outcome.retryAfterMs);
      this.#deps.telemetry.logger.debug(
        { operation: call.operation, method: call.method, path: call.path, attempt, code: error.code, delayMs },
        'PhonePe call will be retried',
      );
      await this.#deps.sleep(delayMs);
    }
  }

  #authorization(): string | Promise<string> {
    const source = this.#authSource();
    return source.current?.() ?? source.authorization();
  }

  #authSource(): AuthorizationSource {
    if (this.#auth === undefined) throw new Error('ApiRequester: no authorization source configured');
    return this.#auth;
  }

  async #attempt<T>(call: ApiCall<T>, attempt: number, authorization: string | undefined): Promise<AttemptOutcome> {
    const http = this.#build(call, authorization);
    const { telemetry } = this.#deps;
    const base = { operation: call.operation, method: call.method, path: call.path, attempt };
    if (telemetry.listening) telemetry.emit({ type: 'request', ...base, durationMs: 0 });
    telemetry.logger.debug(base, 'PhonePe request');
    const started = performance.now();
    try {
      const reply = await this.#deps.send(http);
      const durationMs = Math.round(performance.now() - started);
      if (telemetry.listening) telemetry.emit({ type: 'response', ...base, status: reply.status, durationMs });
      telemetry.logger.debug({ ...base, status: reply.status, durationMs }, 'PhonePe response');
      if (reply.status === 401 || (reply.status >= 200 && reply.status < 300)) return { reply };
      const retryAfterMs = parseRetryAfter(reply.headers.get('retry-after'), this.#deps.clock.now());
      const body = parseResponseBody(reply.text);
      return {
        error: errorFromResponse({
          status: reply.status,
          body,
          httpMethod: call.method,
          path: call.path,
          retryAfterMs,
        }),
        retryAfterMs,
      };
    } catch (error) {
      if (!isPhonePeError(error)) throw error;
      const durationMs = Math.round(performance.now() - started);
      telemetry.emit({ type: 'error', ...base, durationMs, errorCode: error.code });
      telemetry.logger.debug({ ...base, durationMs, code: error.code }, 'PhonePe request got no response');
      return { error };
    }
  }

  #build<T>(call: ApiCall<T>, authorization: string | undefined): HttpAttempt {
    const query = call.query === undefined ? '' : `?${new URLSearchParams(call.query).toString()}`;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (authorization !== undefined) headers.Authorization = authorization;
    let body: string | undefined;
    if (call.form !== undefined) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(call.form).toString();
    } else {
      // On every PG call, bodyless GETs and POSTs included, as every official SDK sends it
      // (docs/phonepe-protocol.md#headers).
      headers['Content-Type'] = 'application/json';
      if (call.json !== undefined) body = JSON.stringify(call.json);
    }
    const url = `${this.#deps.baseUrls[call.host]}${call.path}${query}`;
    return { method: call.method, url, path: call.path, headers, ...(body === undefined ? {} : { body }) };
  }

  #parse<T>(call: ApiCall<T>, reply: HttpReply): T {
    if (reply.status === 401) {
      // Second 401 in a row: the fresh token was refused too.
      throw errorFromResponse({
        status: 401,
        body: parseResponseBody(reply.text),
        httpMethod: call.method,
        path: call.path,
      });
    }
    if (call.schema === undefined) return undefined as T;
    const body = parseResponseBody(reply.text);
    const fail = (problem: string) =>
      new PhonePeResponseError({
        httpMethod: call.method,
        path: call.path,
        status: reply.status,
        body: call.redactBody === true ? '[redacted]' : body,
        problem,
      });
    if (typeof body !== 'object' || body === null)
      throw fail(reply.text === '' ? 'the body is empty' : 'the body is not a JSON object');
    // A body the schema would return as it is (the usual answer) is used as JSON.parse made it; any
    // other goes through the schema, which gives the value or the problem.
    if (unchangedBySchema(call.schema)(body)) return body as T;
    const result = call.schema.safeParse(body);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    throw fail(
      issue === undefined ? 'the body does not match' : `${issue.path.join('.') || '(body)'}: ${issue.message}`,
    );
  }
}
