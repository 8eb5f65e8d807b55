import type { PaymentPurpose, PlanRecord, SubscriptionRecord } from '../../storage/records.js';
import { nextPeriod, subscriptionAnchor } from '../billing-period.js';
import type { BillingConfig } from '../billing-config.js';
import { BillingError } from '../errors/billing-error.js';

/** What a new checkout pays for, and the period when it is a renewal. */
export interface CheckoutPurpose {
  purpose: PaymentPurpose;
  subscriptionId: string | null;
  periodStart: number | null;
  periodEnd: number | null;
}

/**
 * Decides what a checkout for `plan` means given the workspace's live subscription: none (or a trial)
 * → a new subscription; the same plan, manually renewed and within the reminder window, or past due on
 * any renewal mode → the renewal of the next period; anything else is refused (use `changePlan` to switch
 * plans).
 */
export function checkoutPurpose(
  live: SubscriptionRecord | null,
  plan: PlanRecord,
  now: number,
  config: BillingConfig,
): CheckoutPurpose {
  if (!live || live.status === 'trialing')
    return { purpose: 'new_subscription', subscriptionId: live?.id ?? null, periodStart: null, periodEnd: null };
  if (live.planId !== plan.id) {
    throw new BillingError(
      'SUBSCRIPTION_EXISTS',
      `Workspace ${live.workspaceId} already subscribes to plan "${live.planId}"; use change-plan to move to "${plan.id}".`,
      { details: { currentPlanId: live.planId } },
    );
  }
  // The next period can be paid by checkout when it is due soon on manual renewal, or overdue on any
  // mode (an autopay debit that failed, or a paused mandate, must not leave the payer unable to pay).
  const dueSoon = now >= live.currentPeriodEnd - config.renewal.reminderLeadMs;
  if (!live.cancelAtPeriodEnd && ((live.renewalMode === 'manual' && dueSoon) || live.status === 'past_due')) {
    const next = nextPeriod({ anchorMs: subscriptionAnchor(live), periodEndMs: live.currentPeriodEnd }, plan.interval);
    return { purpose: 'renewal', subscriptionId: live.id, periodStart: next.start, periodEnd: next.end };
  }
  throw new BillingError(
    'SUBSCRIPTION_EXISTS',
    `Workspace ${live.workspaceId} already has an active "${plan.id}" subscription until ${new Date(live.currentPeriodEnd).toISOString()}; nothing to pay yet.`,
    { details: { currentPeriodEnd: live.currentPeriodEnd } },
  );
}
