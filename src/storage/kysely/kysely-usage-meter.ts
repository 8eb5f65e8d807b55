import { CompiledQuery, type Kysely } from 'kysely';
import type { UsageMeterRequest, UsageMeterResult } from '../billing-store.js';
import { toEpochMs, toSafeInteger } from './column-codec.js';
import { preparedBatch, sqlValue } from './statement-batches.js';

/** A row of a metered statement; none when the workspace has no live subscription. */
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

// One metered call as one statement (see `BillingStore.meterUsage`). Parameters: $1 workspace, $2 metric,
// $3 the code's plan limits (jsonb), and for a record $4 the amount, $5 now, $6 the usage key. The live
// subscription and its plan's limits come first (`planLimits`, else the stored plan); a record then
// upserts the counter, whose `ON CONFLICT … WHERE` re-checks the limit against the newest counter value
// under its row lock, so concurrent callers never pass the limit together. With a usage key the key is
// claimed in the same statement and only a claimed key counts (a concurrent holder of the key makes the
// claim wait for it); a claim whose increment the limit refused is given back by the caller. The live
// statuses are the port's LIVE_SUBSCRIPTION_STATUSES.
const QUOTA = `q as (
  select s.plan_id, s.current_period_start as period_start,
    coalesce($3::jsonb -> s.plan_id, (select p.limits from plans p where p.id = s.plan_id)) as limits
  from subscriptions s where s.workspace_id = $1::text and s.status in ('trialing', 'active', 'past_due') limit 1)`;
const CAP = `(q.limits ->> $2::text)::bigint`;
const COUNT = (keyed: boolean) => `c as (
  insert into subscription_usage as u (workspace_id, metric, period_start, used, updated_at)
  select $1::text, $2::text, q.period_start, $4::bigint, $5::timestamptz from q
  where q.limits ? $2::text and coalesce(${CAP} >= $4::bigint, true)${keyed ? ' and exists (select 1 from k)' : ''}
  on conflict (workspace_id, metric, period_start) do update
    set used = u.used + excluded.used, updated_at = excluded.updated_at
    where (select ${CAP} from q) is null or u.used + excluded.used <= (select ${CAP} from q)
  returning u.used)`;
const CLAIM = `k as (
  insert into subscription_usage_events (workspace_id, usage_key, metric, period_start, amount, created_at)
  select $1::text, $6::text, $2::text, q.period_start, $4::bigint, $5::timestamptz from q where q.limits ? $2::text
  on conflict (workspace_id, usage_key) do nothing
  returning 1)`;

/** The metered statements, their parameter types, and the names they are prepared under on a connection. */
const STATEMENTS = {
  check: {
    name: 'phonepe_billing_meter_check_v1',
    types: ['text', 'text', 'jsonb'],
    sql: `with ${QUOTA}
select q.plan_id, q.period_start, q.limits, (select used from subscription_usage where workspace_id = $1::text and metric = $2::text and period_start = q.period_start) as used, null::boolean as claimed from q`,
  },
  record: {
    name: 'phonepe_billing_meter_record_v1',
    types: ['text', 'text', 'jsonb', 'bigint', 'timestamptz'],
    sql: `with ${QUOTA}, ${COUNT(false)}
select q.plan_id, q.period_start, q.limits, (select used from c) as used, null::boolean as claimed from q`,
  },
  keyed: {
    name: 'phonepe_billing_meter_keyed_v1',
    types: ['text', 'text', 'jsonb', 'bigint', 'timestamptz', 'text'],
    sql: `with ${QUOTA}, ${CLAIM}, ${COUNT(true)}
select q.plan_id, q.period_start, q.limits, (select used from c) as used, exists (select 1 from k) as claimed from q`,
  },
} as const;

type Statement = (typeof STATEMENTS)[keyof typeof STATEMENTS];

function statementOf(request: UsageMeterRequest): Statement {
  if (request.mode === 'check') return STATEMENTS.check;
  return request.usageKey === undefined ? STATEMENTS.record : STATEMENTS.keyed;
}

function parametersOf(request: UsageMeterRequest): unknown[] {
  const base = [request.workspaceId, request.metric, JSON.stringify(request.planLimits)];
  if (request.mode === 'check') return base;
  const counted = [...base, request.by, new Date(request.now)];
  return request.usageKey === undefined ? counted : [...counted, request.usageKey];
}

/** The metered statement for `request` with bound parameters (inside a transaction). */
export function meterQuery(request: UsageMeterRequest): CompiledQuery<MeterRow> {
  return CompiledQuery.raw(statementOf(request).sql, parametersOf(request)) as CompiledQuery<MeterRow>;
}

/**
 * The metered call for `request` as one statement batch after `scope`: `EXECUTE` of the statement
 * prepared on the connection (the server neither parses nor plans it again; see `preparedBatch`), its
 * values inlined as literals.
 *
 * @example
 * await sql.raw(meterBatch(scopeStatement(ws), request)).execute(db);
 */
export function meterBatch(scope: string, request: UsageMeterRequest): string {
  const statement = statementOf(request);
  const values = parametersOf(request).map((value) => {
    const literal = sqlValue(value);
    if (literal === null) throw new TypeError(`meterUsage: ${String(value)} cannot be sent as a literal.`);
    return literal;
  });
  return preparedBatch(
    statement.name,
    `prepare ${statement.name} (${statement.types.join(', ')}) as ${statement.sql}`,
    `${scope}; execute ${statement.name} (${values.join(', ')})`,
  );
}

/** The counter of the period a {@link MeterRow} names, read afresh (for a refused or duplicate call): $1 workspace, $2 metric, $3 period start. */
export function usageCounterQuery(request: UsageMeterRequest, periodStart: number): CompiledQuery<{ used: unknown }> {
  return CompiledQuery.raw(
    'select used from subscription_usage where workspace_id = $1::text and metric = $2::text and period_start = $3::timestamptz',
    [request.workspaceId, request.metric, new Date(periodStart)],
  ) as CompiledQuery<{ used: unknown }>;
}

/**
 * What a {@link MeterRow} means. `current(periodStart)` reads the counter afresh; it is called only when
 * a `record` call added nothing (over the limit, or a duplicate usage key), so that `used` shows the
 * counter the decision was made on rather than the statement's older snapshot.
 */
export async function meterResult(
  request: UsageMeterRequest,
  row: MeterRow | undefined,
  current: (periodStart: number) => Promise<number>,
): Promise<UsageMeterResult> {
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
  if (row.used !== null)
    return { status: 'ok', planId, periodStart, limit, used: toSafeInteger(row.used), duplicate: false };
  const used = await current(periodStart);
  if (row.claimed === false) return { status: 'ok', planId, periodStart, limit, used, duplicate: true };
  return { status: 'over_limit', planId, periodStart, limit: limit ?? 0, used };
}

/** Gives back a usage key whose increment the limit refused (inside the transaction that claimed it). */
export async function releaseUsageKey(trx: Kysely<any>, request: UsageMeterRequest): Promise<void> {
  await trx.executeQuery(
    CompiledQuery.raw('delete from subscription_usage_events where workspace_id = $1 and usage_key = $2', [
      request.workspaceId,
      request.usageKey,
    ]),
  );
}
