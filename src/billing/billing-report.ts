import { z } from 'zod';
import type { BillingTransaction, SettleLatency } from '../storage/billing-store.js';
import type { SubscriptionRecord, WebhookEventRecord } from '../storage/records.js';
import { DAY_MS } from '../storage/report-days.js';
import { type BillingContext, findPlan, inTransaction, SYSTEM_SCOPE } from './billing-context.js';
import { parseInput } from './errors.js';
import { checkReportRange, isoDate, reportRangeShape } from './report-range.js';

const reportInputSchema = z.strictObject({ ...reportRangeShape, granularity: z.enum(['day']).default('day') });

/** What `report` is asked: whole UTC days, `to` excluded. */
export type BillingReportInput = z.input<typeof reportInputSchema>;

/** Payments that settled in a day (or the range): terminal states and the share that completed. */
export interface ReportPayments {
  /** completed + failed + expired. */
  settled: number;
  completed: number;
  failed: number;
  expired: number;
  /** completed ÷ settled, `null` when nothing settled. A ratio, not money. */
  successRate: number | null;
}

/** Money in a day (or the range), integer paise: completed payments, completed refunds, the difference. */
export interface ReportRevenue {
  grossPaise: number;
  /** Refunds by the day they completed (not the day of the payment they return). */
  refundedPaise: number;
  netPaise: number;
}

/** Webhook deliveries by the day first received, by what became of them. */
export interface ReportWebhooks {
  received: number;
  processed: number;
  /** Later copies of those deliveries (answered without work). */
  duplicates: number;
  /** Not ours, or an event type with nothing to apply. */
  ignored: number;
  /** Disagreed with our records or the gateway's status API. */
  refused: number;
  /** Reported a state the status API did not show yet (the gateway delivers it again). */
  unconfirmed: number;
  /** Processing threw (the next delivery retries it). */
  failed: number;
  /** Still being processed (or a process died while processing it). */
  pending: number;
}

/** One UTC day of {@link BillingReport}. */
export interface BillingReportDay {
  /** `2026-11-01` (UTC). */
  date: string;
  /** Epoch ms of the day's UTC midnight. */
  start: number;
  payments: ReportPayments;
  revenue: ReportRevenue;
  /**
   * Monthly recurring revenue at the day's end, paise: the plan price of every subscription paying then
   * (see `ReportQueries.payingPlans`), a yearly plan's price divided by 12 — summed over all yearly
   * subscriptions first, then divided once, rounding half up.
   */
  mrrPaise: number;
  subscriptions: { new: number; cancelled: number; churned: number };
  webhooks: ReportWebhooks;
  /** First callback (redirect or webhook) → settlement of that day's settled payments, ms. */
  settle: SettleLatency;
}

/** Revenue and health over a range of UTC days, for operators (`billing.report`). */
export interface BillingReport {
  from: number;
  to: number;
  granularity: 'day';
  timeZone: 'UTC';
  days: BillingReportDay[];
  totals: {
    payments: ReportPayments;
    revenue: ReportRevenue;
    /** MRR at the end of the last day. */
    mrrPaise: number;
    subscriptions: { new: number; cancelled: number; churned: number };
    webhooks: ReportWebhooks;
    settle: SettleLatency;
  };
  /** Plans of paying subscriptions that neither the code nor the store knows: left out of MRR. */
  unpricedPlans: string[];
}

const noPayments = (): Omit<ReportPayments, 'successRate'> => ({ settled: 0, completed: 0, failed: 0, expired: 0 });
const noWebhooks = (): ReportWebhooks => ({
  received: 0,
  processed: 0,
  duplicates: 0,
  ignored: 0,
  refused: 0,
  unconfirmed: 0,
  failed: 0,
  pending: 0,
});
const rate = (p: Omit<ReportPayments, 'successRate'>): ReportPayments => ({
  ...p,
  successRate: p.settled === 0 ? null : p.completed / p.settled,
});

/** Field-wise sums of records of counts (`start` gives the fields). */
function addUp<T extends object>(items: readonly T[], start: T): T {
  const total = { ...start } as Record<string, number>;
  for (const item of items)
    for (const key of Object.keys(total)) total[key] = (total[key] ?? 0) + ((item as Record<string, number>)[key] ?? 0);
  return total as T;
}

/**
 * Revenue and health by UTC day over `[from, to)`, each day zero-filled, computed by the store's report
 * queries (SQL on PostgreSQL) under the system scope.
 *
 * @example
 * const r = await billingReport(ctx, { from: Date.UTC(2026, 10, 1), to: Date.UTC(2026, 11, 1) });
 * r.days[0].revenue.netPaise;
 */
