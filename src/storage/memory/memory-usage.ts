import type { UsageMeterRequest, UsageMeterResult, UsageRepository } from '../billing-store.js';
import { assertMayWrite, isVisible } from '../scope-rules.js';
import { parseStoreInput } from '../validation/parse-store-input.js';
import { usageIncrementSchema } from '../validation/operation-schemas.js';
import type { MemoryContext } from './memory-context.js';
import { usageCounterKey, usageKeyKey } from './memory-tables.js';

/**
 * `UsageRepository` of the memory store: the limit check and the write happen in one serialised
 * transaction, so no two increments can both see room for one more.
 *
 * @example
 * const usage = createMemoryUsage(context);
 */
export function createMemoryUsage({ tables, journal, workspace }: MemoryContext): UsageRepository {
  return {
    async increment(input) {
      const { workspaceId, metric, periodStart, by, limit, usageKey, now } = parseStoreInput(
        usageIncrementSchema,
        input,
        'usage.increment',
      );
      assertMayWrite(workspace, workspaceId, 'usage.increment');
      const used = tables.usage.get(usageCounterKey(workspaceId, metric, periodStart))?.used ?? 0;
      if (usageKey !== undefined && tables.usageKeys.get(usageKeyKey(workspaceId, usageKey))) {
        return { ok: true, used, duplicate: true };
      }
      if (limit !== null && used + by > limit) return { ok: false, used, limit };
      const next = used + by;
      if (!Number.isSafeInteger(next))
        throw new RangeError(`usage.increment: ${metric} of workspace ${workspaceId} would exceed a safe integer.`);
      tables.usage.put({ workspaceId, metric, periodStart, used: next, updatedAt: now }, journal, 'usage.increment');
      if (usageKey !== undefined) {
        tables.usageKeys.insert(
          { workspaceId, usageKey, metric, periodStart, amount: by, createdAt: now },
          journal,
          'usage.increment',
        );
      }
      return { ok: true, used: next, duplicate: false };
    },
    async get(workspaceId, periodStart) {
      const counters: Record<string, number> = {};
      if (!isVisible(workspace, workspaceId)) return counters;
      for (const row of tables.usage.rows()) {
        if (row.workspaceId === workspaceId && row.periodStart === periodStart) counters[row.metric] = row.used;
      }
      return counters;
    },
  };
}

/**
 * `BillingStore.meterUsage` on the memory tables, inside the memory store's serialised transaction:
 * the live subscription, its plan's limit (from `planLimits`, else the stored plan), then the
 * increment of {@link createMemoryUsage} or, for a check, a read.
 *
 * @example
 * const result = await meterMemoryUsage(context, request);
 */
export async function meterMemoryUsage(context: MemoryContext, request: UsageMeterRequest): Promise<UsageMeterResult> {
  const { tables, workspace } = context;
  const { workspaceId, metric, by, mode, usageKey, now, planLimits } = request;
  const sub = tables.subscriptions.findUnique('subscription_live_per_workspace', workspaceId);
  if (!sub || !isVisible(workspace, sub.workspaceId)) return { status: 'no_subscription' };
  const planId = sub.planId;
  const limits = Object.hasOwn(planLimits, planId) ? planLimits[planId] : tables.plans.get(planId)?.limits;
  if (!limits) return { status: 'no_plan', planId };
  if (!Object.hasOwn(limits, metric)) return { status: 'no_metric', planId, metrics: Object.keys(limits) };
  const limit = limits[metric] ?? null;
  const periodStart = sub.currentPeriodStart;
  if (mode === 'check') {
    const used = tables.usage.get(usageCounterKey(workspaceId, metric, periodStart))?.used ?? 0;
    if (limit !== null && used + by > limit) return { status: 'over_limit', planId, periodStart, limit, used };
    return { status: 'ok', planId, periodStart, limit, used, duplicate: false };
  }
  const counted = await createMemoryUsage(context).increment({
    workspaceId,
    metric,
    periodStart,
    by,
    limit,
    now,
    ...(usageKey ? { usageKey } : {}),
  });
  if (!counted.ok) return { status: 'over_limit', planId, periodStart, limit: counted.limit, used: counted.used };
  return { status: 'ok', planId, periodStart, limit, used: counted.used, duplicate: counted.duplicate };
}
