import { isPhonePeError, isPhonePeOutcomeUnknownError, type PhonePeError } from '../../client/errors.js';
import { classifyCreatingFailure } from '../../client/outcome.js';
import { BillingError } from './billing-error.js';

/**
 * Whether a failed creating call (checkout order, mandate set-up, refund, pre-debit notice, debit) was
 * PhonePe's explicit refusal — the only failure that may mark a row `failed`. Lost, unreadable or
 * "already used" answers, timeouts, 5xx and rate limits are not: PhonePe may have acted (or may act on a
 * retry with the same id), so the row is left for a status check or reconciliation.
 *
 * @example
 * if (isExplicitRefusal(error)) await markFailed(); else leaveForReconciliation();
 */
export function isExplicitRefusal(error: unknown): error is PhonePeError {
  if (!isPhonePeError(error) || error.retryable || isPhonePeOutcomeUnknownError(error)) return false;
  // The client throws a `rejected` 4xx from a creating call only after PhonePe's status API showed nothing.
  const kind = classifyCreatingFailure(error);
  return kind === 'refused' || kind === 'rejected';
}

/**
 * Turns a failed PhonePe call into a `BillingError`: PhonePe (or the way to it) being down, slow or
 * rate-limiting is `PAYMENT_PROVIDER_UNAVAILABLE` (503, try again); a creating call whose outcome is
 * unknown is `PAYMENT_OUTCOME_UNKNOWN` (503); PhonePe refusing a request we validated (bad
 * credentials, a rule we did not know) is `PAYMENT_PROVIDER_REJECTED` (502, needs a person).
 * Anything that is not a PhonePe error is returned unchanged.
 */
export function providerError(error: unknown, what: string): unknown {
  if (!isPhonePeError(error)) return error;
  if (isPhonePeOutcomeUnknownError(error)) {
    return new BillingError(
      'PAYMENT_OUTCOME_UNKNOWN',
      `PhonePe did not answer while ${what}, and whether it happened is not yet known; try again in a minute (reconciliation settles it).`,
      { cause: error },
    );
  }
  if (error.retryable) {
    return new BillingError(
      'PAYMENT_PROVIDER_UNAVAILABLE',
      `PhonePe is unavailable while ${what} (${error.code}); try again in a minute.`,
      { cause: error },
    );
  }
  return new BillingError(
    'PAYMENT_PROVIDER_REJECTED',
    `PhonePe refused the request while ${what} (${error.code}${error.phonePeMessage ? `: ${error.phonePeMessage}` : ''}); check the PhonePe credentials and configuration.`,
    { cause: error, details: { phonepeCode: error.code } },
  );
}
