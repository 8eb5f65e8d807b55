import { z } from 'zod';
import type { UsageMeterResult } from '../storage/billing-store.js';
import type { PlanRecord, SubscriptionRecord } from '../storage/records.js';
import { type BillingContext, inTransaction, planNotFound, workspaceScope } from './billing-context.js';
import type { HookPayload } from './billing-hooks.js';
import { BillingError, parseInput, QuotaExceededError } from './errors.js';
import { usagePercentage } from './subscriptions.js';

const usageInputSchema = z.strictObject({
  workspaceId: z.string().min(1).max(128),
  metric: z.string().regex(/^[a-z0-9_]{1,64}$/, 'metric must be 1–64 characters of a-z, 0-9 and _'),
  quantity: z
    .number()
    .refine(Number.isSafeInteger, 'quantity must be a whole number')
    .refine((v) => v >= 1, 'quantity must be at least 1'),
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
 * never get past the limit together (the store's metered call is one atomic step); with `key`, the same
 * usage is counted once. Over the limit → `QuotaExceededError` and nothing recorded. Crossing a warning
 * threshold (default 80 % and 100 %) fires `quotaWarning` after the commit. The subscription, the plan's
 * limit and the increment are one store call (`meterUsage`: one round trip on PostgreSQL).
 */
export async function recordUsage(
  ctx: BillingContext,
  workspaceId: string,
  metric: string,
  quantity: number,
  options: { key?: string } = {},
): Promise<UsageRecorded> {
  const input = parseInput(usageInputSchema, { workspaceId, metric, quantity, ...options }, 'recordUsage');
  const metered = await ctx.store.meterUsage({
    workspaceId: input.workspaceId,
    metric: input.metric,
    by: input.quantity,
    mode: 'record',
    ...(input.key ? { usageKey: input.key } : {}),
    now: ctx.clock.now(),
    planLimits: codePlanLimits(ctx),
  });
  const result = quotaOf(input.workspaceId, input.metric, metered);
  if (result.status === 'over_limit') {
    ctx.instruments?.quotaRefused(input.metric);
    throw new QuotaExceededError(input.workspaceId, input.metric, result.used, result.limit, input.quantity);
  }
  const { limit, used, duplicate } = result;
  if (limit !== null && !duplicate) {
    const warnings: Array<HookPayload<'quotaWarning'>> = [];
    const before = used - input.quantity;
    for (const threshold of ctx.config.quotaWarningThresholds) {
      if (before * 100 < threshold * limit && used * 100 >= threshold * limit) {
        warnings.push({
          workspaceId: input.workspaceId,
          metric: input.metric,
          current: used,
          limit,
          percentage: usagePercentage(used, limit) ?? 0,
          threshold,
        });
      }
    }
    // The counter is the store's one metered call; the warnings follow in a small transaction of their
    // own (written to the outbox, then delivered), so a crash between the two loses only the warning.
    if (warnings.length > 0)
      await inTransaction(ctx, workspaceScope(input.workspaceId), async (_tx, hooks) => {
        for (const warning of warnings) hooks.add('quotaWarning', warning);
      });
  }
  return { metric: input.metric, current: used, limit, percentage: usagePercentage(used, limit), duplicate };
}

/** Whether `quantity` more of `metric` fits in the current period's limit (nothing is recorded). */
export async function checkQuota(
  ctx: BillingContext,
  workspaceId: string,
  metric: string,
  quantity = 1,
): Promise<QuotaCheck> {
  const input = parseInput(usageInputSchema, { workspaceId, metric, quantity }, 'checkQuota');
  const metered = await ctx.store.meterUsage({
    workspaceId: input.workspaceId,
    metric: input.metric,
    by: input.quantity,
    mode: 'check',
    now: ctx.clock.now(),
    planLimits: codePlanLimits(ctx),
  });
  const { status, limit, used: current } = quotaOf(input.workspaceId, input.metric, metered);
  return {
    allowed: status === 'ok',
    metric: input.metric,
    current,
    limit,
    remaining: limit === null ? null : Math.max(limit - current, 0),
  };
}

/** A metered call's answer, or the error for a workspace without a subscription, plan or limit for the metric. */
function quotaOf(
  workspaceId: string,
  metric: string,
  result: UsageMeterResult,
): Extract<UsageMeterResult, { status: 'ok' | 'over_limit' }> {
  if (result.status === 'no_subscription') {
    throw new BillingError(
      'SUBSCRIPTION_NOT_FOUND',
      `Workspace ${workspaceId} has no active subscription, so it has no quota for "${metric}"; subscribe to a plan first.`,
    );
  }
  if (result.status === 'no_plan') throw planNotFound(result.planId);
  if (result.status === 'no_metric') {
    throw new BillingError(
      'UNKNOWN_METRIC',
      `Plan "${result.planId}" has no limit for "${metric}"; known metrics: ${result.metrics.join(', ') || '(none)'}.`,
      { details: { metric } },
    );
  }
  return result;
}

// The limits of the plans declared in code, by plan id, as the store's metered call takes them: built
// once per set of plans (the manager's plans never change after it is made).
const limitsByPlans = new WeakMap<ReadonlyMap<string, PlanRecord>, Record<string, Record<string, number | null>>>();
function codePlanLimits(ctx: BillingContext): Record<string, Record<string, number | null>> {
  let limits = limitsByPlans.get(ctx.plans);
  if (!limits) {
    limits = Object.fromEntries([...ctx.plans].map(([id, plan]) => [id, plan.limits]));
    limitsByPlans.set(ctx.plans, limits);
  }
  return limits;
}

/**
 * The usage period a subscription is in: its current billing period. Usage counters are keyed by the
 * period start, so they reset when a new period begins.
 */
export function usagePeriodStart(sub: Pick<SubscriptionRecord, 'currentPeriodStart'>): number {
  return sub.currentPeriodStart;
}
