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
