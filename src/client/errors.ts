import type { OrderStatus } from './responses.js';

/** What every {@link PhonePeError} is built from. */
export interface PhonePeErrorDetails {
  /** One sentence: what failed, which id, what to do next. Never a secret or token. */
  message: string;
  /** PhonePe's `errorCode || code`, `HTTP_<status>`, or one of `PHONEPE_CLIENT_ERROR_CODES`. */
  code: string;
  status?: number | undefined;
  phonePeMessage?: string | undefined;
  data?: unknown;
  retryable?: boolean | undefined;
  httpMethod?: string | undefined;
  path?: string | undefined;
  cause?: unknown;
}

// A registry-wide symbol, so `isPhonePeError` still works when the ESM and the CJS build of this
// package are both loaded in one process (two copies of the class, one brand).
const BRAND = Symbol.for('phonepe-billing.PhonePeError');

/**
 * The base of every error the client throws. Catch this to handle any PhonePe failure; use the
 * `is…` guards (e.g. {@link isPhonePeNotFoundError}) to tell them apart.
 *
 * @example
 * try { await client.getOrderStatus('ord_1'); }
 * catch (error) { if (isPhonePeError(error) && error.retryable) retryLater(); else throw error; }
 */
export class PhonePeError extends Error {
  override readonly name: string = 'PhonePeError';
  /** Stable code: PhonePe's `errorCode || code`, `HTTP_<status>`, or a `PHONEPE_CLIENT_ERROR_CODES` value. */
  readonly code: string;
  /** HTTP status PhonePe answered with, when there was a response. */
  readonly status: number | undefined;
  /** PhonePe's own `message` from the response body, verbatim. */
  readonly phonePeMessage: string | undefined;
  /** PhonePe's `context || data` from the response body. */
  readonly data: unknown;
  /** True when sending the same call again later may succeed (429, 5xx, network, timeout). */
  readonly retryable: boolean;
  /** `GET` or `POST`, when the error is about an HTTP call. */
  readonly httpMethod: string | undefined;
  /** Request path without host or query, when the error is about an HTTP call. */
  readonly path: string | undefined;

