/**
 * Kinds of {@link PhonePeClientEvent}: `request` before each HTTP attempt, `response` when an
 * attempt got any HTTP status, `error` when an attempt got no response (network error or
 * timeout), `token` when an OAuth token fetch finished (see `tokenOutcome`).
 */
export const PHONEPE_CLIENT_EVENT_TYPES = ['request', 'response', 'error', 'token'] as const;

/** One of {@link PHONEPE_CLIENT_EVENT_TYPES}. */
export type PhonePeClientEventType = (typeof PHONEPE_CLIENT_EVENT_TYPES)[number];

/**
 * What happened to a token fetch: `fetched` (a new token is cached), `kept-previous` (the fetch
 * failed but the previous token is still valid and stays in use), `failed` (no usable token).
 */
export type PhonePeTokenOutcome = 'fetched' | 'kept-previous' | 'failed';

/**
 * A metrics-friendly record of one step of a client call. It never carries a request or
 * response body, a token, a secret or an `Authorization` value.
 *
 * @example
 * new PhonePeClient({ ...credentials, onEvent: (e) => {
 *   if (e.type === 'response') histogram.observe({ path: e.path, status: e.status }, e.durationMs);
 * } });
 */
export interface PhonePeClientEvent {
  type: PhonePeClientEventType;
  /** The client method that caused it, e.g. `pay`, `getOrderStatus`, `token`. */
  operation: string;
  method: 'GET' | 'POST';
  /** The request path without host or query, e.g. `/checkout/v2/order/ord_1/status`. */
  path: string;
  /** HTTP status (only on `response` events). */
  status?: number;
  /** Time spent so far in ms: 0 on `request`, the attempt's duration on `response`/`error`, the whole fetch on `token`. */
  durationMs: number;
  /** 1-based attempt number of this HTTP call (retries and the 401 re-send count up). */
  attempt: number;
  /** The error's stable `code` on `error` events and failed `token` events. */
  errorCode?: string;
  /** Only on `token` events. */
  tokenOutcome?: PhonePeTokenOutcome;
}

/**
 * Receives {@link PhonePeClientEvent}s. It is called synchronously; a throwing listener is
 * logged (warn) and ignored so metrics code can never break a payment call.
 *
 * @example
 * const onEvent: PhonePeEventListener = (event) => metrics.push(event);
 */
export type PhonePeEventListener = (event: PhonePeClientEvent) => void;
