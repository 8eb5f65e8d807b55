import type { PlanRecord, RenewalMode, SubscriptionRecord, SubscriptionRecordStatus } from '../../storage/records.js';

/** One metric's usage in the current period. `limit` and `percentage` are `null` when unlimited. */
export interface UsageView {
  current: number;
  limit: number | null;
  percentage: number | null;
}

/**
 * What `getSubscription()` returns: a workspace's subscription with its plan's limits and features and this
 * period's usage per metric. Like the manager's other results: camelCase, amounts in integer paise, times in
 * epoch milliseconds. (The HTTP API serves it snake_case with ISO times and rupee strings: docs/http-api.md.)
 *
 * @example
 * { id: 'sub_1', workspaceId: 'ws_1', planId: 'pro', planName: 'Pro', status: 'active', renewalMode: 'autopay',
 *   autopay: { mandateState: 'ACTIVE', maxAmountPaise: 299900 }, currentPeriodStart: 1793491200000,
 *   currentPeriodEnd: 1796083200000, cancelAtPeriodEnd: false, cancelledAt: null, cancellationReason: null,
 *   pendingPlanId: null, graceEndsAt: null, limits: { projects: 50 }, features: ['sso'],
 *   usage: { projects: { current: 3, limit: 50, percentage: 6 } } }
 */
export interface SubscriptionDetails {
  id: string;
  workspaceId: string;
  planId: string;
  planName: string;
  /** `trialing`, `active` or `past_due` while live (see `isLive`); `cancelled` or `expired` once ended. */
  status: SubscriptionRecordStatus;
  renewalMode: RenewalMode;
  /**
   * The UPI autopay mandate (when renewing by autopay, or once one was set up): its state as PhonePe last
   * reported it (e.g. `ACTIVE`, `PAUSED`, `REVOKED`) and the most one debit may take, in paise.
   */
  autopay: { mandateState: string | null; maxAmountPaise: number | null } | null;
  /** The current period (epoch ms). */
  currentPeriodStart: number;
  currentPeriodEnd: number;
  /** Cancelled at period end: stays live until `currentPeriodEnd`. */
  cancelAtPeriodEnd: boolean;
  /** When it was cancelled (epoch ms), with the reason given. */
  cancelledAt: number | null;
  cancellationReason: string | null;
  /** A downgrade waiting for the period end. */
  pendingPlanId: string | null;
  /** End of the grace period after failed renewals (epoch ms). */
  graceEndsAt: number | null;
  /** The plan's limit per metric (`null` = unlimited). */
  limits: Record<string, number | null>;
  features: string[];
  /** This period's usage per metric: every metric of the plan, and any other metric with usage, sorted by name. */
  usage: Record<string, UsageView>;
}

/** Whole-number percentage of a limit used, rounded down (a limit of 0 counts as full). */
export function usagePercentage(current: number, limit: number | null): number | null {
  if (limit === null) return null;
  if (limit === 0) return current > 0 ? 100 : 0;
  return Math.floor((current * 100) / limit);
}

/** Builds {@link SubscriptionDetails} from the stored subscription, its plan and this period's counters. */
export function subscriptionDetails(
  sub: SubscriptionRecord,
  plan: PlanRecord,
  counters: Record<string, number>,
): SubscriptionDetails {
  const metrics = new Set([...Object.keys(plan.limits), ...Object.keys(counters)]);
  const usage: Record<string, UsageView> = {};
  for (const metric of [...metrics].sort()) {
    const current = counters[metric] ?? 0;
    const limit = metric in plan.limits ? (plan.limits[metric] ?? null) : null;
    usage[metric] = { current, limit, percentage: usagePercentage(current, limit) };
  }
  return {
    id: sub.id,
    workspaceId: sub.workspaceId,
    planId: plan.id,
    planName: plan.name,
    status: sub.status,
    renewalMode: sub.renewalMode,
    autopay:
      sub.renewalMode === 'autopay' || sub.merchantSubscriptionId
        ? { mandateState: sub.mandateState, maxAmountPaise: sub.mandateMaxAmountPaise }
        : null,
    currentPeriodStart: sub.currentPeriodStart,
    currentPeriodEnd: sub.currentPeriodEnd,
    cancelAtPeriodEnd: sub.cancelAtPeriodEnd,
    cancelledAt: sub.cancelledAt,
    cancellationReason: sub.cancellationReason,
    pendingPlanId: sub.pendingPlanId,
    graceEndsAt: sub.graceEndsAt,
    limits: { ...plan.limits },
    features: [...plan.features],
    usage,
  };
}
