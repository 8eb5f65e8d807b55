import { type Compilable, CompiledQuery, type Kysely, sql } from 'kysely';
import type {
  PlanRepository,
  RenewalClaims,
  SubscriptionRepository,
  UsageMeterRequest,
  UsageMeterResult,
  UsageRepository,
} from '../billing-store.js';
import { conflictMessage, StoreConflictError } from '../errors.js';
import { type AuditRecord, LIVE_SUBSCRIPTION_STATUSES, type PlanRecord, type SubscriptionRecord } from '../records.js';
import { assertMayWrite } from '../scope-rules.js';
import {
  auditOptionSchema,
  claimQuerySchema,
  dueQuerySchema,
  epochMsSchema,
  parsePatch,
  parseStoreInput,
  planRecordSchema,
  renewalFinishSchema,
  subscriptionPatchSchema,
  subscriptionRecordSchema,
  usageIncrementSchema,
  versionSchema,
} from '../validation.js';
import { auditInsertFrom, auditRecordOf } from './kysely-audit.js';
import {
  type KyselyContext,
  planColumns,
  subscriptionColumns,
  toColumns,
  toEpochMs,
  toRecord,
  toSafeInteger,
} from './kysely-tables.js';
import { preparedBatch, sqlValue } from './statement-batches.js';

const byIdC = sql`id collate "C"`;
const LIVE = [...LIVE_SUBSCRIPTION_STATUSES];

/**
 * `SubscriptionRepository` over `subscriptions`. `update` is `UPDATE … WHERE version = expected`:
 * a concurrent second writer waits for the first's row lock, then finds the version moved on.
 *
 * @example
 * const subscriptions = createKyselySubscriptions(context);
 */
export function createKyselySubscriptions(context: KyselyContext): SubscriptionRepository {
  const { trx, workspace } = context;
  const auditOf = (options: unknown, operation: string) => {
    const { audit } = parseStoreInput(auditOptionSchema, options ?? {}, operation);
    return audit ? auditRecordOf(context, audit, operation) : null;
  };
  /** Runs a write `returning *`, with its audit row in the same statement when there is one. */
  const write = async (
    query: Compilable & { executeTakeFirst(): Promise<Record<string, unknown> | undefined> },
    audit: AuditRecord | null,
  ) => {
    if (!audit) return query.executeTakeFirst();
    const { rows } = await sql<
      Record<string, unknown>
    >`with written as (${query}), logged as (${auditInsertFrom('written', audit)}) select * from written`.execute(trx);
    return rows[0];
  };
  const select = () =>
    trx
      .selectFrom('subscriptions')
      .selectAll()
      .$if(workspace !== null, (qb) => qb.where('workspace_id', '=', workspace));
  const one = (row: Record<string, unknown> | undefined) =>
    row ? toRecord<SubscriptionRecord>(subscriptionColumns, row) : null;

  return {
    async getLive(workspaceId) {
      return one(await select().where('workspace_id', '=', workspaceId).where('status', 'in', LIVE).executeTakeFirst());
    },
    async getLatest(workspaceId) {
      return one(
        await select()
          .where('workspace_id', '=', workspaceId)
          .orderBy('created_at', 'desc')
          .orderBy(byIdC, 'desc')
          .limit(1)
          .executeTakeFirst(),
      );
    },
    async getById(id) {
      return one(await select().where('id', '=', id).executeTakeFirst());
    },
    async getByMerchantSubscriptionId(merchantSubscriptionId) {
      return one(await select().where('merchant_subscription_id', '=', merchantSubscriptionId).executeTakeFirst());
    },
    async getByGatewayMandateId(gateway, gatewayMandateId) {
      return one(
        await select()
          .where('mandate_gateway', '=', gateway)
          .where('phonepe_subscription_id', '=', gatewayMandateId)
          .orderBy('created_at', 'desc')
          .executeTakeFirst(),
      );
    },
    async insert(input, options) {
      const subscription = parseStoreInput(subscriptionRecordSchema, input, 'subscriptions.insert');
      assertMayWrite(workspace, subscription.workspaceId, 'subscriptions.insert');
      const audit = auditOf(options, 'subscriptions.insert');
      const row = await write(
        trx.insertInto('subscriptions').values(toColumns(subscriptionColumns, subscription)).returningAll(),
        audit,
      );
      if (!row) throw new Error('subscriptions.insert: PostgreSQL returned no row for the inserted subscription.');
      return toRecord<SubscriptionRecord>(subscriptionColumns, row);
    },
    async update(id, expectedVersion, patch, now, options) {
      const fields = parsePatch(subscriptionPatchSchema, patch, 'subscriptions.update');
      const at = parseStoreInput(epochMsSchema, now, 'subscriptions.update');
      parseStoreInput(versionSchema, expectedVersion, 'subscriptions.update');
      const audit = auditOf(options, 'subscriptions.update');
      const query = trx
        .updateTable('subscriptions')
        .set({ ...toColumns(subscriptionColumns, { ...fields, updatedAt: at }), version: sql`version + 1` })
        .where('id', '=', id)
        .where('version', '=', expectedVersion)
        .$if(workspace !== null, (qb) => qb.where('workspace_id', '=', workspace))
        .returningAll();
      const row = await write(query, audit);
      if (!row)
        throw new StoreConflictError(
          'subscription_version',
          conflictMessage('subscriptions.update', 'subscription_version', id),
        );
      return toRecord<SubscriptionRecord>(subscriptionColumns, row);
    },
    async listDue(query) {
      const { now, limit } = parseStoreInput(dueQuerySchema, query, 'subscriptions.listDue');
      const rows = await select()
        .where('status', 'in', LIVE)
        .where('next_action_at', '<=', new Date(now))
        .orderBy('next_action_at')
        .orderBy(byIdC)
        .limit(limit)
        .execute();
      return rows.map((row) => toRecord<SubscriptionRecord>(subscriptionColumns, row));
    },
  };
}

