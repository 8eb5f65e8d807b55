import { z } from 'zod';
import type { SubscriptionRecord } from '../../storage/records.js';
import { audit, inTransaction, workspaceScope, type BillingContext } from '../billing-context.js';
import { BillingError } from '../errors/billing-error.js';
import { parseInput } from '../parse-input.js';
import { scheduleNextAction } from '../renewals/renewal-schedule.js';
import { cancelMandate } from './cancel-mandate.js';

const cancelInputSchema = z.strictObject({
  reason: z.string().max(500).nullable().default(null),
  /** Keep access until the period ends (default), or end it now. */
  atPeriodEnd: z.boolean().default(true),
  userId: z.string().max(128).nullable().default(null),
});

/** The input of `billing.cancel()`: why, who, and whether to end now instead of at period end. */
export type CancelInput = z.input<typeof cancelInputSchema>;

/**
 * Cancels the workspace's subscription: at period end (access continues, nothing more is charged) or
 * now (access ends at once). The reason is recorded; an autopay mandate is cancelled at PhonePe after
 * the commit. Cancelling at period end twice is harmless.
 */
export async function cancelSubscription(
  ctx: BillingContext,
  workspaceId: string,
  raw: CancelInput = {},
): Promise<SubscriptionRecord> {
  const input = parseInput(cancelInputSchema, raw, 'cancel');
  const actor = input.userId ? `user:${input.userId}` : 'system:api';
  return inTransaction(ctx, workspaceScope(workspaceId), async (tx, hooks) => {
    const sub = await tx.subscriptions.getLive(workspaceId);
    if (!sub)
      throw new BillingError(
        'SUBSCRIPTION_NOT_FOUND',
        `Workspace ${workspaceId} has no active subscription to cancel.`,
      );
    if (sub.cancelAtPeriodEnd && input.atPeriodEnd) return sub;
    const now = ctx.clock.now();
    const ended = {
      status: 'cancelled' as const,
      endedAt: now,
      cancelAtPeriodEnd: false,
      nextActionAt: null,
      pendingPlanId: null,
    };
    const patch = input.atPeriodEnd
      ? { cancelAtPeriodEnd: true, cancelledAt: now, cancellationReason: input.reason, pendingPlanId: null }
      : { ...ended, cancelledAt: now, cancellationReason: input.reason };
    const updated = await tx.subscriptions.update(
      sub.id,
      sub.version,
      {
        ...patch,
        ...(input.atPeriodEnd ? { nextActionAt: scheduleNextAction({ ...sub, ...patch }, ctx.config) } : {}),
      },
      now,
    );
    await audit(ctx, tx, {
      workspaceId,
      actor,
      action: input.atPeriodEnd ? 'subscription.cancel_scheduled' : 'subscription.cancelled',
      entityType: 'subscription',
      entityId: sub.id,
      data: { reason: input.reason, atPeriodEnd: input.atPeriodEnd, periodEnd: sub.currentPeriodEnd },
    });
    hooks.afterCommit(`cancel mandate of ${sub.id}`, () => cancelMandate(ctx, updated, actor));
    hooks.add('subscriptionCancelled', { subscription: updated, atPeriodEnd: input.atPeriodEnd, reason: input.reason });
    if (!input.atPeriodEnd) hooks.add('subscriptionExpired', { subscription: updated, reason: 'cancelled' });
    return updated;
  });
}

/**
 * Undoes a cancellation at period end, before the period ends. A mandate cancelled at PhonePe cannot be
 * revived: such a subscription resumes with manual renewal (set up autopay again with a new checkout).
 */
export async function resumeSubscription(
  ctx: BillingContext,
  workspaceId: string,
  options: { userId?: string | null } = {},
): Promise<SubscriptionRecord> {
  return inTransaction(ctx, workspaceScope(workspaceId), async (tx, hooks) => {
    const sub = await tx.subscriptions.getLive(workspaceId);
    const now = ctx.clock.now();
    if (!sub || !sub.cancelAtPeriodEnd || now >= sub.currentPeriodEnd) {
      throw new BillingError(
        'SUBSCRIPTION_NOT_RESUMABLE',
        `Workspace ${workspaceId} has no subscription cancelled at period end that can still be resumed; subscribe again instead.`,
      );
    }
    const mandateGone =
      sub.renewalMode === 'autopay' &&
      ['CANCELLED', 'REVOKED', 'EXPIRED', 'CANCEL_IN_PROGRESS'].includes(String(sub.mandateState));
    const patch = {
      cancelAtPeriodEnd: false,
      cancelledAt: null,
      cancellationReason: null,
      ...(mandateGone ? { renewalMode: 'manual' as const } : {}),
    };
    const updated = await tx.subscriptions.update(
      sub.id,
      sub.version,
      { ...patch, nextActionAt: scheduleNextAction({ ...sub, ...patch }, ctx.config) },
      now,
    );
    await audit(ctx, tx, {
      workspaceId,
      actor: options.userId ? `user:${options.userId}` : 'system:api',
      action: 'subscription.resumed',
      entityType: 'subscription',
      entityId: sub.id,
      data: { renewalMode: updated.renewalMode },
    });
    hooks.add('subscriptionResumed', { subscription: updated });
    return updated;
  });
}
