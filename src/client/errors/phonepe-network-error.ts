import { PHONEPE_CLIENT_ERROR_CODES } from './error-codes.js';
import { isPhonePeError, PhonePeError } from './phonepe-error.js';

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
