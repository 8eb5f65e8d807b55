import { type RawBuilder, sql } from 'kysely';
import type { AuditEntryInput, AuditLog, MetricsQueries } from '../billing-store.js';
import { type AuditRecord, SUBSCRIPTION_STATUSES, type SubscriptionRecordStatus } from '../records.js';
import { assertMayWrite } from '../scope-rules.js';
import { auditEntrySchema, auditListQuerySchema, parseStoreInput, rangeSchema } from '../validation.js';
import { auditColumns, type KyselyContext, toColumns, toRecord, toSafeInteger } from './kysely-tables.js';

/**
 * `AuditLog` over `billing_audit_log`. An entry without `id` gets one from the store's id generator.
 *
 * @example
 * const audit = createKyselyAudit(context);
 */
export function createKyselyAudit(context: KyselyContext): AuditLog {
  const { trx, workspace } = context;
  return {
    async append(input) {
      const record = auditRecordOf(context, parseStoreInput(auditEntrySchema, input, 'audit.append'), 'audit.append');
      const row = await trx
        .insertInto('billing_audit_log')
        .values(toColumns(auditColumns, record))
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRecord<AuditRecord>(auditColumns, row);
    },
    async listByWorkspace(workspaceId, query) {
      const { limit, before } = parseStoreInput(auditListQuerySchema, query, 'audit.listByWorkspace');
      const rows = await trx
        .selectFrom('billing_audit_log')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .$if(workspace !== null, (qb) => qb.where('workspace_id', '=', workspace))
        .$if(before !== undefined, (qb) => qb.where('created_at', '<', new Date(before ?? 0)))
        .orderBy('created_at', 'desc')
        .orderBy(sql`id collate "C"`, 'desc')
        .limit(limit)
        .execute();
      return rows.map((row) => toRecord<AuditRecord>(auditColumns, row));
    },
  };
}

/**
 * A validated audit entry as the row to write (an id made when it has none); throws
 * `StoreScopeError` for an entry of another workspace than the scope's.
 *
 * @example
 * const record = auditRecordOf(context, entry, 'payments.transition');
 */
export function auditRecordOf(
  { workspace, ids }: KyselyContext,
  entry: AuditEntryInput,
  operation: string,
): AuditRecord {
  const { id, ...rest } = entry;
  assertMayWrite(workspace, rest.workspaceId, operation);
  return { id: id ?? ids('aud'), ...rest };
}

// Column types for INSERT … SELECT, where PostgreSQL does not infer a bound parameter's type from the target column.
const AUDIT_CASTS: Record<string, string> = { data: 'jsonb', created_at: 'timestamptz' };

/**
 * `insert into billing_audit_log … select … from <source>`: the audit row once per row of the CTE
 * `source`, for a data-modifying CTE that writes the change and its audit row in one statement
 * (no row changed, no audit row).
 *
 * @example
 * sql`with moved as (${update}), logged as (${auditInsertFrom('moved', record)}) select * from moved`;
 */
export function auditInsertFrom(source: string, record: AuditRecord): RawBuilder<unknown> {
  const columns = Object.entries(toColumns(auditColumns, record));
  const values = columns.map(([column, value]) =>
    AUDIT_CASTS[column] ? sql`${value}::${sql.raw(AUDIT_CASTS[column])}` : sql`${value}::text`,
  );
  return sql`insert into billing_audit_log (${sql.join(columns.map(([column]) => sql.ref(column)))}) select ${sql.join(values)} from ${sql.table(source)}`;
}

/**
 * `MetricsQueries` as single aggregate statements (sums cast to bigint so they come back as
 * integers, not numeric text).
 *
 * @example
 * const metrics = createKyselyMetrics(context);
 */
