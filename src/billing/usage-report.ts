import { z } from 'zod';
import { DAY_MS } from '../storage/report-days.js';
import { type BillingContext, findPlan, inTransaction, workspaceScope } from './billing-context.js';
import { parseInput } from './errors.js';
import { checkReportRange, isoDate, reportRangeShape } from './report-range.js';

const usageReportInputSchema = z.strictObject({
  workspaceId: z.string().min(1).max(128),
  ...reportRangeShape,
  granularity: z.enum(['day', 'period']).default('day'),
});

/** What `usageReport` is asked. */
export type UsageReportInput = Omit<z.input<typeof usageReportInputSchema>, 'workspaceId'>;

/** One UTC day of a usage report: how much of each metric was recorded that day. */
export interface UsageDay {
  /** `2026-11-01` (UTC). */
  date: string;
  /** Epoch ms of the day's UTC midnight. */
  start: number;
  /** Metric → quantity recorded with a usage key that day (0 when none). */
  usage: Record<string, number>;
}

/** One billing period of a usage report: the period's counters. */
export interface UsagePeriod {
  /** Epoch ms the period started (usage counters are kept per period start). */
  start: number;
  /** Metric → the period's counter (everything recorded in it, with a key or not). */
  usage: Record<string, number>;
  /** Metric → the part of `usage` recorded with a usage key (only that part has a recorded time). */
  keyed: Record<string, number>;
}

/**
 * A workspace's usage over `[from, to)`.
 *
 * Per day, only usage recorded with a usage key (`recordUsage(…, { key })`) can be placed on a day: the
 * store keeps a row with a time for each key, but usage without a key only adds to the billing period's
 * counter. `unattributed` is that part — counter minus keyed usage — of the periods overlapping the range,
 * so nothing is silently missing from the totals.
 */
export type UsageReport =
  | {
      workspaceId: string;
      granularity: 'day';
      from: number;
      to: number;
      timeZone: 'UTC';
      /** Every metric in the data or in the current plan's limits, sorted. */
      metrics: string[];
      days: UsageDay[];
      /** Metric → the sum of `days`. */
      totals: Record<string, number>;
      /** Metric → usage without a usage key in the periods overlapping the range (no day is known for it). */
      unattributed: Record<string, number>;
    }
  | {
      workspaceId: string;
      granularity: 'period';
      from: number;
      to: number;
      timeZone: 'UTC';
      metrics: string[];
      /** Periods that started in `[from, to)`, oldest first. */
      periods: UsagePeriod[];
      totals: Record<string, number>;
    };

const zeros = (metrics: readonly string[]) => Object.fromEntries(metrics.map((m) => [m, 0]));

/**
 * Usage history of one workspace by UTC day (zero-filled) or by billing period, from the usage the store
 * keeps. Read under the workspace's own scope.
 *
 * @example
 * await usageReport(ctx, 'ws_1', { from: Date.UTC(2026, 10, 1), to: Date.UTC(2026, 11, 1), granularity: 'day' });
 */
export async function usageReport(
  ctx: BillingContext,
  workspaceId: string,
  options: UsageReportInput,
): Promise<UsageReport> {
  const input = parseInput(usageReportInputSchema, { workspaceId, ...options }, 'usageReport');
  const days = checkReportRange(input, 'usageReport');
  const { from, to, granularity } = input;
  return inTransaction(ctx, workspaceScope(workspaceId), async (tx) => {
    const latest = await tx.subscriptions.getLatest(workspaceId);
    const plan = latest ? await findPlan(ctx, tx, latest.planId) : null;
    const known = new Set(Object.keys(plan?.limits ?? {}));
    // Every period up to `to`: the one in progress at `from` counts towards `unattributed` too.
    const periods = await tx.reports.usageByPeriod(workspaceId, { from: 0, to });
    const base = { workspaceId, from, to, timeZone: 'UTC' as const };
    if (granularity === 'period') {
      const inRange = periods.filter((row) => row.periodStart >= from);
      for (const row of inRange) known.add(row.metric);
      const metrics = [...known].sort();
      const byStart = new Map<number, UsagePeriod>();
      const totals = zeros(metrics);
      for (const row of inRange) {
        const period = byStart.get(row.periodStart) ?? {
          start: row.periodStart,
          usage: zeros(metrics),
          keyed: zeros(metrics),
        };
        period.usage[row.metric] = row.used;
        period.keyed[row.metric] = row.keyed;
        totals[row.metric] = (totals[row.metric] ?? 0) + row.used;
        byStart.set(row.periodStart, period);
      }
      return { ...base, granularity, metrics, periods: [...byStart.values()], totals };
    }
    const rows = await tx.reports.usageByDay(workspaceId, days);
    const inProgressAtFrom = Math.max(
      -1,
      ...periods.filter((row) => row.periodStart <= from).map((r) => r.periodStart),
    );
    const overlapping = periods.filter((row) => row.periodStart >= inProgressAtFrom);
    for (const row of [...rows, ...overlapping]) known.add(row.metric);
    const metrics = [...known].sort();
    const dayList: UsageDay[] = [];
    for (let day = days.fromDay; day < days.toDay; day += 1)
      dayList.push({ date: isoDate(day), start: day * DAY_MS, usage: zeros(metrics) });
    const totals = zeros(metrics);
    for (const row of rows) {
      const entry = dayList[row.day - days.fromDay];
      if (!entry) continue;
      entry.usage[row.metric] = row.quantity;
      totals[row.metric] = (totals[row.metric] ?? 0) + row.quantity;
    }
    const unattributed = zeros(metrics);
    for (const row of overlapping) unattributed[row.metric] = (unattributed[row.metric] ?? 0) + row.used - row.keyed;
    return { ...base, granularity, metrics, days: dayList, totals, unattributed };
  });
}
