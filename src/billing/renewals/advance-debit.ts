import type { PaymentRecord } from '../../storage/records.js';
import { type BillingContext, SYSTEM_SCOPE } from '../billing-context.js';
import type { BillingTransaction } from '../../storage/billing-store.js';
import type { SettlementResult } from '../settlement/apply-payment-signal.js';
import { refreshLoadedPayment } from '../settlement/refresh-payment.js';
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

/** How `advanceDebit` is called. */
export interface DebitOptions {
  /** The row was created by this very step and never sent: there is no lost answer to look up first. */
  fresh?: boolean;
  /**
   * Runs in the transaction that settles PhonePe's answer, with the step it amounts to (the renewal
   * worker stores when the subscription is due next there, instead of in a transaction of its own).
   * Not called when the step settles nothing.
   */
  finish?: (tx: BillingTransaction, step: DebitStep) => Promise<void>;
}

/**
 * Moves one autopay debit (an `autopay_redemption` payment) a step along PhonePe's sequence:
 * notice sent → notice confirmed (NOTIFIED, with its window) → executed no sooner than 24 h after the
 * notice and not before `notBefore` (the due date) → settled. Each call does at most one PhonePe write.
 * A `created` row is first looked up at PhonePe (a lost notify answer must not be re-sent as a duplicate),
 * unless it is `fresh`. `payment` is the row as just read; settling locks and re-reads it.
 */
export async function advanceDebit(
  ctx: BillingContext,
  payment: PaymentRecord,
  notBefore: number,
  options: DebitOptions = {},
): Promise<DebitStep> {
  const now = ctx.clock.now();
  const later = now + DEBIT_CHECK_INTERVAL_MS;
  const details = (toStep: (fresh: PaymentRecord) => DebitStep) => ({
    source: 'renewal' as const,
    actor: 'system:renewals',
    ...(options.finish
      ? {
          within: (tx: BillingTransaction, result: SettlementResult) =>
            options.finish!(tx, toStep(result.payment ?? payment)),
        }
      : {}),
  });
  const refresh = (toStep: (fresh: PaymentRecord) => DebitStep) =>
    refreshLoadedPayment(ctx, SYSTEM_SCOPE, payment, details(toStep));
  if (payment.state === 'created') {
    if (!options.fresh) {
      const looked = await refreshLoadedPayment(ctx, SYSTEM_SCOPE, payment, {
        source: 'renewal',
        actor: 'system:renewals',
      });
      if (looked.payment && looked.payment.state !== 'created')
        return { action: 'checked', payment: looked.payment, nextCheckAt: now };
    }
    const notified = (fresh: PaymentRecord): DebitStep => ({ action: 'notified', payment: fresh, nextCheckAt: later });
    const sent = await sendDebitNotice(ctx, payment, details(notified).within);
    return notified(sent.payment ?? payment);
  }
  if (payment.state !== 'pending') return { action: 'settled', payment, nextCheckAt: null };
  if (redeemableAt(payment) === null) {
    const checked = (fresh: PaymentRecord): DebitStep => {
      const at = redeemableAt(fresh);
      return {
        action: 'checked',
        payment: fresh,
        nextCheckAt: fresh.state !== 'pending' ? null : at === null ? later : Math.max(at, notBefore),
      };
    };
    return checked((await refresh(checked)).payment ?? payment);
  }
  const at = Math.max(redeemableAt(payment) as number, notBefore);
  if (now < at) return { action: 'waiting', payment, nextCheckAt: at };
  // Not executed yet (no PhonePe transaction): execute — again, too, when an earlier call failed in transit
  // without reaching PhonePe. A few tries at most; after that PhonePe's expiry of the order decides.
  if (payment.phonepeTransactionId === null && payment.attempts < MAX_EXECUTE_CALLS) {
    const executed = (fresh: PaymentRecord): DebitStep => ({
      action: 'executed',
      payment: fresh,
      nextCheckAt: fresh.state === 'pending' ? later : null,
    });
    return executed((await executeDebit(ctx, payment, details(executed).within)).payment ?? payment);
  }
  const settled = (fresh: PaymentRecord): DebitStep => ({
    action: fresh.state === 'pending' ? 'checked' : 'settled',
    payment: fresh,
    nextCheckAt: fresh.state === 'pending' ? later : null,
  });
  return settled((await refresh(settled)).payment ?? payment);
}
