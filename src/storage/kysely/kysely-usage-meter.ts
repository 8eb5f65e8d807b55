import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { UsageMeterRequest, UsageMeterResult } from '../billing-store.js';
import { LIVE_SUBSCRIPTION_STATUSES } from '../records/subscription-record.js';
import { toEpochMs, toSafeInteger } from './column-codec.js';
import { inlineParameters, sqlLiteral } from './statement-batches.js';

type SqlType = 'text' | 'bigint' | 'timestamptz' | 'jsonb';
/** How a value enters the statement: a bound parameter, or an inlined literal (statement batches). */
export type SqlValue = (value: string | number, type: SqlType) => RawBuilder<unknown>;

/** Values as bound parameters (`$1::text`). */
export const boundValue: SqlValue = (value, type) => sql`${type === 'timestamptz' ? new Date(value) : value}::${sql.raw(type)}`;

/** Values inlined as escaped literals, for a statement batch (which cannot bind parameters). */
export const inlinedValue: SqlValue = (value, type) => {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`Only safe integers are inlined into SQL, not ${value}.`);
    return sql.raw(type === 'timestamptz' ? `${inlineParameters('$1', [new Date(value)])}::timestamptz` : `${value}::${type}`);
  }
  return sql.raw(`${sqlLiteral(value)}::${type}`);
};

/** A row of {@link meterUsageStatement}; none when the workspace has no live subscription. */
export interface MeterRow {
  plan_id: string;
  period_start: unknown;
  /** The plan's limits (metric → limit), from `planLimits` or the stored plan; null when neither has the plan. */
  limits: unknown;
  /** `record`: the counter after the increment, null when nothing was added. `check`: the counter as read. */
  used: unknown;
  /** With a usage key: whether this call claimed it (false: a duplicate). */
  claimed: boolean | null;
}

/**
 * One metered call as one statement (see `BillingStore.meterUsage`): the live subscription and its
 * plan's limits (`planLimits` first, then the stored plan), and with `record` the counter upsert whose
 * `ON CONFLICT … WHERE` re-checks the limit against the newest counter value under its row lock (so
 * concurrent callers never pass the limit together). With a usage key the key is claimed in the same
 * statement and only a claimed key counts (a concurrent holder of the key makes the claim wait for it);
 * a claim whose increment the limit refused must be given back by the caller. Kept small on purpose:
 * the server plans it on every call, and planning is most of its cost.
 *
 * @example
 * const { rows } = await meterUsageStatement(request, boundValue).execute(trx);
 */
export function meterUsageStatement(request: UsageMeterRequest, value: SqlValue): RawBuilder<MeterRow> {
  const { workspaceId, metric, by, mode, usageKey, now, planLimits } = request;
  const ws = value(workspaceId, 'text');
  const m = value(metric, 'text');
  const amount = value(by, 'bigint');
  const at = value(now, 'timestamptz');
  const live = sql.join(LIVE_SUBSCRIPTION_STATUSES.map((status) => value(status, 'text')));
  const quota = sql`q as (
      select s.plan_id, s.current_period_start as period_start,
        coalesce(${value(JSON.stringify(planLimits), 'jsonb')} -> s.plan_id, (select p.limits from plans p where p.id = s.plan_id)) as limits
      from subscriptions s where s.workspace_id = ${ws} and s.status in (${live}) limit 1)`;
  if (mode === 'check') {
    return sql<MeterRow>`with ${quota}
      select q.plan_id, q.period_start, q.limits, (select used from subscription_usage where workspace_id = ${ws} and metric = ${m} and period_start = q.period_start) as used, null::boolean as claimed
      from q`;
  }
  const cap = sql`(q.limits ->> ${m})::bigint`;
  const keyed = usageKey !== undefined;
  const claim = keyed
    ? sql`, k as (
        insert into subscription_usage_events (workspace_id, usage_key, metric, period_start, amount, created_at)
        select ${ws}, ${value(usageKey, 'text')}, ${m}, q.period_start, ${amount}, ${at} from q where q.limits ? ${m}
        on conflict (workspace_id, usage_key) do nothing
        returning 1)`
    : sql``;
  return sql<MeterRow>`with ${quota}${claim}, c as (
      insert into subscription_usage as u (workspace_id, metric, period_start, used, updated_at)
      select ${ws}, ${m}, q.period_start, ${amount}, ${at} from q
      where q.limits ? ${m} and coalesce(${cap} >= ${amount}, true)${keyed ? sql` and exists (select 1 from k)` : sql``}
      on conflict (workspace_id, metric, period_start) do update
        set used = u.used + excluded.used, updated_at = excluded.updated_at
        where (select ${cap} from q) is null or u.used + excluded.used <= (select ${cap} from q)
      returning u.used)
    select q.plan_id, q.period_start, q.limits, (select used from c) as used, ${keyed ? sql`exists (select 1 from k)` : sql`null::boolean`} as claimed
    from q`;
}

/** The counter of the period a {@link MeterRow} names, read afresh (for a refused or duplicate call). */
export function usageCounterStatement(request: UsageMeterRequest, periodStart: number, value: SqlValue): RawBuilder<{ used: unknown }> {
  return sql<{ used: unknown }>`select used from subscription_usage where workspace_id = ${value(request.workspaceId, 'text')} and metric = ${value(request.metric, 'text')} and period_start = ${value(periodStart, 'timestamptz')}`;
}

/**
 * What a row of {@link meterUsageStatement} means. `current(periodStart)` reads the counter afresh; it
 * is called only when a `record` call added nothing (over the limit, or a duplicate usage key), so that
 * `used` shows the counter the decision was made on rather than the statement's older snapshot.
 */
export async function meterResult(request: UsageMeterRequest, row: MeterRow | undefined, current: (periodStart: number) => Promise<number>): Promise<UsageMeterResult> {
  if (!row) return { status: 'no_subscription' };
  const planId = row.plan_id;
  const limits = typeof row.limits === 'string' ? (JSON.parse(row.limits) as unknown) : row.limits;
  if (!limits || typeof limits !== 'object') return { status: 'no_plan', planId };
  if (!Object.hasOwn(limits, request.metric)) return { status: 'no_metric', planId, metrics: Object.keys(limits) };
  const cap = (limits as Record<string, unknown>)[request.metric];
  const limit = cap === null ? null : toSafeInteger(cap);
  const periodStart = toEpochMs(row.period_start);
  if (request.mode === 'check') {
    const used = row.used === null ? 0 : toSafeInteger(row.used);
    if (limit !== null && used + request.by > limit) return { status: 'over_limit', planId, periodStart, limit, used };
    return { status: 'ok', planId, periodStart, limit, used, duplicate: false };
  }
  if (row.used !== null) return { status: 'ok', planId, periodStart, limit, used: toSafeInteger(row.used), duplicate: false };
  const used = await current(periodStart);
  if (row.claimed === false) return { status: 'ok', planId, periodStart, limit, used, duplicate: true };
  return { status: 'over_limit', planId, periodStart, limit: limit ?? 0, used };
}

/** Gives back a usage key whose increment the limit refused (inside the transaction that claimed it). */
export async function releaseUsageKey(trx: Kysely<any>, request: UsageMeterRequest): Promise<void> {
  await sql`delete from subscription_usage_events where workspace_id = ${request.workspaceId} and usage_key = ${request.usageKey}`.execute(trx);
}
