import type { DayRange, ReportQueries, SettleLatency } from '../billing-store.js';
import type { SubscriptionRecord, WebhookEventRecord } from '../records.js';
import { dayOf, nearestRank } from '../report-days.js';
import { isVisible } from '../scope-rules.js';
import { dayRangeSchema, limitQuerySchema, parseStoreInput, rangeSchema } from '../validation.js';
import { compareText, copyOut, type MemoryContext } from './memory-tables.js';

/** Rows grouped by a key, each group folded into a fresh accumulator; returned sorted by key. */
function groupBy<R, A>(
  rows: readonly R[],
  keyOf: (row: R) => string | null,
  start: () => A,
  add: (acc: A, row: R) => void,
) {
  const groups = new Map<string, A>();
  for (const row of rows) {
    const key = keyOf(row);
    if (key === null) continue;
    let acc = groups.get(key);
    if (!acc) {
      acc = start();
      groups.set(key, acc);
    }
    add(acc, row);
  }
  return groups;
}

const inDays = (at: number | null, { fromDay, toDay }: DayRange): boolean =>
  at !== null && dayOf(at) >= fromDay && dayOf(at) < toDay;

function latencyOf(values: number[]): SettleLatency {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, p50Ms: nearestRank(sorted, 50), p95Ms: nearestRank(sorted, 95) };
}

const byDay = <T extends { day: number }>(rows: T[]): T[] => rows.sort((a, b) => a.day - b.day);

/** The part of an `unapplied` webhook's outcome before the colon (`ignored: not ours` → `ignored`). */
export function outcomeKind(outcome: string | null): string {
  return (outcome ?? '').split(':', 1)[0] ?? '';
}

/**
 * `ReportQueries` of the memory store: the same definitions as the SQL of the Kysely store.
 *
 * @example
 * const reports = createMemoryReports(context);
 */
