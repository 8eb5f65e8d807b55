import { isPhonePeNotFoundError } from '../errors/phonepe-not-found-error.js';
import { isPhonePeError, type PhonePeError } from '../errors/phonepe-error.js';
import { isPhonePeNetworkError } from '../errors/phonepe-network-error.js';
import {
  type PhonePeCreatingOperation,
  PhonePeOutcomeUnknownError,
} from '../errors/phonepe-outcome-unknown-error.js';
import { isPhonePeServerError } from '../errors/phonepe-server-error.js';
import { isPhonePeTimeoutError } from '../errors/phonepe-timeout-error.js';
import type { ClientTelemetry } from '../transport/client-telemetry.js';

/** The id a creating call is known by, for messages and for the error's fields. */
export type CreatingId = { merchantOrderId: string } | { merchantRefundId: string };

/** How to find out what became of a creating call whose answer was lost. */
export interface OutcomeCheck<S, T> {
  operation: PhonePeCreatingOperation;
  id: CreatingId;
  /** The status method a caller can use later, named in the "unknown" message. */
  statusMethod: string;
  /** The matching status call (retried like every status call). */
  lookup: () => Promise<S>;
  /** What the status means: return the call's result, or throw (see outcomeUnknown). */
  decide: (status: S, failure: PhonePeError) => T;
}

/**
 * Timeouts, network errors and 5xx leave the outcome open: PhonePe may have acted. Every other
 * failure (4xx, a malformed 2xx) is PhonePe's definitive answer.
 */
export function isAmbiguousFailure(error: unknown): error is PhonePeError {
  return isPhonePeTimeoutError(error) || isPhonePeNetworkError(error) || isPhonePeServerError(error);
}

/**
 * Runs a creating POST once — never re-sent blindly, since PhonePe may already have acted —
 * and after an ambiguous failure asks the matching status endpoint instead:
 * found → `check.decide`; not found → PhonePeOutcomeUnknownError `created: false` (safe to retry
 * with the same id); status call failed → `created: null`.
 */
export async function sendCreating<S, T>(send: () => Promise<T>, check: OutcomeCheck<S, T>, telemetry: ClientTelemetry): Promise<T> {
  try {
    return await send();
  } catch (failure) {
    if (!isAmbiguousFailure(failure)) throw failure;
    telemetry.logger.warn({ operation: check.operation, ...check.id, code: failure.code }, 'PhonePe creating call failed in transit; asking the status endpoint');
    let status: S;
    try {
      status = await check.lookup();
    } catch (lookupError) {
      if (isPhonePeNotFoundError(lookupError)) {
        throw outcomeUnknown(check, failure, { created: false, tail: `PhonePe has no record of it; it is safe to retry with the same ${idName(check.id)}.` });
      }
      const code = isPhonePeError(lookupError) ? lookupError.code : 'UNKNOWN';
      throw outcomeUnknown(check, failure, {
        created: null,
        statusCheckError: lookupError,
        tail: `the status check failed too (${code}), so the outcome is unknown; call ${check.statusMethod} later before retrying.`,
      });
    }
    return check.decide(status, failure);
  }
}

/** Builds the PhonePeOutcomeUnknownError for `check`, with `tail` saying what is known and what to do. */
export function outcomeUnknown<S, T>(
  check: OutcomeCheck<S, T>,
  failure: PhonePeError,
  what: { created: boolean | null; tail: string; existing?: PhonePeOutcomeUnknownError['existing']; statusCheckError?: unknown },
): PhonePeOutcomeUnknownError {
  const subject = `PhonePe ${check.operation} for ${idName(check.id)} "${idValue(check.id)}"`;
  return new PhonePeOutcomeUnknownError({
    message: `${subject} failed in transit (${failure.code}) and ${what.tail}`,
    operation: check.operation,
    ...check.id,
    created: what.created,
    existing: what.existing,
    cause: failure,
    statusCheckError: what.statusCheckError,
  });
}

function idName(id: CreatingId): string {
  return 'merchantOrderId' in id ? 'merchantOrderId' : 'merchantRefundId';
}

function idValue(id: CreatingId): string {
  return 'merchantOrderId' in id ? id.merchantOrderId : id.merchantRefundId;
}
