import type { ClientTelemetry } from './api-requester.js';
import {
  isPhonePeConflictError,
  isPhonePeError,
  isPhonePeNetworkError,
  isPhonePeNotFoundError,
  isPhonePeResponseError,
  isPhonePeServerError,
  isPhonePeTimeoutError,
  type PhonePeCreatingOperation,
  type PhonePeError,
  PhonePeOutcomeUnknownError,
} from './errors.js';
import { type ExecuteRedemptionResponse, latestPaymentAttempt, type OrderStatus } from './responses.js';

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

/**
 * The check for calls that create an order and answer with something only that answer carries
 * (pay → redirectUrl, createSdkOrder → token, subscriptions.setup → redirectUrl/intentUrl).
 * The status endpoint cannot give that back, so an existing order (also one a "duplicate id" answer
 * points to) still ends in
 * PhonePeOutcomeUnknownError (`created: true`, `existing` = its status): the caller must start
 * over with a new merchantOrderId.
 */
export function orderCreationCheck<T>(args: {
  operation: PhonePeCreatingOperation;
  merchantOrderId: string;
  lost: string;
  lookup: () => Promise<OrderStatus>;
}): OutcomeCheck<OrderStatus, T> {
  const check: OutcomeCheck<OrderStatus, T> = {
    operation: args.operation,
    id: { merchantOrderId: args.merchantOrderId },
    statusMethod: 'getOrderStatus',
    lookup: args.lookup,
    decide: (existing, failure, kind) => {
      const what = kind === 'ambiguous' ? 'PhonePe created the order' : 'an earlier call created the order';
      throw outcomeUnknown(check, failure, {
        kind,
        created: true,
        existing,
        tail: `${what} (state ${existing.state}), but its ${args.lost} was not received here; create a new order with a new merchantOrderId.`,
      });
    },
  };
  return check;
}

/**
 * The check after an ambiguous executeRedemption failure: the redemption order's status shows
 * whether PhonePe started a debit. An attempt → `{ state, transactionId }` of the newest
 * attempt (what redeem would have answered); none → PhonePeOutcomeUnknownError `created: false`,
 * since calling redeem again cannot debit twice what was never debited.
 */
export function redemptionCheck(
  merchantOrderId: string,
  lookup: () => Promise<OrderStatus>,
): OutcomeCheck<OrderStatus, ExecuteRedemptionResponse> {
  const check: OutcomeCheck<OrderStatus, ExecuteRedemptionResponse> = {
    operation: 'subscriptions.executeRedemption',
    id: { merchantOrderId },
    statusMethod: 'subscriptions.getRedemptionStatus',
    lookup,
    decide: (status, failure, kind) => {
      const attempt = latestPaymentAttempt(status);
      if (attempt !== undefined) return { state: status.state, transactionId: attempt.transactionId };
      // PhonePe refused the redeem and shows no debit: its refusal stands.
      if (kind === 'rejected') throw failure;
      throw outcomeUnknown(check, failure, {
        kind,
        created: false,
        existing: status,
        tail: 'PhonePe shows no debit attempt; it is safe to call executeRedemption again.',
      });
    },
  };
  return check;
}
