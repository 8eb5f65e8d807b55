import { brandError, hasErrorBrand } from '../common/error-brand.js';

const FAMILY = 'RazorpayError';

/**
 * Razorpay's error body: `{ "error": { code, description, source, step, reason, metadata, field } }`
 * (docs/razorpay.md#errors). Every field is optional here: a proxy's page or a truncated body has none.
 *
 * @example
 * const body: RazorpayErrorBody = { code: 'BAD_REQUEST_ERROR', description: 'The amount must be at least INR 1.00' };
 */
export interface RazorpayErrorBody {
  code?: string;
  description?: string;
  source?: string;
  step?: string;
  reason?: string;
  field?: string;
  metadata?: unknown;
}

/** What every {@link RazorpayError} is built from. */
export interface RazorpayErrorDetails {
  /** One sentence: what failed, which id, what to do next. Never a secret. */
  message: string;
  /** Razorpay's `error.code`, `HTTP_<status>`, or one of {@link RAZORPAY_CLIENT_ERROR_CODES}. */
  code: string;
  status?: number | undefined;
  /** Razorpay's error body, when it sent one. */
  razorpay?: RazorpayErrorBody | undefined;
  retryable?: boolean | undefined;
  httpMethod?: string | undefined;
  path?: string | undefined;
  cause?: unknown;
}

/**
 * Stable `code`s of failures that do not come from a Razorpay error body.
 *
 * @example
 * if (error.code === RAZORPAY_CLIENT_ERROR_CODES.outcomeUnknown) reconcileLater();
 */
export const RAZORPAY_CLIENT_ERROR_CODES = {
  validation: 'VALIDATION_FAILED',
  network: 'NETWORK_ERROR',
  timeout: 'TIMEOUT',
  invalidResponse: 'INVALID_RESPONSE',
  outcomeUnknown: 'OUTCOME_UNKNOWN',
} as const;

/**
 * The base of every error `RazorpayClient` throws. Use the `is…` guards (branded, so they hold across
 * two copies of the library) to tell them apart.
 *
 * @example
 * try { await razorpay.getOrder('order_1'); }
 * catch (error) { if (isRazorpayError(error) && error.retryable) retryLater(); else throw error; }
 */
export class RazorpayError extends Error {
  override readonly name: string = 'RazorpayError';
  /** Razorpay's `error.code` (`BAD_REQUEST_ERROR`, `GATEWAY_ERROR`, `SERVER_ERROR`), `HTTP_<status>`, or a client code. */
  readonly code: string;
  /** The HTTP status Razorpay answered with, when there was an answer. */
  readonly status: number | undefined;
  /** Razorpay's error body (`description`, `field`, `reason`, …), verbatim. */
  readonly razorpay: RazorpayErrorBody | undefined;
  /** True when the same call may succeed later (429, 5xx, network, timeout). */
  readonly retryable: boolean;
  /** The HTTP method, when the error is about a call. */
  readonly httpMethod: string | undefined;
  /** The path without host or query, when the error is about a call. */
  readonly path: string | undefined;

  constructor(details: RazorpayErrorDetails) {
    super(details.message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = details.code;
    this.status = details.status;
    this.razorpay = details.razorpay;
    this.retryable = details.retryable ?? false;
    this.httpMethod = details.httpMethod;
    this.path = details.path;
    brandError(this, FAMILY);
  }
}

/**
 * True for any error of the {@link RazorpayError} family (from either build of the package).
 *
 * @example
 * if (isRazorpayError(error)) logger.warn({ code: error.code, status: error.status }, error.message);
 */
export function isRazorpayError(error: unknown): error is RazorpayError {
  return hasErrorBrand(error, FAMILY);
}

const isNamed = (error: unknown, name: string) => isRazorpayError(error) && error.name === name;

/**
 * A request broke a rule checked before sending (an amount that is not a positive integer of paise, an
 * empty id): nothing was sent.
 *
 * @example
 * if (isRazorpayValidationError(error)) return badRequest(error.field, error.message);
 */
export class RazorpayValidationError extends RazorpayError {
  override readonly name = 'RazorpayValidationError' as const;
  /** The offending input field, e.g. `amount`. */
  readonly field: string;
  /** The client method. */
  readonly operation: string;

