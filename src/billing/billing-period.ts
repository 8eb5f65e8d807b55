import { isLive, type PlanInterval, type SubscriptionRecord } from '../storage/records.js';
import type { BillingConfig } from './billing-config.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The end of the `count`-th billing interval after `anchorMs`, in UTC calendar arithmetic: periods are
 * counted from the anchor (the subscription's first period start), so a subscription started on
 * 31 January renews on 28/29 February, then on 31 March — never drifting to the 28th for good.
 *
 * @example
 * addIntervals(Date.UTC(2026, 0, 31), 'month', 1); // Date.UTC(2026, 1, 28)
 * addIntervals(Date.UTC(2026, 0, 31), 'month', 2); // Date.UTC(2026, 2, 31)
 */
export function addIntervals(anchorMs: number, interval: PlanInterval, count: number): number {
  if (!Number.isSafeInteger(count) || count < 0)
    throw new RangeError(`addIntervals needs a whole count >= 0, got ${count}`);
  const anchor = new Date(anchorMs);
  const months = interval === 'year' ? 12 * count : count;
  const year = anchor.getUTCFullYear();
  const month = anchor.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(anchor.getUTCDate(), lastDay);
  return Date.UTC(
    year,
    month,
    day,
    anchor.getUTCHours(),
    anchor.getUTCMinutes(),
    anchor.getUTCSeconds(),
    anchor.getUTCMilliseconds(),
  );
}

/**
 * The billing period that follows one ending at `periodEndMs`, keeping the anchor's day of month.
 *
 * @example
 * nextPeriod({ anchorMs: Date.UTC(2026, 0, 31), periodEndMs: Date.UTC(2026, 1, 28) }, 'month');
 * // { start: Date.UTC(2026, 1, 28), end: Date.UTC(2026, 2, 31) }
 */
export function nextPeriod(
  current: { anchorMs: number; periodEndMs: number },
  interval: PlanInterval,
): { start: number; end: number } {
  let n = 1;
  while (addIntervals(current.anchorMs, interval, n) <= current.periodEndMs) n += 1;
  return { start: current.periodEndMs, end: addIntervals(current.anchorMs, interval, n) };
}

/** The instant a subscription's periods are counted from (its first paid period start). */
export function subscriptionAnchor(sub: { currentPeriodStart: number; metadata: Record<string, unknown> }): number {
  return typeof sub.metadata.anchorAt === 'number' ? sub.metadata.anchorAt : sub.currentPeriodStart;
}

/** Whole days from `fromMs` to `toMs`, rounded up (0 when `toMs` is not after `fromMs`). */
export function daysUntil(fromMs: number, toMs: number): number {
  return toMs <= fromMs ? 0 : Math.ceil((toMs - fromMs) / DAY_MS);
}

export { DAY_MS };

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