export async function billingReport(ctx: BillingContext, options: BillingReportInput): Promise<BillingReport> {
  const input = parseInput(reportInputSchema, options, 'report');
  const range = checkReportRange(input, 'report');
  return inTransaction(ctx, SYSTEM_SCOPE, async (tx) => {
    const payments = await tx.reports.payments(range);
    const latency = await tx.reports.settleLatency(range);
    const refunds = await tx.reports.refunds(range);
    const subscriptions = await tx.reports.subscriptions(range);
    const paying = await tx.reports.payingPlans(range);
    const webhooks = await tx.reports.webhooks(range);
    const { mrrByDay, unpriced } = await monthlyRevenue(ctx, tx, paying);

    const days: BillingReportDay[] = [];
    for (let day = range.fromDay; day < range.toDay; day += 1) {
      days.push({
        date: isoDate(day),
        start: day * DAY_MS,
        payments: rate(noPayments()),
        revenue: { grossPaise: 0, refundedPaise: 0, netPaise: 0 },
        mrrPaise: mrrByDay.get(day) ?? 0,
        subscriptions: { new: 0, cancelled: 0, churned: 0 },
        webhooks: noWebhooks(),
        settle: { count: 0, p50Ms: null, p95Ms: null },
      });
    }
    const at = (day: number) => days[day - range.fromDay] as BillingReportDay;
    for (const row of payments) {
      const d = at(row.day);
      d.payments = rate({
        settled: row.completed + row.failed + row.expired,
        completed: row.completed,
        failed: row.failed,
        expired: row.expired,
      });
      d.revenue.grossPaise = row.grossPaise;
    }
    for (const row of refunds) at(row.day).revenue.refundedPaise = row.refundedPaise;
    for (const d of days) d.revenue.netPaise = d.revenue.grossPaise - d.revenue.refundedPaise;
    for (const row of subscriptions)
      at(row.day).subscriptions = { new: row.created, cancelled: row.cancelled, churned: row.ended };
    for (const { day, ...counts } of webhooks) at(day).webhooks = counts;
    for (const { day, ...settle } of latency.byDay) at(day).settle = settle;

    return {
      from: input.from,
      to: input.to,
      granularity: 'day',
      timeZone: 'UTC',
      days,
      totals: {
        payments: rate(
          addUp(
            days.map(({ payments: { successRate: _, ...counts } }) => counts),
            noPayments(),
          ),
        ),
        revenue: addUp(
          days.map((d) => d.revenue),
          { grossPaise: 0, refundedPaise: 0, netPaise: 0 },
        ),
        mrrPaise: days.at(-1)?.mrrPaise ?? 0,
        subscriptions: addUp(
          days.map((d) => d.subscriptions),
          { new: 0, cancelled: 0, churned: 0 },
        ),
        webhooks: addUp(
          days.map((d) => d.webhooks),
          noWebhooks(),
        ),
        settle: latency.total,
      },
      unpricedPlans: unpriced,
    };
  });
}

/** MRR per day from the paying subscriptions per plan, with each plan's price (code first, then the store). */
async function monthlyRevenue(
  ctx: BillingContext,
  tx: BillingTransaction,
  paying: ReadonlyArray<{ day: number; planId: string; subscriptions: number }>,
): Promise<{ mrrByDay: Map<number, number>; unpriced: string[] }> {
  const plans = new Map<string, { pricePaise: number; interval: string } | null>();
  for (const { planId } of paying) if (!plans.has(planId)) plans.set(planId, await findPlan(ctx, tx, planId));
  const perDay = new Map<number, { monthly: number; yearly: number }>();
  for (const row of paying) {
    const plan = plans.get(row.planId);
    if (!plan) continue;
    const acc = perDay.get(row.day) ?? { monthly: 0, yearly: 0 };
    if (plan.interval === 'year') acc.yearly += plan.pricePaise * row.subscriptions;
    else acc.monthly += plan.pricePaise * row.subscriptions;
    perDay.set(row.day, acc);
  }
  const mrrByDay = new Map<number, number>();
  // Yearly prices summed first and divided by 12 once, half up: at most half a paisa off in total.
  for (const [day, { monthly, yearly }] of perDay) mrrByDay.set(day, monthly + Math.floor((yearly + 6) / 12));
  const unpriced = [...plans]
    .filter(([, plan]) => plan === null)
    .map(([id]) => id)
    .sort();
  return { mrrByDay, unpriced };
}

/** What needs an operator's eye now: past-due subscriptions and webhooks whose processing failed. */
export interface BillingAttention {
  pastDue: SubscriptionRecord[];
  /** Without payloads. */
  failedWebhooks: WebhookEventRecord[];
}

/**
 * The lists of the operator dashboard, at most `limit` of each (default 50, at most 500).
 *
 * @example
 * const { pastDue, failedWebhooks } = await billingAttention(ctx, { limit: 20 });
 */
export async function billingAttention(
  ctx: BillingContext,
  options: { limit?: number } = {},
): Promise<BillingAttention> {
  const { limit } = parseInput(z.strictObject({ limit: z.int().min(1).max(500).default(50) }), options, 'attention');
  return inTransaction(ctx, SYSTEM_SCOPE, async (tx) => ({
    pastDue: await tx.reports.pastDue({ limit }),
    failedWebhooks: await tx.reports.failedWebhooks({ limit }),
  }));
}
