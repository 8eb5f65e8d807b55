import { isPhonePeError, PhonePeError } from './phonepe-error.js';

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