  constructor(details: PhonePeErrorDetails) {
    super(details.message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = details.code;
    this.status = details.status;
    this.phonePeMessage = details.phonePeMessage;
    this.data = details.data;
    this.retryable = details.retryable ?? false;
    this.httpMethod = details.httpMethod;
    this.path = details.path;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/**
 * True for any error thrown by `PhonePeClient` (every class in this family).
 *
 * @example
 * if (isPhonePeError(error)) logger.warn({ code: error.code, status: error.status }, error.message);
 */
export function isPhonePeError(error: unknown): error is PhonePeError {
  return error instanceof Error && (error as unknown as Record<symbol, unknown>)[BRAND] === true;
}

/**
 * Stable `code`s for failures that do not come from a PhonePe response body. Errors built from a
 * PhonePe response carry PhonePe's own `errorCode`/`code` instead (or `HTTP_<status>` when the
 * body has none).
 *
 * @example
 * if (error.code === PHONEPE_CLIENT_ERROR_CODES.timeout) scheduleStatusCheck();
 */
export const PHONEPE_CLIENT_ERROR_CODES = {
  invalidOptions: 'INVALID_OPTIONS',
  validation: 'VALIDATION_FAILED',
  network: 'NETWORK_ERROR',
  timeout: 'TIMEOUT',
  invalidResponse: 'INVALID_RESPONSE',
  outcomeUnknown: 'OUTCOME_UNKNOWN',
} as const;

/** One of the values of {@link PHONEPE_CLIENT_ERROR_CODES}. */
export type PhonePeClientErrorCode = (typeof PHONEPE_CLIENT_ERROR_CODES)[keyof typeof PHONEPE_CLIENT_ERROR_CODES];

/**
 * A request (or the client options) broke a rule PhonePe documents, so nothing was sent.
 * `field` is the dotted path of the offending field, e.g.
 * `paymentFlow.subscriptionDetails.maxAmount`; `operation` is the client method.
 *
 * @example
 * try { await client.pay(request); }
 * catch (error) { if (isPhonePeValidationError(error)) return badRequest(error.field, error.message); }
 */
export class PhonePeValidationError extends PhonePeError {
  override readonly name = 'PhonePeValidationError' as const;
  /** Dotted path of the field that failed, e.g. `metaInfo.udf11`; `''` for the whole object. */
  readonly field: string;
  /** The client method (`pay`, `refund`, `subscriptions.setup`, …) or `new PhonePeClient`. */
  readonly operation: string;

  constructor(details: { operation: string; field: string; problem: string; code?: string; message?: string }) {
    const where = details.field === '' ? 'the request' : details.field;
    super({
      message:
        details.message ??
        `PhonePe ${details.operation} was not sent: ${where} ${details.problem}. Fix it and call again.`,
      code: details.code ?? PHONEPE_CLIENT_ERROR_CODES.validation,
    });
    this.field = details.field;
    this.operation = details.operation;
  }
}

/** True when `error` is a {@link PhonePeValidationError}. */
export function isPhonePeValidationError(error: unknown): error is PhonePeValidationError {
  return isPhonePeError(error) && error.name === 'PhonePeValidationError';
}

/**
 * PhonePe refused the credentials or the token (HTTP 401/403, or code `AUTHORIZATION_FAILED`). The client already refreshed the token and re-sent the call once; seeing this means clientId, clientSecret, clientVersion or the environment is wrong.
 *
 * @example
 * if (isPhonePeAuthenticationError(error)) alertOps('check PhonePe credentials');
 */
export class PhonePeAuthenticationError extends PhonePeError {
  override readonly name = 'PhonePeAuthenticationError' as const;
}

/** True when `error` is a {@link PhonePeAuthenticationError}. */
export function isPhonePeAuthenticationError(error: unknown): error is PhonePeAuthenticationError {
  return isPhonePeError(error) && error.name === 'PhonePeAuthenticationError';
}

/**
 * PhonePe rejected the request as invalid (HTTP 400/422, or a limit such as `TRANSACTION_LIMIT_EXCEEDED`). Definitive: sending it again unchanged fails the same way.
 *
 * @example
 * if (isPhonePeBadRequestError(error)) return { status: 'error', message: error.phonePeMessage };
 */
export class PhonePeBadRequestError extends PhonePeError {
  override readonly name = 'PhonePeBadRequestError' as const;
}

/** True when `error` is a {@link PhonePeBadRequestError}. */
export function isPhonePeBadRequestError(error: unknown): error is PhonePeBadRequestError {
  return isPhonePeError(error) && error.name === 'PhonePeBadRequestError';
}

/**
 * PhonePe has no such order, refund, transaction or subscription (HTTP 404/410, or code `INVALID_MERCHANT_ORDER_ID` whatever the status).
 *
 * @example
 * if (isPhonePeNotFoundError(error)) return null; // order never reached PhonePe
 */
export class PhonePeNotFoundError extends PhonePeError {
  override readonly name = 'PhonePeNotFoundError' as const;
}

/** True when `error` is a {@link PhonePeNotFoundError}. */
export function isPhonePeNotFoundError(error: unknown): error is PhonePeNotFoundError {
  return isPhonePeError(error) && error.name === 'PhonePeNotFoundError';
}

/**
 * The merchant id was already used or the request clashes with the current state (HTTP 409/417, e.g. code `INVALID_TRANSACTION_ID` for a reused merchantOrderId, docs/phonepe-protocol.md#duplicate-ids). On a creating call the client looks the object up instead of throwing it; elsewhere, use a new id or read the existing one's status.
 *
 * @example
 * if (isPhonePeConflictError(error)) return client.getOrderStatus(merchantOrderId);
 */
export class PhonePeConflictError extends PhonePeError {
  override readonly name = 'PhonePeConflictError' as const;
}

/** True when `error` is a {@link PhonePeConflictError}. */
export function isPhonePeConflictError(error: unknown): error is PhonePeConflictError {
  return isPhonePeError(error) && error.name === 'PhonePeConflictError';
}

/**
 * PhonePe answered 429 Too Many Requests. Status calls were already retried (honouring
 * `Retry-After`); creating calls are not re-sent automatically. `retryAfterMs` is PhonePe's
 * `Retry-After` in milliseconds when it sent one.
 *
 * @example
 * if (isPhonePeRateLimitError(error)) await sleep(error.retryAfterMs ?? 1000);
 */
export class PhonePeRateLimitError extends PhonePeError {
  override readonly name = 'PhonePeRateLimitError' as const;
  /** PhonePe's `Retry-After`, in ms, if present and parseable. */
  readonly retryAfterMs: number | undefined;

  constructor(details: PhonePeErrorDetails & { retryAfterMs?: number | undefined }) {
    super({ ...details, retryable: true });
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** True when `error` is a {@link PhonePeRateLimitError}. */
export function isPhonePeRateLimitError(error: unknown): error is PhonePeRateLimitError {
  return isPhonePeError(error) && error.name === 'PhonePeRateLimitError';
}

/**
 * PhonePe failed (HTTP 5xx). Status calls were already retried; a creating call (pay, refund, …) was followed by a status check instead, see PhonePeOutcomeUnknownError. `retryable` is true.
 *
 * @example
 * if (isPhonePeServerError(error)) queueForLater();
 */
export class PhonePeServerError extends PhonePeError {
  override readonly name = 'PhonePeServerError' as const;
}

/** True when `error` is a {@link PhonePeServerError}. */
export function isPhonePeServerError(error: unknown): error is PhonePeServerError {
  return isPhonePeError(error) && error.name === 'PhonePeServerError';
}

/**
 * The request got no HTTP response (DNS, connection refused or reset, TLS…). The message names
 * the method and path; the underlying fetch error is `cause`. `retryable` is true.
 *
 * @example
 * if (isPhonePeNetworkError(error)) logger.warn({ path: error.path }, error.message);
 */
export class PhonePeNetworkError extends PhonePeError {
  override readonly name = 'PhonePeNetworkError' as const;

  constructor(details: { httpMethod: string; path: string; cause: unknown }) {
    const reason = details.cause instanceof Error ? ` (${details.cause.message})` : '';
    super({
      message: `PhonePe request failed with a network error: ${details.httpMethod} ${details.path}${reason}; check connectivity to PhonePe and try again.`,
      code: PHONEPE_CLIENT_ERROR_CODES.network,
      retryable: true,
      httpMethod: details.httpMethod,
      path: details.path,
      cause: details.cause,
    });
  }
}

/** True when `error` is a {@link PhonePeNetworkError}. */
export function isPhonePeNetworkError(error: unknown): error is PhonePeNetworkError {
  return isPhonePeError(error) && error.name === 'PhonePeNetworkError';
}

/**
 * One attempt took longer than `timeoutMs`. The message names the method and path, e.g.
 * `PhonePe request timed out after 30000 ms: GET /checkout/v2/order/ord_1/status`.
 * `retryable` is true.
 *
 * @example
 * if (isPhonePeTimeoutError(error)) metrics.increment('phonepe.timeout', { path: error.path });
 */
export class PhonePeTimeoutError extends PhonePeError {
  override readonly name = 'PhonePeTimeoutError' as const;
  /** The per-attempt limit that was exceeded. */
  readonly timeoutMs: number;

  constructor(details: { httpMethod: string; path: string; timeoutMs: number; cause?: unknown }) {
    super({
      message: `PhonePe request timed out after ${details.timeoutMs} ms: ${details.httpMethod} ${details.path}; try again later or raise timeoutMs.`,
      code: PHONEPE_CLIENT_ERROR_CODES.timeout,
      retryable: true,
      httpMethod: details.httpMethod,
      path: details.path,
      cause: details.cause,
    });
    this.timeoutMs = details.timeoutMs;
  }
}

/** True when `error` is a {@link PhonePeTimeoutError}. */
export function isPhonePeTimeoutError(error: unknown): error is PhonePeTimeoutError {
  return isPhonePeError(error) && error.name === 'PhonePeTimeoutError';
}

/**
 * PhonePe answered with a success status but a body that is not the documented shape (not
 * JSON, or a required field missing or of the wrong type). `body` holds what arrived (parsed
 * JSON when it was JSON, else the raw text) so it can be inspected; `problem` says which field.
 * The OAuth token response is never attached (it would carry a token).
 *
 * @example
 * if (isPhonePeResponseError(error)) logger.error({ path: error.path, problem: error.problem }, error.message);
 */
export class PhonePeResponseError extends PhonePeError {
  override readonly name = 'PhonePeResponseError' as const;
  /** The response body as received (JSON value or raw text). */
  readonly body: unknown;
  /** What did not match, e.g. `orderId: Invalid input: expected string, received number`. */
  readonly problem: string;

  constructor(details: { httpMethod: string; path: string; status: number; body: unknown; problem: string }) {
    super({
      message: `PhonePe sent an unexpected response body to ${details.httpMethod} ${details.path} (HTTP ${details.status}): ${details.problem}; the call may have succeeded, so check its status before repeating it.`,
      code: PHONEPE_CLIENT_ERROR_CODES.invalidResponse,
      status: details.status,
      httpMethod: details.httpMethod,
      path: details.path,
    });
    this.body = details.body;
    this.problem = details.problem;
  }
}

/** True when `error` is a {@link PhonePeResponseError}. */
export function isPhonePeResponseError(error: unknown): error is PhonePeResponseError {
  return isPhonePeError(error) && error.name === 'PhonePeResponseError';
}

/**
 * The client methods that create something at PhonePe and are therefore never re-sent blindly.
 */
export type PhonePeCreatingOperation =
  | 'pay'
  | 'createSdkOrder'
  | 'refund'
  | 'subscriptions.setup'
  | 'subscriptions.notifyRedemption'
  | 'subscriptions.executeRedemption';

/** What a {@link PhonePeOutcomeUnknownError} is built from. */
export interface PhonePeOutcomeUnknownDetails {
  message: string;
  operation: PhonePeCreatingOperation;
  merchantOrderId?: string | undefined;
  merchantRefundId?: string | undefined;
  created: boolean | null;
  existing?: OrderStatus | undefined;
  /** The creating call's own failure (timeout, network error, 5xx, unreadable answer, duplicate id). */
  cause: unknown;
  statusCheckError?: unknown;
}

/**
 * A creating call (pay, createSdkOrder, refund, subscriptions.setup/notifyRedemption/
 * executeRedemption) failed without PhonePe's explicit refusal — a timeout, a dropped connection, a
 * 5xx, an answer that could not be read, or "this id was already used" — and the client asked the
 * matching status endpoint what happened instead of re-sending it. `created` says what it learnt:
 *
 * - `true`: PhonePe has the order (`existing` is its status) but the answer — the payment URL or
 *   SDK token — was lost. Create a new order with a new merchantOrderId.
 * - `false`: PhonePe has no record of it. Retrying with the same id is safe (`retryable` is true).
 * - `null`: the status check failed too (`statusCheckError`); check the status later before retrying.
 *
 * @example
 * catch (error) {
 *   if (isPhonePeOutcomeUnknownError(error) && error.created === false) return client.pay(request);
 * }
 */
export class PhonePeOutcomeUnknownError extends PhonePeError {
  override readonly name = 'PhonePeOutcomeUnknownError' as const;
  readonly operation: PhonePeCreatingOperation;
  readonly merchantOrderId: string | undefined;
  readonly merchantRefundId: string | undefined;
  /** `true` it exists at PhonePe, `false` it does not, `null` unknown. */
  readonly created: boolean | null;
  /** The order status PhonePe reported, when `created` is true (or the order exists without an attempt). */
  readonly existing: OrderStatus | undefined;
  /** Why the status check itself failed, when `created` is null. */
  readonly statusCheckError: unknown;

  constructor(details: PhonePeOutcomeUnknownDetails) {
    const failure = isPhonePeError(details.cause) ? details.cause : undefined;
    super({
      message: details.message,
      code: PHONEPE_CLIENT_ERROR_CODES.outcomeUnknown,
      status: failure?.status,
      retryable: details.created === false,
      httpMethod: failure?.httpMethod,
      path: failure?.path,
      cause: details.cause,
    });
    this.operation = details.operation;
    this.merchantOrderId = details.merchantOrderId;
    this.merchantRefundId = details.merchantRefundId;
    this.created = details.created;
    this.existing = details.existing;
    this.statusCheckError = details.statusCheckError;
  }
}

/** True when `error` is a {@link PhonePeOutcomeUnknownError}. */
export function isPhonePeOutcomeUnknownError(error: unknown): error is PhonePeOutcomeUnknownError {
  return isPhonePeError(error) && error.name === 'PhonePeOutcomeUnknownError';
}

/** A non-2xx answer from PhonePe, as the transport saw it. */
export interface PhonePeErrorResponse {
  status: number;
  /** The body parsed as JSON when possible, else the raw text (or undefined when empty). */
  body: unknown;
  httpMethod: string;
  path: string;
  retryAfterMs?: number | undefined;
}

type ErrorClass = new (details: PhonePeErrorDetails) => PhonePeError;

// Codes that decide the class whatever the 4xx status (docs/phonepe-protocol.md#order-status, #errors): PhonePe's status
// for these is not pinned down, the code is.
const CLASS_BY_CODE: Readonly<Record<string, ErrorClass>> = {
  INVALID_MERCHANT_ORDER_ID: PhonePeNotFoundError,
  // PhonePe's own Node SDK tests answer an unknown order / transaction id with these, over a 400.
  MERCHANT_ORDER_MAPPING_NOT_FOUND: PhonePeNotFoundError,
  MAPPING_NOT_FOUND: PhonePeNotFoundError,
  SUBSCRIPTION_NOT_FOUND: PhonePeNotFoundError,
  // PhonePe's Go SDK tests (with a 404); listed as not-found whatever the status in docs/phonepe-protocol.md#errors.
  ORDER_NOT_FOUND: PhonePeNotFoundError,
  REFUND_NOT_FOUND: PhonePeNotFoundError,
  AUTHORIZATION_FAILED: PhonePeAuthenticationError,
  INVALID_TRANSACTION_ID: PhonePeConflictError,
  DUPLICATE_REQUEST_ID: PhonePeConflictError,
  TRANSACTION_LIMIT_EXCEEDED: PhonePeBadRequestError,
  BAD_REQUEST: PhonePeBadRequestError,
};

// The HTTP map every PhonePe SDK uses (docs/phonepe-protocol.md#errors), folded into fewer classes.
const CLASS_BY_STATUS: Readonly<Record<number, ErrorClass>> = {
  400: PhonePeBadRequestError,
  401: PhonePeAuthenticationError,
  403: PhonePeAuthenticationError,
  404: PhonePeNotFoundError,
  409: PhonePeConflictError,
  410: PhonePeNotFoundError,
  417: PhonePeConflictError,
  422: PhonePeBadRequestError,
};

const NEXT_STEP = new Map<ErrorClass, string>([
  [PhonePeBadRequestError, 'Fix the request; sending it unchanged will fail the same way.'],
  [PhonePeAuthenticationError, 'Check clientId, clientSecret, clientVersion and env.'],
  [PhonePeNotFoundError, 'Check the id and the environment (SANDBOX or PRODUCTION).'],
  [PhonePeConflictError, 'Use a new merchant id, or read the status of the existing one.'],
  [PhonePeServerError, 'PhonePe is failing; try again later.'],
]);

/**
 * Turns a non-2xx PhonePe answer into the matching error class: the body's `errorCode || code`
 * first (for 4xx), then the HTTP status. Reads `errorCode || code` and `context || data` as
 * PhonePe's SDKs do (docs/phonepe-protocol.md#errors).
 *
 * @example
 * errorFromResponse({ status: 404, body: { code: 'INVALID_MERCHANT_ORDER_ID' }, httpMethod: 'GET', path: '/x' });
 * // -> PhonePeNotFoundError
 */
export function errorFromResponse(response: PhonePeErrorResponse): PhonePeError {
  const fields = readErrorBody(response.body);
  const code = fields.code ?? `HTTP_${response.status}`;
  const details: PhonePeErrorDetails = {
    message: '',
    code,
    status: response.status,
    phonePeMessage: fields.message,
    data: fields.data,
    retryable: response.status === 429 || response.status >= 500,
    httpMethod: response.httpMethod,
    path: response.path,
  };
  const heard = `PhonePe answered ${response.status} ${code} to ${response.httpMethod} ${response.path}`;
  const said = fields.message === undefined ? '' : `: ${truncate(fields.message)}`;
  if (response.status === 429) {
    const wait = response.retryAfterMs === undefined ? 'later' : `after ${response.retryAfterMs} ms`;
    return new PhonePeRateLimitError({
      ...details,
      message: `${heard}${said}. Slow down and try again ${wait}.`,
      retryAfterMs: response.retryAfterMs,
    });
  }
  const errorClass = pickClass(response.status, fields.code);
  const next = NEXT_STEP.get(errorClass);
  return new errorClass({ ...details, message: `${heard}${said}.${next === undefined ? '' : ` ${next}`}` });
}

function pickClass(status: number, code: string | undefined): ErrorClass {
  if (status >= 500) return PhonePeServerError;
  const byCode = code === undefined ? undefined : CLASS_BY_CODE[code];
  return byCode ?? CLASS_BY_STATUS[status] ?? PhonePeError;
}

function readErrorBody(body: unknown): { code?: string; message?: string; data?: unknown } {
  if (typeof body !== 'object' || body === null) return {};
  const record = body as Record<string, unknown>;
  const code = nonEmptyString(record.errorCode) ?? nonEmptyString(record.code);
  const message = nonEmptyString(record.message);
  const data = record.context ?? record.data;
  return {
    ...(code === undefined ? {} : { code }),
    ...(message === undefined ? {} : { message }),
    ...(data === undefined ? {} : { data }),
  };
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

// PhonePe's message is embedded in our sentence: keep it short and drop its final full stop.
function truncate(text: string): string {
  const trimmed = text.replace(/[.\s]+$/, '');
  return trimmed.length > 300 ? `${trimmed.slice(0, 300)}…` : trimmed;
}