  constructor(details: { operation: string; field: string; problem: string }) {
    super({
      message: `Razorpay ${details.operation} was not sent: ${details.field} ${details.problem}. Fix it and call again.`,
      code: RAZORPAY_CLIENT_ERROR_CODES.validation,
    });
    this.field = details.field;
    this.operation = details.operation;
  }
}

/** True when `error` is a {@link RazorpayValidationError}. */
export function isRazorpayValidationError(error: unknown): error is RazorpayValidationError {
  return isNamed(error, 'RazorpayValidationError');
}

/**
 * Razorpay refused the request as invalid (a 4xx with its error body, `BAD_REQUEST_ERROR` mostly).
 * Definitive: nothing was done, and the same request fails the same way.
 *
 * @example
 * if (isRazorpayBadRequestError(error)) return { field: error.razorpay?.field, message: error.razorpay?.description };
 */
export class RazorpayBadRequestError extends RazorpayError {
  override readonly name = 'RazorpayBadRequestError' as const;
}

/** True when `error` is a {@link RazorpayBadRequestError}. */
export function isRazorpayBadRequestError(error: unknown): error is RazorpayBadRequestError {
  return isNamed(error, 'RazorpayBadRequestError');
}

/**
 * Razorpay refused the key id and secret (HTTP 401/403): check `keyId`, `keySecret` and test/live mode.
 *
 * @example
 * if (isRazorpayAuthenticationError(error)) alertOps('check the Razorpay API keys');
 */
export class RazorpayAuthenticationError extends RazorpayError {
  override readonly name = 'RazorpayAuthenticationError' as const;
}

/** True when `error` is a {@link RazorpayAuthenticationError}. */
export function isRazorpayAuthenticationError(error: unknown): error is RazorpayAuthenticationError {
  return isNamed(error, 'RazorpayAuthenticationError');
}

/**
 * Razorpay has no such object: HTTP 404, or the 400 `BAD_REQUEST_ERROR` "The id provided does not exist"
 * with which Razorpay answers an unknown id.
 *
 * @example
 * if (isRazorpayNotFoundError(error)) return null;
 */
export class RazorpayNotFoundError extends RazorpayError {
  override readonly name = 'RazorpayNotFoundError' as const;
}

/** True when `error` is a {@link RazorpayNotFoundError}. */
export function isRazorpayNotFoundError(error: unknown): error is RazorpayNotFoundError {
  return isNamed(error, 'RazorpayNotFoundError');
}

/**
 * Razorpay throttled the call (HTTP 429). Reads were already retried; creating calls are not re-sent.
 *
 * @example
 * if (isRazorpayRateLimitError(error)) await sleep(error.retryAfterMs ?? 1000);
 */
export class RazorpayRateLimitError extends RazorpayError {
  override readonly name = 'RazorpayRateLimitError' as const;
  /** Razorpay's `Retry-After`, in ms, when it sent one. */
  readonly retryAfterMs: number | undefined;

