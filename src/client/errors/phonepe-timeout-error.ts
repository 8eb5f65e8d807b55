import { PHONEPE_CLIENT_ERROR_CODES } from './error-codes.js';
import { isPhonePeError, PhonePeError } from './phonepe-error.js';

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
