import type { PaymentRecord } from '../../storage/records/payment-record.js';
import type { BillingContext } from '../billing-context.js';
import { refreshPayment } from '../settlement/refresh-payment.js';
import { SYSTEM_SCOPE } from '../billing-context.js';
import { executeDebit, redeemableAt, sendDebitNotice } from './autopay-debit.js';

/** Most redeem calls for one debit (a call that fails in transit is tried again on the next pass). */
export const MAX_EXECUTE_CALLS = 3;

/** How often an in-flight autopay debit (notice or execution) is checked when no webhook arrived. */
export const DEBIT_CHECK_INTERVAL_MS = 15 * 60 * 1000;

/** One step taken on an autopay debit, and when to look again. */
export interface DebitStep {
  action: 'notified' | 'checked' | 'executed' | 'waiting' | 'settled';
  payment: PaymentRecord;
  nextCheckAt: number | null;
}

/**
 * Moves one autopay debit (an `autopay_redemption` payment) a step along PhonePe's sequence:
 * notice sent → notice confirmed (NOTIFIED, with its window) → executed no sooner than 24 h after the
 * notice and not before `notBefore` (the due date) → settled. Each call does at most one PhonePe write.
 * A `created` row is first looked up at PhonePe (a lost notify answer must not be re-sent as a duplicate).
 */
export async function advanceDebit(ctx: BillingContext, payment: PaymentRecord, notBefore: number): Promise<DebitStep> {
  const now = ctx.clock.now();
  const later = now + DEBIT_CHECK_INTERVAL_MS;
  if (payment.state === 'created') {
    const looked = await refreshPayment(ctx, SYSTEM_SCOPE, payment.merchantOrderId, { source: 'renewal', actor: 'system:renewals' });
    if (looked.payment && looked.payment.state !== 'created') return { action: 'checked', payment: looked.payment, nextCheckAt: now };
    const sent = await sendDebitNotice(ctx, payment);
    return { action: 'notified', payment: sent.payment ?? payment, nextCheckAt: later };
  }
  if (payment.state !== 'pending') return { action: 'settled', payment, nextCheckAt: null };
  if (redeemableAt(payment) === null) {
    const checked = await refreshPayment(ctx, SYSTEM_SCOPE, payment.merchantOrderId, { source: 'renewal', actor: 'system:renewals' });
    const fresh = checked.payment ?? payment;
    const at = redeemableAt(fresh);
    return { action: 'checked', payment: fresh, nextCheckAt: fresh.state !== 'pending' ? null : at === null ? later : Math.max(at, notBefore) };
  }
  const at = Math.max(redeemableAt(payment) as number, notBefore);
  if (now < at) return { action: 'waiting', payment, nextCheckAt: at };
  // Not executed yet (no PhonePe transaction): execute — again, too, when an earlier call failed in transit
  // without reaching PhonePe. A few tries at most; after that PhonePe's expiry of the order decides.
  if (payment.phonepeTransactionId === null && payment.attempts < MAX_EXECUTE_CALLS) {
    const executed = await executeDebit(ctx, payment);
    const fresh = executed.payment ?? payment;
    return { action: 'executed', payment: fresh, nextCheckAt: fresh.state === 'pending' ? later : null };
  }
  const checked = await refreshPayment(ctx, SYSTEM_SCOPE, payment.merchantOrderId, { source: 'renewal', actor: 'system:renewals' });
  const fresh = checked.payment ?? payment;
  return { action: fresh.state === 'pending' ? 'checked' : 'settled', payment: fresh, nextCheckAt: fresh.state === 'pending' ? later : null };
}
