import { z } from 'zod';
import type { BillingTransaction } from '../../storage/billing-store.js';
import type { PlanRecord } from '../../storage/records/plan-record.js';
import type { SubscriptionRecord } from '../../storage/records/subscription-record.js';
import { inTransaction, requirePlan, workspaceScope, type BillingContext } from '../billing-context.js';
import { BillingError } from '../errors/billing-error.js';
import { QuotaExceededError } from '../errors/quota-exceeded-error.js';
import { parseInput } from '../parse-input.js';
import { usagePercentage } from '../subscriptions/subscription-view.js';
import { usagePeriodStart } from './usage-period.js';

const usageInputSchema = z.strictObject({
  workspaceId: z.string().min(1).max(128),
  metric: z.string().regex(/^[a-z0-9_]{1,64}$/, 'metric must be 1–64 characters of a-z, 0-9 and _'),
  quantity: z.number().refine(Number.isSafeInteger, 'quantity must be a whole number').refine((v) => v >= 1, 'quantity must be at least 1'),
  key: z.string().min(1).max(255).optional(),
});

/** The result of recording usage. */
export interface UsageRecorded {
  metric: string;
  current: number;
  limit: number | null;
  percentage: number | null;
  /** True when this usage key was recorded before and nothing was added. */
  duplicate: boolean;
}

/** The result of checking a quota without using it. */
export interface QuotaCheck {
  allowed: boolean;
  metric: string;
  current: number;
  limit: number | null;
  remaining: number | null;
}

/**
 * Adds usage atomically against the plan's limit for the current billing period: concurrent callers
 * never get past the limit together (the store's increment is one atomic step); with `key`, the same
 * usage is counted once. Over the limit → `QuotaExceededError` and nothing recorded. Crossing a warning
 * threshold (default 80 % and 100 %) fires `quotaWarning` after the commit.
 */
export async function recordUsage(ctx: BillingContext, workspaceId: string, metric: string, quantity: number, options: { key?: string } = {}): Promise<UsageRecorded> {
  const input = parseInput(usageInputSchema, { workspaceId, metric, quantity, ...options }, 'recordUsage');
  return inTransaction(ctx, workspaceScope(input.workspaceId), async (tx, hooks) => {
    const { sub, limit } = await meteredSubscription(ctx, tx, input.workspaceId, input.metric);
    const result = await tx.usage.increment({ workspaceId: input.workspaceId, metric: input.metric, periodStart: usagePeriodStart(sub), by: input.quantity, limit, ...(input.key ? { usageKey: input.key } : {}), now: ctx.clock.now() });
    if (!result.ok) throw new QuotaExceededError(input.workspaceId, input.metric, result.used, result.limit, input.quantity);
    if (limit !== null && !result.duplicate) {
      const before = result.used - input.quantity;
      for (const threshold of ctx.config.quotaWarningThresholds) {
        if (before * 100 < threshold * limit && result.used * 100 >= threshold * limit) {
          hooks.add('quotaWarning', { workspaceId: input.workspaceId, metric: input.metric, current: result.used, limit, percentage: usagePercentage(result.used, limit) ?? 0, threshold });
        }
      }
    }
    return { metric: input.metric, current: result.used, limit, percentage: usagePercentage(result.used, limit), duplicate: result.duplicate };
  });
}

/** Whether `quantity` more of `metric` fits in the current period's limit (nothing is recorded). */
export async function checkQuota(ctx: BillingContext, workspaceId: string, metric: string, quantity = 1): Promise<QuotaCheck> {
  const input = parseInput(usageInputSchema, { workspaceId, metric, quantity }, 'checkQuota');
  return inTransaction(ctx, workspaceScope(input.workspaceId), async (tx) => {
    const { sub, limit } = await meteredSubscription(ctx, tx, input.workspaceId, input.metric);
    const current = (await tx.usage.get(input.workspaceId, usagePeriodStart(sub)))[input.metric] ?? 0;
    return { allowed: limit === null || current + input.quantity <= limit, metric: input.metric, current, limit, remaining: limit === null ? null : Math.max(limit - current, 0) };
  });
}

async function meteredSubscription(ctx: BillingContext, tx: BillingTransaction, workspaceId: string, metric: string): Promise<{ sub: SubscriptionRecord; plan: PlanRecord; limit: number | null }> {
  const sub = await tx.subscriptions.getLive(workspaceId);
  if (!sub) throw new BillingError('SUBSCRIPTION_NOT_FOUND', `Workspace ${workspaceId} has no active subscription, so it has no quota for "${metric}"; subscribe to a plan first.`);
  const plan = await requirePlan(ctx, tx, sub.planId);
  if (!(metric in plan.limits)) {
    throw new BillingError('UNKNOWN_METRIC', `Plan "${plan.id}" has no limit for "${metric}"; known metrics: ${Object.keys(plan.limits).join(', ') || '(none)'}.`, { details: { metric } });
  }
  return { sub, plan, limit: plan.limits[metric] ?? null };
}
