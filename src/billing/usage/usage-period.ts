import type { SubscriptionRecord } from '../../storage/records.js';

/**
 * The usage period a subscription is in: its current billing period. Usage counters are keyed by the
 * period start, so they reset when a new period begins.
 */
export function usagePeriodStart(sub: Pick<SubscriptionRecord, 'currentPeriodStart'>): number {
  return sub.currentPeriodStart;
}
