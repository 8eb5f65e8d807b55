import type { SubscriptionStatus } from '../../client/schemas/subscription-status.js';
import type { SubscriptionPatch } from '../../storage/billing-store.js';
import type { SubscriptionRecord } from '../../storage/records/subscription-record.js';
import { audit, inTransaction, SYSTEM_SCOPE, type BillingContext } from '../billing-context.js';
import { scheduleNextAction } from '../renewals/renewal-schedule.js';

// Mandate states after which PhonePe will never debit again (phonepe-api.md §4.3, §4.6).
const ENDED = new Set(['REVOKED', 'CANCELLED', 'EXPIRED', 'FAILED']);
const LIVE = new Set(['trialing', 'active', 'past_due']);

/**
 * Records a mandate's state as PhonePe reports it (status API or a `subscription.*` webhook) and moves
 * the subscription accordingly: a revoked, cancelled or expired mandate ends autopay — the subscription
 * falls back to manual renewal, or ends at period end (`config.autopay.onMandateEnded`); an unpaused
 * mandate of a past-due subscription is retried at once; a pause is only recorded (the next debit
 * cannot happen while paused, so the renewal worker marks it past due when it comes due).
 * Returns `null` when the mandate is not one of ours (e.g. one replaced by an upgrade).
 */
export async function applyMandateState(ctx: BillingContext, merchantSubscriptionId: string, reported: SubscriptionStatus, actor: string): Promise<SubscriptionRecord | null> {
  return inTransaction(ctx, SYSTEM_SCOPE, async (tx, hooks) => {
    const sub = await tx.subscriptions.getByMerchantSubscriptionId(merchantSubscriptionId);
    if (!sub) return null;
    const now = ctx.clock.now();
    const state = String(reported.state).toUpperCase();
    const patch: SubscriptionPatch = { mandateState: state };
    let action: string | null = null;
    if (ENDED.has(state) && sub.renewalMode === 'autopay' && LIVE.has(sub.status) && !sub.cancelAtPeriodEnd) {
      if (ctx.config.autopay.onMandateEnded === 'manual') {
        Object.assign(patch, { renewalMode: 'manual' as const });
        action = 'subscription.autopay_ended';
      } else {
        Object.assign(patch, { cancelAtPeriodEnd: true, cancelledAt: now, cancellationReason: `mandate ${state.toLowerCase()}` });
        action = 'subscription.cancelled';
      }
      patch.nextActionAt = scheduleNextAction({ ...sub, ...patch }, ctx.config);
    } else if (state === 'ACTIVE' && sub.mandateState === 'PAUSED' && sub.status === 'past_due') {
      patch.nextActionAt = now;
      action = 'subscription.mandate_resumed';
    }
    if (sub.mandateState === state && action === null) return sub;
    const updated = await tx.subscriptions.update(sub.id, sub.version, patch, now);
    await audit(ctx, tx, { workspaceId: sub.workspaceId, actor, action: action ?? 'subscription.mandate_state', entityType: 'subscription', entityId: sub.id, data: { merchantSubscriptionId, mandateState: state } });
    if (action === 'subscription.cancelled') hooks.add('subscriptionCancelled', { subscription: updated, atPeriodEnd: true, reason: updated.cancellationReason });
    return updated;
  });
}
