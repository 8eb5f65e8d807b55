import type { SubscriptionRecord } from '../../storage/records.js';
import { audit, inTransaction, requirePlan, workspaceScope, type BillingContext } from '../billing-context.js';
import { DAY_MS } from '../billing-period.js';
import { BillingError } from '../errors/billing-error.js';
import { scheduleNextAction } from '../renewals/renewal-schedule.js';

/**
 * Starts a free trial of a plan with `trialDays > 0`, once per workspace (a workspace that ever had a
 * subscription gets none). The trial converts when the workspace pays a checkout for any plan; unpaid,
 * it expires at its end (with a reminder before).
 */
export async function startTrial(
  ctx: BillingContext,
  workspaceId: string,
  input: { planId: string; userId?: string | null },
): Promise<SubscriptionRecord> {
  if (typeof workspaceId !== 'string' || !workspaceId || typeof input?.planId !== 'string')
    throw new BillingError('INVALID_INPUT', 'startTrial: workspaceId and planId are required.');
  return inTransaction(ctx, workspaceScope(workspaceId), async (tx, hooks) => {
    const plan = await requirePlan(ctx, tx, input.planId);
    if (!plan.active || plan.trialDays <= 0)
      throw new BillingError('TRIAL_NOT_AVAILABLE', `Plan "${plan.id}" has no free trial.`);
    if (await tx.subscriptions.getLatest(workspaceId))
      throw new BillingError(
        'TRIAL_NOT_AVAILABLE',
        `Workspace ${workspaceId} has had a subscription before; trials are for new workspaces.`,
      );
    const now = ctx.clock.now();
    const fields = {
      status: 'trialing' as const,
      renewalMode: 'manual' as const,
      cancelAtPeriodEnd: false,
      currentPeriodStart: now,
      currentPeriodEnd: now + plan.trialDays * DAY_MS,
      pendingPlanId: null,
    };
    const sub = await tx.subscriptions.insert({
      ...fields,
      id: ctx.ids('sub'),
      workspaceId,
      planId: plan.id,
      cancelledAt: null,
      cancellationReason: null,
      endedAt: null,
      merchantSubscriptionId: null,
      phonepeSubscriptionId: null,
      mandateState: null,
      mandateMaxAmountPaise: null,
      nextActionAt: scheduleNextAction(fields, ctx.config),
      graceEndsAt: null,
      renewalAttempts: 0,
      claimedBy: null,
      claimExpiresAt: null,
      createdBy: input.userId ?? null,
      metadata: { trial: true },
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    await audit(ctx, tx, {
      workspaceId,
      actor: input.userId ? `user:${input.userId}` : 'system:api',
      action: 'subscription.trial_started',
      entityType: 'subscription',
      entityId: sub.id,
      data: { planId: plan.id, endsAt: sub.currentPeriodEnd },
    });
    hooks.add('subscriptionActivated', { subscription: sub, payment: null });
    return sub;
  });
}
