import { isLive, type SubscriptionRecord } from '../../storage/records.js';
import { audit, inTransaction, SYSTEM_SCOPE, type BillingContext } from '../billing-context.js';
import type { SubscriptionEndReason } from '../billing-hooks.js';
import { cancelMandate } from '../subscriptions/cancel-mandate.js';

/**
 * Ends a subscription for good: `cancelled` when it was cancelled at period end, `expired` otherwise
 * (unpaid after grace, trial over, mandate lost). Access ends; its mandate is cancelled at PhonePe.
 */
export async function endSubscription(
  ctx: BillingContext,
  subscriptionId: string,
  reason: SubscriptionEndReason,
): Promise<SubscriptionRecord | null> {
  return inTransaction(ctx, SYSTEM_SCOPE, async (tx, hooks) => {
    const sub = await tx.subscriptions.getById(subscriptionId);
    if (!sub || !isLive(sub)) return sub;
    const now = ctx.clock.now();
    const status = reason === 'cancelled' ? ('cancelled' as const) : ('expired' as const);
    const updated = await tx.subscriptions.update(
      sub.id,
      sub.version,
      {
        status,
        endedAt: Math.min(now, Math.max(sub.currentPeriodEnd, sub.graceEndsAt ?? 0)),
        nextActionAt: null,
        cancelAtPeriodEnd: false,
        pendingPlanId: null,
      },
      now,
    );
    await audit(ctx, tx, {
      workspaceId: sub.workspaceId,
      actor: 'system:renewals',
      action: `subscription.${status}`,
      entityType: 'subscription',
      entityId: sub.id,
      data: { reason },
    });
    hooks.afterCommit(`cancel mandate of ${sub.id}`, () => cancelMandate(ctx, updated, 'system:renewals'));
    hooks.add('subscriptionExpired', { subscription: updated, reason });
    return updated;
  });
}
