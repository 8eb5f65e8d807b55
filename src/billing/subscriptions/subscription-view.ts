import type { PlanRecord } from '../../storage/records/plan-record.js';
import type { SubscriptionRecord } from '../../storage/records/subscription-record.js';

/** One metric's usage in the current period. `limit` and `percentage` are `null` when unlimited. */
export interface UsageView {
  current: number;
  limit: number | null;
  percentage: number | null;
}

/**
 * A workspace's subscription as the API shows it (the seed's shape, snake_case): plan, status, period
 * end, limits and usage per metric with percentages.
 *
 * @example
 * { id: 'sub_1', plan_id: 'pro', plan_name: 'Pro', status: 'active', current_period_end: '2026-12-26T00:00:00.000Z',
 *   limits: { projects: 50 }, usage: { projects: { current: 3, limit: 50, percentage: 6 } } }
 */
export interface SubscriptionView {
  id: string;
  workspace_id: string;
  plan_id: string;
  plan_name: string;
  status: SubscriptionRecord['status'];
  renewal_mode: SubscriptionRecord['renewalMode'];
  autopay: { mandate_state: string | null; max_amount: number | null } | null;
  current_period_start: string;
  current_period_end: string;
  cancel_at_period_end: boolean;
  cancelled_at: string | null;
  cancellation_reason: string | null;
  pending_plan_id: string | null;
  grace_ends_at: string | null;
  limits: Record<string, number | null>;
  features: string[];
  usage: Record<string, UsageView>;
}

/** Whole-number percentage of a limit used, rounded down (a limit of 0 counts as full). */
export function usagePercentage(current: number, limit: number | null): number | null {
  if (limit === null) return null;
  if (limit === 0) return current > 0 ? 100 : 0;
  return Math.floor((current * 100) / limit);
}

/** Builds the view from the stored subscription, its plan and this period's counters. */
export function toSubscriptionView(
  sub: SubscriptionRecord,
  plan: PlanRecord,
  counters: Record<string, number>,
): SubscriptionView {
  const metrics = new Set([...Object.keys(plan.limits), ...Object.keys(counters)]);
  const usage: Record<string, UsageView> = {};
  for (const metric of [...metrics].sort()) {
    const current = counters[metric] ?? 0;
    const limit = metric in plan.limits ? (plan.limits[metric] ?? null) : null;
    usage[metric] = { current, limit, percentage: usagePercentage(current, limit) };
  }
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: sub.id,
    workspace_id: sub.workspaceId,
    plan_id: plan.id,
    plan_name: plan.name,
    status: sub.status,
    renewal_mode: sub.renewalMode,
    autopay:
      sub.renewalMode === 'autopay' || sub.merchantSubscriptionId
        ? { mandate_state: sub.mandateState, max_amount: sub.mandateMaxAmountPaise }
        : null,
    current_period_start: new Date(sub.currentPeriodStart).toISOString(),
    current_period_end: new Date(sub.currentPeriodEnd).toISOString(),
    cancel_at_period_end: sub.cancelAtPeriodEnd,
    cancelled_at: iso(sub.cancelledAt),
    cancellation_reason: sub.cancellationReason,
    pending_plan_id: sub.pendingPlanId,
    grace_ends_at: iso(sub.graceEndsAt),
    limits: { ...plan.limits },
    features: [...plan.features],
    usage,
  };
}
