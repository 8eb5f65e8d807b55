import type { ExecuteRedemptionResponse } from '../schemas/create-responses.js';
import { latestPaymentAttempt, type OrderStatus } from '../schemas/order-status.js';
import { type OutcomeCheck, outcomeUnknown } from './send-creating.js';

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