export function createKyselyMetrics({ trx, workspace }: KyselyContext): MetricsQueries {
  const mine = workspace === null ? sql`true` : sql`workspace_id = ${workspace}`;
  const aggregate = async <K extends string>(query: RawBuilder<Record<K, unknown>>, keys: readonly K[]) => {
    const row = (await query.execute(trx)).rows[0];
    return Object.fromEntries(keys.map((key) => [key, toSafeInteger(row?.[key] ?? 0)])) as Record<K, number>;
  };
  const bounds = (input: unknown, operation: string) => {
    const { from, to } = parseStoreInput(rangeSchema, input, operation);
    return { from: new Date(from), to: new Date(to) };
  };

  return {
    async payments(input) {
      const { from, to } = bounds(input, 'metrics.payments');
      return aggregate(
        sql`select
          count(*) filter (where state = 'completed') as completed,
          count(*) filter (where state = 'failed') as failed,
          count(*) filter (where state = 'expired') as expired,
          coalesce(sum(amount_paise) filter (where state = 'completed'), 0)::bigint as "revenuePaise",
          coalesce(sum(round(extract(epoch from (settled_at - first_signal_at)) * 1000)) filter (where first_signal_at is not null), 0)::bigint
            as "settleLatencyMsTotal",
          count(*) filter (where first_signal_at is not null) as "settleLatencyCount"
        from payment_transactions where settled_at >= ${from} and settled_at < ${to} and ${mine}`,
        ['completed', 'failed', 'expired', 'revenuePaise', 'settleLatencyMsTotal', 'settleLatencyCount'],
      );
    },
    async refunds(input) {
      const { from, to } = bounds(input, 'metrics.refunds');
      return aggregate(
        sql`select count(*) as completed, coalesce(sum(amount_paise), 0)::bigint as "refundedPaise"
        from payment_refunds where state = 'completed' and settled_at >= ${from} and settled_at < ${to} and ${mine}`,
        ['completed', 'refundedPaise'],
      );
    },
    async subscriptions(input) {
      const { from, to } = bounds(input, 'metrics.subscriptions');
      return aggregate(
        sql`select
          count(*) filter (where created_at >= ${from} and created_at < ${to}) as created,
          count(*) filter (where cancelled_at >= ${from} and cancelled_at < ${to}) as cancelled,
          count(*) filter (where status in ('expired', 'cancelled') and ended_at >= ${from} and ended_at < ${to}) as ended,
          count(*) filter (where status = 'expired' and ended_at >= ${from} and ended_at < ${to}) as expired
        from subscriptions where ${mine}`,
        ['created', 'cancelled', 'ended', 'expired'],
      );
    },
    async webhooks(input) {
      const { from, to } = bounds(input, 'metrics.webhooks');
      return aggregate(
        sql`select count(*) as received, coalesce(sum(duplicate_count), 0)::bigint as duplicates,
          count(*) filter (where status = 'failed') as failed
        from webhook_events where received_at >= ${from} and received_at < ${to} and ${mine}`,
        ['received', 'duplicates', 'failed'],
      );
    },
    async snapshot() {
      // One statement: the open payments and refunds through their (state, …) indexes, the subscriptions
      // table (about a row per workspace) in one pass.
      const row = (
        await sql<Record<string, unknown>>`select
          (select count(*) from payment_transactions where state = 'created' and ${mine}) as "paymentsCreated",
          (select count(*) from payment_transactions where state = 'pending' and ${mine}) as "paymentsPending",
          (select min(created_at) from payment_transactions where state in ('created', 'pending') and ${mine}) as "oldestOpen",
          (select count(*) from payment_refunds where state = 'pending' and ${mine}) as "refundsPending",
          (select count(*) from payment_refunds where state = 'confirmed' and ${mine}) as "refundsConfirmed",
          (select coalesce(json_object_agg(status, n), '{}') from
            (select status, count(*) as n from subscriptions where ${mine} group by status) as by_status) as "subscriptions",
          (select count(*) from billing_outbox where status = 'pending' and ${mine}) as "outboxPending",
          (select count(*) from billing_outbox where status = 'dead' and ${mine}) as "outboxDead",
          (select min(created_at) from billing_outbox where status = 'pending' and ${mine}) as "oldestPendingEvent"
        `.execute(trx)
      ).rows[0];
      const byStatus = (typeof row?.subscriptions === 'string' ? JSON.parse(row.subscriptions) : row?.subscriptions) as
        | Record<string, unknown>
        | undefined;
      const oldest = row?.oldestOpen;
      return {
        payments: {
          created: toSafeInteger(row?.paymentsCreated ?? 0),
          pending: toSafeInteger(row?.paymentsPending ?? 0),
        },
        refunds: {
          pending: toSafeInteger(row?.refundsPending ?? 0),
          confirmed: toSafeInteger(row?.refundsConfirmed ?? 0),
        },
        subscriptions: Object.fromEntries(
          SUBSCRIPTION_STATUSES.map((status) => [status, toSafeInteger(byStatus?.[status] ?? 0)]),
        ) as Record<SubscriptionRecordStatus, number>,
        oldestOpenPaymentAt:
          oldest === null || oldest === undefined ? null : new Date(oldest as string | Date).getTime(),
        outbox: { pending: toSafeInteger(row?.outboxPending ?? 0), dead: toSafeInteger(row?.outboxDead ?? 0) },
        oldestPendingEventAt:
          row?.oldestPendingEvent === null || row?.oldestPendingEvent === undefined
            ? null
            : new Date(row.oldestPendingEvent as string | Date).getTime(),
      };
    },
  };
}
