import { isPhonePeError, PhonePeError } from './phonepe-error.js';

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
