import { isPhonePeError, PhonePeError } from './phonepe-error.js';

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
