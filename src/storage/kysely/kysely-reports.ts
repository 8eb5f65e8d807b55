import { type RawBuilder, sql } from 'kysely';
import type { DayRange, ReportQueries, SettleLatency } from '../billing-store.js';
import type { SubscriptionRecord, WebhookEventRecord } from '../records.js';
import { DAY_MS } from '../report-days.js';
import { dayRangeSchema, limitQuerySchema, parseStoreInput, rangeSchema } from '../validation.js';
import {
  type KyselyContext,
  subscriptionColumns,
  toRecord,
  toSafeInteger,
  webhookEventColumns,
} from './kysely-tables.js';

/** The UTC day number of a timestamptz column (epoch seconds are UTC whatever the session's time zone). */
const dayOf = (column: string) => sql`floor(extract(epoch from ${sql.ref(column)}) / 86400)::bigint`;

/** Latency of a settled payment in whole ms (timestamps carry microseconds; the store writes ms). */
const LATENCY_MS = sql`round(extract(epoch from (settled_at - first_signal_at)) * 1000)::bigint`;

/**
 * `ReportQueries` as aggregate statements grouped by UTC day (`floor(epoch / 86400)`), with every
 * count and sum cast to bigint so it comes back as a safe integer. Percentiles are nearest-rank, picked
 * by row number in integer arithmetic (`(p × n + 99) / 100`), exactly as the memory store does.
 *
 * @example
 * const reports = createKyselyReports(context);
 */
