import { isPhonePeError } from '../../client/errors/phonepe-error.js';
import { isPhonePeOutcomeUnknownError } from '../../client/errors/phonepe-outcome-unknown-error.js';
import { BillingError } from './billing-error.js';

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
    return new BillingError('PAYMENT_OUTCOME_UNKNOWN', `PhonePe did not answer while ${what}, and whether it happened is not yet known; try again in a minute (reconciliation settles it).`, { cause: error });
  }
  if (error.retryable) {
    return new BillingError('PAYMENT_PROVIDER_UNAVAILABLE', `PhonePe is unavailable while ${what} (${error.code}); try again in a minute.`, { cause: error });
  }
  return new BillingError('PAYMENT_PROVIDER_REJECTED', `PhonePe refused the request while ${what} (${error.code}${error.phonePeMessage ? `: ${error.phonePeMessage}` : ''}); check the PhonePe credentials and configuration.`, { cause: error, details: { phonepeCode: error.code } });
}
