import { isPhonePeNotFoundError } from '../errors/phonepe-not-found-error.js';
import { isPhonePeError, type PhonePeError } from '../errors/phonepe-error.js';
import { type PhonePeCreatingOperation, PhonePeOutcomeUnknownError } from '../errors/phonepe-outcome-unknown-error.js';
import type { ClientTelemetry } from '../transport/client-telemetry.js';
import { classifyCreatingFailure, type CreatingFailureKind } from './creating-failure.js';

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
  decide: (status: S, failure: PhonePeError, kind: CreatingFailureKind) => T;
}

/**
 * Runs a creating POST once — never re-sent blindly, since PhonePe may already have acted — and
 * unless nothing can have happened (see `classifyCreatingFailure`) asks the matching status endpoint:
 * found → `check.decide`; not found after PhonePe's explicit 4xx → that refusal is thrown; not found
 * after a lost or unreadable answer → PhonePeOutcomeUnknownError `created: false` (safe to retry with
 * the same id); status call failed, or a "duplicate" PhonePe cannot find → `created: null`.
 */
export async function sendCreating<S, T>(
  send: () => Promise<T>,
  check: OutcomeCheck<S, T>,
  telemetry: ClientTelemetry,
): Promise<T> {
  try {
    return await send();
  } catch (failure) {
    const kind = classifyCreatingFailure(failure);
    if (kind === 'refused') throw failure;
    const error = failure as PhonePeError;
    telemetry.logger.warn(
      { operation: check.operation, ...check.id, code: error.code, kind },
      'PhonePe creating call may have been acted on; asking the status endpoint',
    );
    let status: S;
    try {
      status = await check.lookup();
    } catch (lookupError) {
      // PhonePe said no and has nothing: its refusal stands.
      if (isPhonePeNotFoundError(lookupError) && kind === 'rejected') throw error;
      if (isPhonePeNotFoundError(lookupError) && kind === 'ambiguous') {
        throw outcomeUnknown(check, error, {
          kind,
          created: false,
          tail: `PhonePe has no record of it; it is safe to retry with the same ${idName(check.id)}.`,
        });
      }
      const code = isPhonePeError(lookupError) ? lookupError.code : 'UNKNOWN';
      const why = isPhonePeNotFoundError(lookupError)
        ? 'its status endpoint has no record of it'
        : `the status check failed too (${code})`;
      throw outcomeUnknown(check, error, {
        kind,
        created: null,
        statusCheckError: lookupError,
        tail: `${why}, so the outcome is unknown; call ${check.statusMethod} later before retrying.`,
      });
    }
    return check.decide(status, error, kind);
  }
}

/** Builds the PhonePeOutcomeUnknownError for `check`, with `tail` saying what is known and what to do. */
export function outcomeUnknown<S, T>(
  check: OutcomeCheck<S, T>,
  failure: PhonePeError,
  what: {
    kind: CreatingFailureKind;
    created: boolean | null;
    tail: string;
    existing?: PhonePeOutcomeUnknownError['existing'];
    statusCheckError?: unknown;
  },
): PhonePeOutcomeUnknownError {
  const subject = `PhonePe ${check.operation} for ${idName(check.id)} "${idValue(check.id)}"`;
  const happened =
    what.kind === 'duplicate'
      ? `was answered "already used" (${failure.code})`
      : what.kind === 'rejected'
        ? `was refused (${failure.code})`
        : `failed in transit or was answered unreadably (${failure.code})`;
  return new PhonePeOutcomeUnknownError({
    message: `${subject} ${happened} and ${what.tail}`,
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
