import { isPhonePeConflictError } from '../errors/phonepe-conflict-error.js';
import { isPhonePeError, type PhonePeError } from '../errors/phonepe-error.js';
import { isPhonePeNetworkError } from '../errors/phonepe-network-error.js';
import { isPhonePeResponseError } from '../errors/phonepe-response-error.js';
import { isPhonePeServerError } from '../errors/phonepe-server-error.js';
import { isPhonePeTimeoutError } from '../errors/phonepe-timeout-error.js';

/**
 * How a failed creating call (order, mandate set-up, refund, notice, debit) is read:
 * - `refused`: nothing was done and nothing needs looking up — a 401/403 (not let in), a 429 (throttled),
 *   a request our own validation stopped before sending;
 * - `rejected`: PhonePe's explicit 4xx with its error code. It is a refusal only once PhonePe's status
 *   API confirms it has no such object: PhonePe's docs answer a reused merchantOrderId with a plain
 *   400 BAD_REQUEST too, which must not fail a payment an earlier call created;
 * - `ambiguous`: PhonePe may have acted — a timeout, a dropped connection, a 5xx or 408, a 2xx whose
 *   body could not be read, a 4xx without PhonePe's error body (a proxy's page): look it up;
 * - `duplicate`: PhonePe says the id was already used — an earlier call got through: look it up.
 */
export type CreatingFailureKind = 'refused' | 'rejected' | 'ambiguous' | 'duplicate';

// The answers PhonePe is reported to give for a reused merchantOrderId / merchantRefundId /
// merchantSubscriptionId; sources disagree on which (docs/phonepe-protocol.md#duplicate-ids), so any of
// them on a creating call means "already submitted". INVALID_MERCHANT_ORDER_ID means "no such order" on a
// status call, but on a create call it is one of the reported duplicate answers.
const DUPLICATE_CODES: ReadonlySet<string> = new Set([
  'INVALID_TRANSACTION_ID',
  'INVALID_MERCHANT_ORDER_ID',
  'ORDER_ALREADY_EXISTS',
  'DUPLICATE_REQUEST_ID',
]);

/**
 * Reads a creating call's failure (see {@link CreatingFailureKind}). Anything that is not a PhonePe
 * error (a bug) is `refused`, so it is rethrown unchanged.
 *
 * @example
 * classifyCreatingFailure(new PhonePeTimeoutError(...)); // 'ambiguous'
 */
export function classifyCreatingFailure(error: unknown): CreatingFailureKind {
  if (!isPhonePeError(error)) return 'refused';
  if (
    isPhonePeTimeoutError(error) ||
    isPhonePeNetworkError(error) ||
    isPhonePeServerError(error) ||
    isPhonePeResponseError(error)
  )
    return 'ambiguous';
  if (DUPLICATE_CODES.has(error.code) || isPhonePeConflictError(error)) return 'duplicate';
  if (error.status === 408 || isAnonymousClientError(error)) return 'ambiguous';
  const status = error.status;
  if (status !== undefined && status >= 400 && status < 500 && status !== 401 && status !== 403 && status !== 429)
    return 'rejected';
  return 'refused';
}

// A 4xx without PhonePe's error body (no `code`/`errorCode`: the code is then `HTTP_<status>`) did not
// come from PhonePe's API, or could not be read: it proves nothing about what PhonePe did. 401/403/429
// are refusals wherever they come from: nothing is done for a caller that was not let in or was throttled.
function isAnonymousClientError(error: PhonePeError): boolean {
  const status = error.status;
  if (status === undefined || status < 400 || status >= 500) return false;
  if (status === 401 || status === 403 || status === 429) return false;
  return error.code === `HTTP_${status}`;
}
