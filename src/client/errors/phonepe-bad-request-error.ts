import { isPhonePeError, PhonePeError } from './phonepe-error.js';

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