/**
 * `PlanRepository` over `plans`: read under every scope, written under the system scope (row-level
 * security in migrations/002-003 says the same).
 *
 * @example
 * const plans = createKyselyPlans(context);
 */
export function createKyselyPlans({ trx, workspace }: KyselyContext): PlanRepository {
  return {
    async upsert(input) {
      const plan = parseStoreInput(planRecordSchema, input, 'plans.upsert');
      assertMayWrite(workspace, null, 'plans.upsert');
      const { id: _id, created_at: _createdAt, ...replaced } = toColumns(planColumns, plan);
      const row = await trx
        .insertInto('plans')
        .values(toColumns(planColumns, plan))
        .onConflict((oc) => oc.column('id').doUpdateSet(replaced))
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRecord<PlanRecord>(planColumns, row);
    },
    async get(id) {
      const row = await trx.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toRecord<PlanRecord>(planColumns, row) : null;
    },
    async listActive() {
      const rows = await trx
        .selectFrom('plans')
        .selectAll()
        .where('active', '=', true)
        .orderBy('sort_order')
        .orderBy('price_paise')
        .orderBy(sql`id collate "C"`)
        .execute();
      return rows.map((row) => toRecord<PlanRecord>(planColumns, row));
    },
  };
}

/**
 * `RenewalClaims` over `subscriptions.claimed_by / claim_expires_at`.
 *
 * `claimDue` locks up to `limit` due, unclaimed rows with `FOR UPDATE SKIP LOCKED` (rows another
 * worker is claiming right now are skipped, not waited for) and stamps them in the same statement.
 * A row claimed and committed by another worker after this statement's snapshot is re-checked when
 * locked (PostgreSQL re-evaluates the WHERE on the newest version), so it is not claimed twice.
 *
 * @example
 * const renewals = createKyselyRenewals(context);
 */