export function createKyselyReports({ trx, workspace }: KyselyContext): ReportQueries {
  const mine = workspace === null ? sql`true` : sql`workspace_id = ${workspace}`;
  const rows = async (query: RawBuilder<Record<string, unknown>>) => (await query.execute(trx)).rows;
  const ints = <K extends string>(row: Record<string, unknown>, keys: readonly K[]) =>
    Object.fromEntries(keys.map((key) => [key, toSafeInteger(row[key] ?? 0)])) as Record<K, number>;
  const bounds = (input: unknown, operation: string) => {
    const range: DayRange = parseStoreInput(dayRangeSchema, input, operation);
    return { from: new Date(range.fromDay * DAY_MS), to: new Date(range.toDay * DAY_MS), range };
  };
  const latency = (row: Record<string, unknown> | undefined): SettleLatency => {
    const count = toSafeInteger(row?.count ?? 0);
    const pick = (value: unknown) =>
      count === 0 || value === null || value === undefined ? null : toSafeInteger(value);
    return { count, p50Ms: pick(row?.p50), p95Ms: pick(row?.p95) };
  };

  return {
    async payments(input) {
      const { from, to } = bounds(input, 'reports.payments');
      const found = await rows(sql`select ${dayOf('settled_at')} as day,
          count(*) filter (where state = 'completed') as completed,
          count(*) filter (where state = 'failed') as failed,
          count(*) filter (where state = 'expired') as expired,
          coalesce(sum(amount_paise) filter (where state = 'completed'), 0)::bigint as "grossPaise"
        from payment_transactions where settled_at >= ${from} and settled_at < ${to} and ${mine}
        group by 1 order by 1`);
      return found.map((row) => ints(row, ['day', 'completed', 'failed', 'expired', 'grossPaise'] as const));
    },
    async settleLatency(input) {
      const { from, to } = bounds(input, 'reports.settleLatency');
      const ranked = (partition: RawBuilder<unknown>) => sql`select day, ms,
          row_number() over (partition by ${partition} order by ms) as rn, count(*) over (partition by ${partition}) as n
        from (select ${dayOf('settled_at')} as day, ${LATENCY_MS} as ms from payment_transactions
          where settled_at >= ${from} and settled_at < ${to} and first_signal_at is not null and ${mine}) latencies`;
      const pick = sql`max(n) as count,
          max(ms) filter (where rn = greatest((50 * n + 99) / 100, 1)) as p50,
          max(ms) filter (where rn = greatest((95 * n + 99) / 100, 1)) as p95`;
      const perDay = await rows(sql`select day, ${pick} from (${ranked(sql`day`)}) r group by day order by day`);
      const total = await rows(sql`select ${pick} from (${ranked(sql`0`)}) r`);
      return {
        byDay: perDay.map((row) => ({ day: toSafeInteger(row.day), ...latency(row) })),
        total: latency(total[0]),
      };
    },
    async refunds(input) {
      const { from, to } = bounds(input, 'reports.refunds');
      const found = await rows(sql`select ${dayOf('settled_at')} as day, count(*) as completed,
          coalesce(sum(amount_paise), 0)::bigint as "refundedPaise"
        from payment_refunds where state = 'completed' and settled_at >= ${from} and settled_at < ${to} and ${mine}
        group by 1 order by 1`);
      return found.map((row) => ints(row, ['day', 'completed', 'refundedPaise'] as const));
    },
    async subscriptions(input) {
      const { from, to } = bounds(input, 'reports.subscriptions');
      const found = await rows(sql`select day, count(*) filter (where kind = 'created') as created,
          count(*) filter (where kind = 'cancelled') as cancelled, count(*) filter (where kind = 'ended') as ended
        from (
          select ${dayOf('created_at')} as day, 'created' as kind from subscriptions
            where created_at >= ${from} and created_at < ${to} and ${mine}
          union all
          select ${dayOf('cancelled_at')}, 'cancelled' from subscriptions
            where cancelled_at >= ${from} and cancelled_at < ${to} and ${mine}
          union all
          select ${dayOf('ended_at')}, 'ended' from subscriptions
            where status in ('cancelled', 'expired') and ended_at >= ${from} and ended_at < ${to} and ${mine}
        ) moves group by day order by day`);
      return found.map((row) => ints(row, ['day', 'created', 'cancelled', 'ended'] as const));
    },
    async payingPlans(input) {
      const { range } = bounds(input, 'reports.payingPlans');
      const found = await rows(sql`select d.day, s.plan_id as "planId", count(*) as subscriptions
        from generate_series(${range.fromDay}::bigint, ${range.toDay}::bigint - 1) as d(day)
        join (select plan_id, created_at,
            coalesce(ended_at, case when status in ('cancelled', 'expired') then updated_at end) as ended
          from subscriptions where status <> 'trialing' and ${mine}) s
          on s.created_at < to_timestamp((d.day + 1) * 86400)
          and (s.ended is null or s.ended >= to_timestamp((d.day + 1) * 86400))
        group by d.day, s.plan_id order by d.day, s.plan_id collate "C"`);
      return found.map((row) => ({
        day: toSafeInteger(row.day),
        planId: String(row.planId),
        subscriptions: toSafeInteger(row.subscriptions),
      }));
    },
    async webhooks(input) {
      const { from, to } = bounds(input, 'reports.webhooks');
      const kind = sql`split_part(coalesce(outcome, ''), ':', 1)`;
      const found = await rows(sql`select ${dayOf('received_at')} as day, count(*) as received,
          count(*) filter (where status = 'processed') as processed,
          (coalesce(sum(duplicate_count), 0) + count(*) filter (where status = 'unapplied' and ${kind} = 'duplicate'))::bigint
            as duplicates,
          count(*) filter (where status = 'unapplied' and ${kind} not in ('refused', 'unconfirmed', 'duplicate')) as ignored,
          count(*) filter (where status = 'unapplied' and ${kind} = 'refused') as refused,
          count(*) filter (where status = 'unapplied' and ${kind} = 'unconfirmed') as unconfirmed,
          count(*) filter (where status = 'failed') as failed,
          count(*) filter (where status = 'received') as pending
        from webhook_events where received_at >= ${from} and received_at < ${to} and ${mine}
        group by 1 order by 1`);
      return found.map((row) =>
        ints(row, [
          'day',
          'received',
          'processed',
          'duplicates',
          'ignored',
          'refused',
          'unconfirmed',
          'failed',
          'pending',
        ] as const),
      );
    },
    async usageByDay(workspaceId, input) {
      const { from, to } = bounds(input, 'reports.usageByDay');
      const found =
        await rows(sql`select ${dayOf('created_at')} as day, metric, coalesce(sum(amount), 0)::bigint as quantity
        from subscription_usage_events
        where workspace_id = ${workspaceId} and created_at >= ${from} and created_at < ${to} and ${mine}
        group by 1, metric order by 1, metric collate "C"`);
      return found.map((row) => ({
        day: toSafeInteger(row.day),
        metric: String(row.metric),
        quantity: toSafeInteger(row.quantity),
      }));
    },
    async usageByPeriod(workspaceId, input) {
      const parsed = parseStoreInput(rangeSchema, input, 'reports.usageByPeriod');
      const from = new Date(parsed.from);
      const to = new Date(parsed.to);
      const found =
        await rows(sql`select (extract(epoch from u.period_start) * 1000)::bigint as "periodStart", u.metric, u.used,
          coalesce((select sum(e.amount) from subscription_usage_events e
            where e.workspace_id = u.workspace_id and e.metric = u.metric and e.period_start = u.period_start), 0)::bigint as keyed
        from subscription_usage u
        where u.workspace_id = ${workspaceId} and u.period_start >= ${from} and u.period_start < ${to}
          and ${workspace === null ? sql`true` : sql`u.workspace_id = ${workspace}`}
        order by u.period_start, u.metric collate "C"`);
      return found.map((row) => ({
        periodStart: toSafeInteger(row.periodStart),
        metric: String(row.metric),
        used: toSafeInteger(row.used),
        keyed: toSafeInteger(row.keyed),
      }));
    },
    async pastDue(query) {
      const { limit } = parseStoreInput(limitQuerySchema, query, 'reports.pastDue');
      const found = await trx
        .selectFrom('subscriptions')
        .selectAll()
        .where('status', '=', 'past_due')
        .$if(workspace !== null, (qb) => qb.where('workspace_id', '=', workspace))
        .orderBy('current_period_end', 'asc')
        .orderBy(sql`id collate "C"`, 'asc')
        .limit(limit)
        .execute();
      return found.map((row) => toRecord<SubscriptionRecord>(subscriptionColumns, row));
    },
    async failedWebhooks(query) {
      const { limit } = parseStoreInput(limitQuerySchema, query, 'reports.failedWebhooks');
      const found = await trx
        .selectFrom('webhook_events')
        .selectAll()
        .where('status', '=', 'failed')
        .$if(workspace !== null, (qb) => qb.where('workspace_id', '=', workspace))
        .orderBy('received_at', 'desc')
        .orderBy(sql`dedupe_key collate "C"`, 'desc')
        .limit(limit)
        .execute();
      return found.map((row) => ({
        ...toRecord<WebhookEventRecord>(webhookEventColumns, row),
        payload: null,
      }));
    },
  };
}