export function createMemoryReports({ tables, workspace }: MemoryContext): ReportQueries {
  const mine = <T extends { workspaceId: string | null }>(rows: T[]): T[] =>
    rows.filter((row) => isVisible(workspace, row.workspaceId));
  const days = (input: unknown, operation: string) => parseStoreInput(dayRangeSchema, input, operation);

  return {
    async payments(input) {
      const range = days(input, 'reports.payments');
      const settled = mine(tables.payments.rows()).filter((row) => inDays(row.settledAt, range));
      const groups = groupBy(
        settled,
        (row) => String(dayOf(row.settledAt!)),
        () => ({ completed: 0, failed: 0, expired: 0, grossPaise: 0 }),
        (acc, row) => {
          if (row.state === 'completed') {
            acc.completed += 1;
            acc.grossPaise += row.amountPaise;
          } else if (row.state === 'failed') acc.failed += 1;
          else if (row.state === 'expired') acc.expired += 1;
        },
      );
      return byDay([...groups].map(([day, acc]) => ({ day: Number(day), ...acc })));
    },
    async settleLatency(input) {
      const range = days(input, 'reports.settleLatency');
      const signalled = mine(tables.payments.rows()).filter(
        (row) => inDays(row.settledAt, range) && row.firstSignalAt !== null,
      );
      const ms = (row: (typeof signalled)[number]) => row.settledAt! - row.firstSignalAt!;
      const groups = groupBy(
        signalled,
        (row) => String(dayOf(row.settledAt!)),
        () => [] as number[],
        (acc, row) => acc.push(ms(row)),
      );
      return {
        byDay: byDay([...groups].map(([day, values]) => ({ day: Number(day), ...latencyOf(values) }))),
        total: latencyOf(signalled.map(ms)),
      };
    },
    async refunds(input) {
      const range = days(input, 'reports.refunds');
      const completed = mine(tables.refunds.rows()).filter(
        (row) => row.state === 'completed' && inDays(row.settledAt, range),
      );
      const groups = groupBy(
        completed,
        (row) => String(dayOf(row.settledAt!)),
        () => ({ completed: 0, refundedPaise: 0 }),
        (acc, row) => {
          acc.completed += 1;
          acc.refundedPaise += row.amountPaise;
        },
      );
      return byDay([...groups].map(([day, acc]) => ({ day: Number(day), ...acc })));
    },
    async subscriptions(input) {
      const range = days(input, 'reports.subscriptions');
      const counts = new Map<number, { created: number; cancelled: number; ended: number }>();
      const bump = (at: number | null, field: 'created' | 'cancelled' | 'ended') => {
        if (!inDays(at, range)) return;
        const day = dayOf(at!);
        const acc = counts.get(day) ?? { created: 0, cancelled: 0, ended: 0 };
        acc[field] += 1;
        counts.set(day, acc);
      };
      for (const row of mine(tables.subscriptions.rows())) {
        bump(row.createdAt, 'created');
        bump(row.cancelledAt, 'cancelled');
        if (row.status === 'cancelled' || row.status === 'expired') bump(row.endedAt, 'ended');
      }
      return byDay([...counts].map(([day, acc]) => ({ day, ...acc })));
    },
    async payingPlans(input) {
      const range = days(input, 'reports.payingPlans');
      const rows = mine(tables.subscriptions.rows()).filter((row) => row.status !== 'trialing');
      const out: Array<{ day: number; planId: string; subscriptions: number }> = [];
      for (let day = range.fromDay; day < range.toDay; day += 1) {
        const dayEnd = (day + 1) * 86_400_000;
        const perPlan = groupBy(
          rows.filter((row) => row.createdAt < dayEnd && !endedBy(row, dayEnd)),
          (row) => row.planId,
          () => ({ n: 0 }),
          (acc) => {
            acc.n += 1;
          },
        );
        const plans = [...perPlan].sort(([a], [b]) => compareText(a, b));
        for (const [planId, { n }] of plans) out.push({ day, planId, subscriptions: n });
      }
      return out;
    },
    async webhooks(input) {
      const range = days(input, 'reports.webhooks');
      const received = mine(tables.webhookEvents.rows()).filter((row) => inDays(row.receivedAt, range));
      const groups = groupBy(
        received,
        (row) => String(dayOf(row.receivedAt)),
        () => ({
          received: 0,
          processed: 0,
          duplicates: 0,
          ignored: 0,
          refused: 0,
          unconfirmed: 0,
          failed: 0,
          pending: 0,
        }),
        (acc, row) => {
          acc.received += 1;
          acc.duplicates += row.duplicateCount;
          acc[webhookBucket(row)] += 1;
        },
      );
      return byDay([...groups].map(([day, acc]) => ({ day: Number(day), ...acc })));
    },
    async usageByDay(workspaceId, input) {
      const range = days(input, 'reports.usageByDay');
      const events = mine(tables.usageKeys.rows()).filter(
        (row) => row.workspaceId === workspaceId && inDays(row.createdAt, range),
      );
      const groups = groupBy(
        events,
        (row) => JSON.stringify([dayOf(row.createdAt), row.metric]),
        () => ({ quantity: 0 }),
        (acc, row) => {
          acc.quantity += row.amount;
        },
      );
      return [...groups]
        .map(([key, acc]) => {
          const [day, metric] = JSON.parse(key) as [number, string];
          return { day, metric, quantity: acc.quantity };
        })
        .sort((a, b) => a.day - b.day || compareText(a.metric, b.metric));
    },
    async usageByPeriod(workspaceId, input) {
      const { from, to } = parseStoreInput(rangeSchema, input, 'reports.usageByPeriod');
      const keyed = new Map<string, number>();
      for (const row of mine(tables.usageKeys.rows())) {
        if (row.workspaceId !== workspaceId) continue;
        const key = JSON.stringify([row.periodStart, row.metric]);
        keyed.set(key, (keyed.get(key) ?? 0) + row.amount);
      }
      return mine(tables.usage.rows())
        .filter((row) => row.workspaceId === workspaceId && row.periodStart >= from && row.periodStart < to)
        .map((row) => ({
          periodStart: row.periodStart,
          metric: row.metric,
          used: row.used,
          keyed: keyed.get(JSON.stringify([row.periodStart, row.metric])) ?? 0,
        }))
        .sort((a, b) => a.periodStart - b.periodStart || compareText(a.metric, b.metric));
    },
    async pastDue(query) {
      const { limit } = parseStoreInput(limitQuerySchema, query, 'reports.pastDue');
      return mine(tables.subscriptions.rows())
        .filter((row) => row.status === 'past_due')
        .sort((a, b) => a.currentPeriodEnd - b.currentPeriodEnd || compareText(a.id, b.id))
        .slice(0, limit)
        .map((row) => copyOut(row));
    },
    async failedWebhooks(query) {
      const { limit } = parseStoreInput(limitQuerySchema, query, 'reports.failedWebhooks');
      return mine(tables.webhookEvents.rows())
        .filter((row) => row.status === 'failed')
        .sort((a, b) => b.receivedAt - a.receivedAt || compareText(b.dedupeKey, a.dedupeKey))
        .slice(0, limit)
        .map((row) => ({ ...copyOut(row), payload: null }));
    },
  };
}

/** Whether a subscription had ended by `at`: its `endedAt`, or `updatedAt` for an ended row without one. */
function endedBy(row: SubscriptionRecord, at: number): boolean {
  const ended = row.endedAt ?? (row.status === 'cancelled' || row.status === 'expired' ? row.updatedAt : null);
  return ended !== null && ended < at;
}

/** Which count of the day a webhook row goes to (its status, or for `unapplied` its outcome). */
function webhookBucket(
  row: WebhookEventRecord,
): 'processed' | 'failed' | 'pending' | 'ignored' | 'refused' | 'unconfirmed' | 'duplicates' {
  if (row.status === 'processed') return 'processed';
  if (row.status === 'failed') return 'failed';
  if (row.status === 'received') return 'pending';
  const kind = outcomeKind(row.outcome);
  if (kind === 'refused' || kind === 'unconfirmed') return kind;
  if (kind === 'duplicate') return 'duplicates';
  return 'ignored';
}
