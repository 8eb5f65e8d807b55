import type { BillingTransaction } from '../../storage/billing-store.js';
import { isLive, type PaymentRecord, type SubscriptionRecord } from '../../storage/records.js';
import type { BillingContext } from '../billing-context.js';

/**
 * What a failed or expired payment does to its subscription: a failed renewal puts the subscription in
 * front of the renewal worker right away (it decides retry, past-due, grace and expiry); a failed first
 * checkout or upgrade changes nothing (the workspace keeps what it had).
 */
export async function applyFailedPayment(
  ctx: BillingContext,
  tx: BillingTransaction,
  payment: PaymentRecord,
): Promise<SubscriptionRecord | null> {
  if (payment.purpose !== 'renewal' || !payment.subscriptionId) return null;
  const sub = await tx.subscriptions.getById(payment.subscriptionId);
  if (!sub || !isLive(sub)) return sub;
  const now = ctx.clock.now();
  return tx.subscriptions.update(
    sub.id,
    sub.version,
    { nextActionAt: now, renewalAttempts: sub.renewalAttempts + 1 },
    now,
  );
}