  constructor(details: RazorpayErrorDetails & { retryAfterMs?: number | undefined }) {
    super({ ...details, retryable: true });
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** True when `error` is a {@link RazorpayRateLimitError}. */
export function isRazorpayRateLimitError(error: unknown): error is RazorpayRateLimitError {
  return isNamed(error, 'RazorpayRateLimitError');
}

/**
 * Razorpay answered 5xx (or 408). On a creating call the client looked the object up before throwing
 * anything; elsewhere, try again later.
 *
 * @example
 * if (isRazorpayServerError(error)) scheduleRetry();
 */
export class RazorpayServerError extends RazorpayError {
  override readonly name = 'RazorpayServerError' as const;

  constructor(details: RazorpayErrorDetails) {
    super({ ...details, retryable: true });
  }
}

/** True when `error` is a {@link RazorpayServerError}. */
export function isRazorpayServerError(error: unknown): error is RazorpayServerError {
  return isNamed(error, 'RazorpayServerError');
}

/**
 * The connection failed or dropped before an answer arrived; Razorpay may or may not have received the call.
 *
 * @example
 * if (isRazorpayNetworkError(error)) logger.warn({ path: error.path }, error.message);
 */
export class RazorpayNetworkError extends RazorpayError {
  override readonly name = 'RazorpayNetworkError' as const;

  constructor(details: { httpMethod: string; path: string; cause: unknown }) {
    const reason = details.cause instanceof Error ? ` (${details.cause.message})` : '';
    super({
      message: `Razorpay request failed with a network error: ${details.httpMethod} ${details.path}${reason}; check connectivity to Razorpay and try again.`,
      code: RAZORPAY_CLIENT_ERROR_CODES.network,
      retryable: true,
      httpMethod: details.httpMethod,
      path: details.path,
      cause: details.cause,
    });
  }
}

/** True when `error` is a {@link RazorpayNetworkError}. */
export function isRazorpayNetworkError(error: unknown): error is RazorpayNetworkError {
  return isNamed(error, 'RazorpayNetworkError');
}

/**
 * One attempt took longer than `timeoutMs`; Razorpay may have acted on it.
 *
 * @example
 * if (isRazorpayTimeoutError(error)) metrics.increment('razorpay.timeout');
 */
export class RazorpayTimeoutError extends RazorpayError {
  override readonly name = 'RazorpayTimeoutError' as const;
  /** The limit that was exceeded, in ms. */
  readonly timeoutMs: number;

  constructor(details: { httpMethod: string; path: string; timeoutMs: number; cause: unknown }) {
    super({
      message: `Razorpay request timed out after ${details.timeoutMs} ms: ${details.httpMethod} ${details.path}; try again later.`,
      code: RAZORPAY_CLIENT_ERROR_CODES.timeout,
      retryable: true,
      httpMethod: details.httpMethod,
      path: details.path,
      cause: details.cause,
    });
    this.timeoutMs = details.timeoutMs;
  }
}

/** True when `error` is a {@link RazorpayTimeoutError}. */
export function isRazorpayTimeoutError(error: unknown): error is RazorpayTimeoutError {
  return isNamed(error, 'RazorpayTimeoutError');
}

/**
 * A 2xx answer could not be read: not JSON, truncated, or missing a field the client relies on.
 * `problem` says what; `body` is what arrived.
 *
 * @example
 * if (isRazorpayResponseError(error)) logger.error({ problem: error.problem }, error.message);
 */
export class RazorpayResponseError extends RazorpayError {
  override readonly name = 'RazorpayResponseError' as const;
  /** What was wrong, e.g. `amount: expected int`. */
  readonly problem: string;
  /** The body as received (parsed JSON when it parsed, else the text). */
  readonly body: unknown;

  constructor(details: { httpMethod: string; path: string; status: number; body: unknown; problem: string }) {
    super({
      message: `Razorpay answered ${details.httpMethod} ${details.path} with HTTP ${details.status} but the body could not be read (${details.problem}).`,
      code: RAZORPAY_CLIENT_ERROR_CODES.invalidResponse,
      status: details.status,
      retryable: true,
      httpMethod: details.httpMethod,
      path: details.path,
    });
    this.problem = details.problem;
    this.body = details.body;
  }
}

/** True when `error` is a {@link RazorpayResponseError}. */
export function isRazorpayResponseError(error: unknown): error is RazorpayResponseError {
  return isNamed(error, 'RazorpayResponseError');
}

/** The creating calls of `RazorpayClient`, as named in {@link RazorpayOutcomeUnknownError}. */
export type RazorpayCreatingOperation = 'createOrder' | 'createRefund' | 'createCustomer' | 'createRecurringPayment';

/**
 * A creating call (order, refund, customer, recurring payment) failed in a way that does not say whether
 * Razorpay acted — timeout, dropped connection, 5xx, unreadable 2xx — and the lookup that followed could
 * not settle it. It may have happened: do not create it again blindly; look it up later by `reference`.
 * `created` is `false` when the lookup found nothing (a retry with the same reference is then safe), `null`
 * when the lookup itself failed.
 *
 * @example
 * if (isRazorpayOutcomeUnknownError(error)) await queue.reconcileLater(error.operation, error.reference);
 */
export class RazorpayOutcomeUnknownError extends RazorpayError {
  override readonly name = 'RazorpayOutcomeUnknownError' as const;
  /** The creating call. */
  readonly operation: RazorpayCreatingOperation;
  /** What the object is looked up by: the order or refund receipt, the customer's contact/email, the order id of a recurring payment. */
  readonly reference: string;
  /** `false`: the lookup found nothing; `null`: the lookup failed, so nothing is known. */
  readonly created: false | null;
  /** The lookup's own failure, when it failed. */
  readonly lookupError: unknown;

  constructor(details: {
    message: string;
    operation: RazorpayCreatingOperation;
    reference: string;
    created: false | null;
    cause: RazorpayError;
    lookupError?: unknown;
  }) {
    super({
      message: details.message,
      code: RAZORPAY_CLIENT_ERROR_CODES.outcomeUnknown,
      status: details.cause.status,
      retryable: false,
      httpMethod: details.cause.httpMethod,
      path: details.cause.path,
      cause: details.cause,
    });
    this.operation = details.operation;
    this.reference = details.reference;
    this.created = details.created;
    this.lookupError = details.lookupError;
  }
}

/** True when `error` is a {@link RazorpayOutcomeUnknownError}. */
export function isRazorpayOutcomeUnknownError(error: unknown): error is RazorpayOutcomeUnknownError {
  return isNamed(error, 'RazorpayOutcomeUnknownError');
}

/**
 * Turns a non-2xx answer into its class. A 4xx carries Razorpay's error body when Razorpay sent it;
 * `razorpay` is undefined otherwise (a proxy's page), which the creating calls read as "unknown".
 *
 * @example
 * razorpayErrorFromResponse({ status: 400, body: { error: { code: 'BAD_REQUEST_ERROR' } }, httpMethod: 'POST', path: '/orders' });
 */
export function razorpayErrorFromResponse(response: {
  status: number;
  body: unknown;
  httpMethod: string;
  path: string;
  retryAfterMs?: number | undefined;
}): RazorpayError {
  const razorpay = readErrorBody(response.body);
  const { status, httpMethod, path } = response;
  const code = razorpay?.code ?? `HTTP_${status}`;
  const said = razorpay?.description === undefined ? '' : `: ${razorpay.description}`;
  const base = { code, status, razorpay, httpMethod, path };
  const where = `${httpMethod} ${path}`;
  if (status === 401 || status === 403)
    return new RazorpayAuthenticationError({
      ...base,
      message: `Razorpay refused the API keys (HTTP ${status}) for ${where}${said}; check keyId, keySecret and test/live mode.`,
    });
  // Razorpay answers an unknown id with a 400 BAD_REQUEST_ERROR, not a 404 (docs/razorpay.md#errors).
  if (status === 404 || (status === 400 && razorpay?.description === UNKNOWN_ID))
    return new RazorpayNotFoundError({
      ...base,
      message: `Razorpay has no such object: ${where} (HTTP ${status})${said}.`,
    });
  if (status === 429)
    return new RazorpayRateLimitError({
      ...base,
      retryAfterMs: response.retryAfterMs,
      message: `Razorpay throttled ${where} (HTTP 429)${said}; slow down and try again later.`,
    });
  if (status >= 500 || status === 408)
    return new RazorpayServerError({
      ...base,
      message: `Razorpay failed to answer ${where} (HTTP ${status})${said}; try again later.`,
    });
  return new RazorpayBadRequestError({
    ...base,
    message: `Razorpay refused ${where} (HTTP ${status}, ${code})${said}.`,
  });
}

const UNKNOWN_ID = 'The id provided does not exist';

function readErrorBody(body: unknown): RazorpayErrorBody | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return undefined;
  const record = error as Record<string, unknown>;
  if (typeof record.code !== 'string') return undefined;
  const text = (key: string) => (typeof record[key] === 'string' ? { [key]: record[key] as string } : {});
  return {
    code: record.code,
    ...text('description'),
    ...text('source'),
    ...text('step'),
    ...text('reason'),
    ...text('field'),
    ...(record.metadata === undefined ? {} : { metadata: record.metadata }),
  };
}
