import { isLive, type SubscriptionRecord } from '../../storage/records.js';
import type { BillingConfig } from '../billing-config.js';

/**
 * When the renewal worker should next look at a subscription whose period just started or changed:
 * at period end when it is cancelled at period end (access ends then); `notifyLeadMs` before period end
 * for autopay (the pre-debit notice must go out ≥ 24 h before the debit); `reminderLeadMs` before period
 * end for manual renewal (reminder + renewal checkout). Ended subscriptions have nothing scheduled.
 *
 * @example
 * scheduleNextAction({ ...sub, renewalMode: 'autopay', currentPeriodEnd: t }, config); // t - config.autopay.notifyLeadMs
 */
export function scheduleNextAction(
  sub: Pick<SubscriptionRecord, 'status' | 'renewalMode' | 'cancelAtPeriodEnd' | 'currentPeriodEnd' | 'pendingPlanId'>,
  config: BillingConfig,
): number | null {
  if (!isLive(sub)) return null;
  if (sub.cancelAtPeriodEnd) return sub.currentPeriodEnd;
  const lead = sub.renewalMode === 'autopay' ? config.autopay.notifyLeadMs : config.renewal.reminderLeadMs;
  return sub.currentPeriodEnd - lead;
}