export function createKyselyRenewals({ trx, workspace }: KyselyContext): RenewalClaims {
  return {
    async claimDue(query) {
      const { now, limit, workerId, leaseMs } = parseStoreInput(claimQuerySchema, query, 'renewals.claimDue');
      const at = new Date(now);
      const result = await sql<Record<string, unknown>>`
        with due as (
          select id from subscriptions
          where status in (${sql.join([...LIVE_SUBSCRIPTION_STATUSES])})
            and next_action_at <= ${at}
            and (claimed_by is null or claim_expires_at is null or claim_expires_at <= ${at})
            and (${workspace}::text is null or workspace_id = ${workspace})
          order by next_action_at, id collate "C"
          limit ${limit}
          for update skip locked
        )
        update subscriptions s
        set claimed_by = ${workerId}, claim_expires_at = ${new Date(now + leaseMs)}
        from due
        where s.id = due.id
        returning s.*`.execute(trx);
      return result.rows
        .map((row) => toRecord<SubscriptionRecord>(subscriptionColumns, row))
        .sort((a, b) => (a.nextActionAt ?? 0) - (b.nextActionAt ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },
    async finish(input) {
      const { subscriptionId, workerId, nextActionAt, claimedAt, now } = parseStoreInput(
        renewalFinishSchema,
        input,
        'renewals.finish',
      );
      const given = nextActionAt === null ? null : new Date(nextActionAt);
      // Column references in SET read the row as it was, so the new time is worked out from the old one.
      const next = sql`case when status in (${sql.join([...LIVE_SUBSCRIPTION_STATUSES])}) and ${given}::timestamptz is not null
          then case when next_action_at is not null and next_action_at is distinct from ${claimedAt === null ? null : new Date(claimedAt)}::timestamptz
                    then least(${given}::timestamptz, next_action_at) else ${given}::timestamptz end
          else next_action_at end`;
      const row = await trx
        .updateTable('subscriptions')
        .set({
          next_action_at: next,
          version: sql`version + case when (${next}) is distinct from next_action_at then 1 else 0 end`,
          updated_at: sql`case when (${next}) is distinct from next_action_at then ${new Date(now)}::timestamptz else updated_at end`,
          claimed_by: sql`case when claimed_by = ${workerId} then null else claimed_by end`,
          claim_expires_at: sql`case when claimed_by = ${workerId} then null else claim_expires_at end`,
        })
        .where('id', '=', subscriptionId)
        .$if(workspace !== null, (qb) => qb.where('workspace_id', '=', workspace))
        .returning('next_action_at')
        .executeTakeFirst();
      return row?.next_action_at === null || row?.next_action_at === undefined ? null : toEpochMs(row.next_action_at);
    },
    async release(subscriptionId, workerId) {
      await trx
        .updateTable('subscriptions')
        .set({ claimed_by: null, claim_expires_at: null })
        .where('id', '=', subscriptionId)
        .where('claimed_by', '=', workerId)
        .$if(workspace !== null, (qb) => qb.where('workspace_id', '=', workspace))
        .execute();
    },
  };
}

/**
 * `UsageRepository` over `subscription_usage` (+ `subscription_usage_events` for usage keys).
 *
 * The increment is one `INSERT … ON CONFLICT DO UPDATE … WHERE used + by <= limit`: PostgreSQL
 * locks the counter row and re-checks the limit against its latest value, so concurrent callers
 * can never pass the limit together. A usage key is claimed first in the same transaction
 * (`ON CONFLICT DO NOTHING` waits for a concurrent holder of the key to commit or roll back), and
 * given back when the limit refuses the increment, so only counted increments keep their key.
 *
 * @example
 * const usage = createKyselyUsage(context);
 */
export function createKyselyUsage({ trx, workspace }: KyselyContext): UsageRepository {
  const current = async (workspaceId: string, metric: string, periodStart: Date): Promise<number> => {
    const row = await trx
      .selectFrom('subscription_usage')
      .select('used')
      .where('workspace_id', '=', workspaceId)
      .where('metric', '=', metric)
      .where('period_start', '=', periodStart)
      .executeTakeFirst();
    return row ? toSafeInteger(row.used) : 0;
  };

  return {
    async increment(input) {
      const { workspaceId, metric, periodStart, by, limit, usageKey, now } = parseStoreInput(
        usageIncrementSchema,
        input,
        'usage.increment',
      );
      assertMayWrite(workspace, workspaceId, 'usage.increment');
      const period = new Date(periodStart);
      if (usageKey !== undefined) {
        const claimed = await sql`
          insert into subscription_usage_events (workspace_id, usage_key, metric, period_start, amount, created_at)
          values (${workspaceId}, ${usageKey}, ${metric}, ${period}, ${by}, ${new Date(now)})
          on conflict (workspace_id, usage_key) do nothing
          returning usage_key`.execute(trx);
        if (claimed.rows.length === 0)
          return { ok: true, used: await current(workspaceId, metric, period), duplicate: true };
      }
      const counted = await sql<{ used: unknown }>`
        insert into subscription_usage as u (workspace_id, metric, period_start, used, updated_at)
        select ${workspaceId}, ${metric}, ${period}, ${by}::bigint, ${new Date(now)}
        where ${limit}::bigint is null or ${by}::bigint <= ${limit}::bigint
        on conflict (workspace_id, metric, period_start) do update
          set used = u.used + excluded.used, updated_at = excluded.updated_at
          where ${limit}::bigint is null or u.used + excluded.used <= ${limit}::bigint
        returning u.used`.execute(trx);
      const row = counted.rows[0];
      if (row) return { ok: true, used: toSafeInteger(row.used), duplicate: false };
      if (usageKey !== undefined) {
        await trx
          .deleteFrom('subscription_usage_events')
          .where('workspace_id', '=', workspaceId)
          .where('usage_key', '=', usageKey)
          .execute();
      }
      return { ok: false, used: await current(workspaceId, metric, period), limit: limit ?? 0 };
    },
    async get(workspaceId, periodStart) {
      const rows = await trx
        .selectFrom('subscription_usage')
        .select(['metric', 'used'])
        .where('workspace_id', '=', workspaceId)
        .where(
          'period_start',
          '=',
          new Date(parseStoreInput(usageIncrementSchema.shape.periodStart, periodStart, 'usage.get')),
        )
        .$if(workspace !== null, (qb) => qb.where('workspace_id', '=', workspace))
        .execute();
      return Object.fromEntries(rows.map((row) => [String(row.metric), toSafeInteger(row.used)]));
    },
  };
}

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
// statuses are the port's LIVE_SUBSCRIPTION_STATUSES, written into the text (constants, not input) so the
// statement stays one prepared text.
const LIVE_LITERALS = LIVE_SUBSCRIPTION_STATUSES.map((status) => `'${status}'`).join(', ');
const QUOTA = `q as (
  select s.plan_id, s.current_period_start as period_start,
    coalesce($3::jsonb -> s.plan_id, (select p.limits from plans p where p.id = s.plan_id)) as limits
  from subscriptions s where s.workspace_id = $1::text and s.status in (${LIVE_LITERALS}) limit 1)`;
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
