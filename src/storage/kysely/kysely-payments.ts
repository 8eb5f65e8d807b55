import { sql } from 'kysely';
import type { z } from 'zod';
import type { AuditEntryInput, PaymentRepository, RefundRepository } from '../billing-store.js';
import type { PaymentRecord, RefundRecord } from '../records.js';
import { assertMayWrite } from '../scope-rules.js';
import {
  auditOptionSchema,
  epochMsSchema,
  limitQuerySchema,
  parsePatch,
  parseStoreInput,
  paymentPatchSchema,
  paymentRecordSchema,
  paymentsBySubscriptionQuerySchema,
  paymentStaleQuerySchema,
  paymentTransitionSchema,
  refundPatchSchema,
  refundRecordSchema,
  refundStaleQuerySchema,
  refundTransitionSchema,
} from '../validation.js';
import { auditInsertFrom, auditRecordOf } from './kysely-audit.js';
import {
  type ColumnMap,
  type KyselyContext,
  paymentColumns,
  refundColumns,
  toColumns,
  toRecord,
  toSafeInteger,
} from './kysely-tables.js';

interface Spec<R> {
  table: 'payment_transactions' | 'payment_refunds';
  columns: ColumnMap<R>;
  /** Operation prefix for messages: `payments` or `refunds`. */
  label: string;
  transitionSchema: z.ZodType;
  patchSchema: z.ZodType;
  staleQuerySchema: z.ZodType;
}

/**
 * `transition`, `update` and `listStale` for a table of stateful rows (payments, refunds), shared by both
 * repositories. `transition` is one conditional UPDATE, so of concurrent callers only the first to lock
 * the row still finds it in a `from` state.
 *
 * @example
 * const { transition, update, listStale } = kyselyStatefulRows(context, { table: 'payment_refunds', … });
 */
export function kyselyStatefulRows<R>(context: KyselyContext, spec: Spec<R>) {
  const { trx, workspace } = context;
  const update = () =>
    trx.updateTable(spec.table).$if(workspace !== null, (qb) => qb.where('workspace_id', '=', workspace));
  const one = (row: Record<string, unknown> | undefined): R | null => (row ? toRecord<R>(spec.columns, row) : null);
  return {
    async transition(id: string, change: unknown): Promise<R | null> {
      const operation = `${spec.label}.transition`;
      const { from, to, patch, now, audit } = parseStoreInput(spec.transitionSchema, change, operation) as {
        from: readonly string[];
        to: string;
        patch?: unknown;
        now: number;
        audit?: AuditEntryInput;
      };
      const fields = parsePatch(spec.patchSchema, patch ?? {}, operation) as Partial<R>;
      const record = audit ? auditRecordOf(context, audit, operation) : null;
      if (from.length === 0) return null;
      const columns = toColumns(spec.columns, { ...fields, state: to, updatedAt: now } as Partial<R>);
      const moved = update()
        .set(columns)
        .where('id', '=', id)
        .where('state', 'in', [...from])
        .returningAll();
      if (!record) return one(await moved.executeTakeFirst());
      // The audit row only when the row moved, in the same statement.
      const { rows } = await sql<
        Record<string, unknown>
      >`with moved as (${moved}), logged as (${auditInsertFrom('moved', record)}) select * from moved`.execute(trx);
      return one(rows[0]);
    },
    async update(id: string, patch: unknown, now: number): Promise<R | null> {
      const operation = `${spec.label}.update`;
      const fields = parsePatch(spec.patchSchema, patch, operation) as Partial<R>;
      const at = parseStoreInput(epochMsSchema, now, operation);
      const columns = toColumns(spec.columns, { ...fields, updatedAt: at } as Partial<R>);
      return one(await update().set(columns).where('id', '=', id).returningAll().executeTakeFirst());
    },
    async listStale(query: unknown): Promise<R[]> {
      const { states, olderThan, limit } = parseStoreInput(spec.staleQuerySchema, query, `${spec.label}.listStale`) as {
        states: readonly string[];
        olderThan: number;
        limit: number;
      };
      if (states.length === 0) return [];
      const rows = await trx
        .selectFrom(spec.table)
        .selectAll()
        .$if(workspace !== null, (qb) => qb.where('workspace_id', '=', workspace))
        .where('state', 'in', [...states])
        .where('created_at', '<=', new Date(olderThan))
        .orderBy(sql`last_checked_at asc nulls first`)
        .orderBy('created_at')
        .orderBy(sql`id collate "C"`)
        .limit(limit)
        .execute();
      return rows.map((row) => toRecord<R>(spec.columns, row));
    },
  };
}

const byIdC = sql`id collate "C"`;

/**
 * `PaymentRepository` over `payment_transactions` (`transition`, `update`, `listStale`: see
 * `kyselyStatefulRows`).
 *
 * @example
 * const payments = createKyselyPayments(context);
 */
export function createKyselyPayments(context: KyselyContext): PaymentRepository {
  const { trx, workspace } = context;
  const select = () =>
    trx
      .selectFrom('payment_transactions')
      .selectAll()
      .$if(workspace !== null, (qb) => qb.where('workspace_id', '=', workspace));
  const one = (row: Record<string, unknown> | undefined): PaymentRecord | null =>
    row ? toRecord<PaymentRecord>(paymentColumns, row) : null;
  const many = (rows: Array<Record<string, unknown>>): PaymentRecord[] =>
    rows.map((row) => toRecord<PaymentRecord>(paymentColumns, row));

  const stateful = kyselyStatefulRows<PaymentRecord>(context, {
    table: 'payment_transactions',
    columns: paymentColumns,
    label: 'payments',
    transitionSchema: paymentTransitionSchema,
    patchSchema: paymentPatchSchema,
    staleQuerySchema: paymentStaleQuerySchema,
  });

  return {
    transition: stateful.transition,
    update: stateful.update,
    listStale: stateful.listStale,
    async insert(input, options) {
      const payment = parseStoreInput(paymentRecordSchema, input, 'payments.insert');
      assertMayWrite(workspace, payment.workspaceId, 'payments.insert');
      const { audit } = parseStoreInput(auditOptionSchema, options ?? {}, 'payments.insert');
      const record = audit ? auditRecordOf(context, audit, 'payments.insert') : null;
      const inserted = trx.insertInto('payment_transactions').values(toColumns(paymentColumns, payment)).returningAll();
      if (!record) return toRecord<PaymentRecord>(paymentColumns, await inserted.executeTakeFirstOrThrow());
      const { rows } = await sql<
        Record<string, unknown>
      >`with inserted as (${inserted}), logged as (${auditInsertFrom('inserted', record)}) select * from inserted`.execute(
        trx,
      );
      return toRecord<PaymentRecord>(paymentColumns, rows[0] as Record<string, unknown>);
    },
    async getById(id) {
      return one(await select().where('id', '=', id).executeTakeFirst());
    },
    async getByMerchantOrderId(merchantOrderId) {
      return one(await select().where('merchant_order_id', '=', merchantOrderId).executeTakeFirst());
    },
    async getByGatewayOrderId(gateway, gatewayOrderId) {
      return one(
        await select()
          .where('gateway', '=', gateway)
          .where('phonepe_order_id', '=', gatewayOrderId)
          .orderBy('created_at', 'desc')
          .executeTakeFirst(),
      );
    },
    async getByIdempotencyKey(workspaceId, idempotencyKey) {
      return one(
        await select()
          .where('workspace_id', '=', workspaceId)
          .where('idempotency_key', '=', idempotencyKey)
          .executeTakeFirst(),
      );
    },
    async getForUpdate(id) {
      return one(await select().where('id', '=', id).forUpdate().executeTakeFirst());
    },
    async getForUpdateByMerchantOrderId(merchantOrderId) {
      return one(await select().where('merchant_order_id', '=', merchantOrderId).forUpdate().executeTakeFirst());
    },
    async listByWorkspace(workspaceId, query) {
      const { limit } = parseStoreInput(limitQuerySchema, query, 'payments.listByWorkspace');
      const rows = await select()
        .where('workspace_id', '=', workspaceId)
        .orderBy('created_at', 'desc')
        .orderBy(byIdC, 'desc')
        .limit(limit)
        .execute();
      return many(rows);
    },
    async listBySubscription(subscriptionId, query) {
      const { states, limit } = parseStoreInput(
        paymentsBySubscriptionQuerySchema,
        query,
        'payments.listBySubscription',
      );
      if (states && states.length === 0) return [];
      const rows = await select()
        .where('subscription_id', '=', subscriptionId)
        .$if(states !== undefined, (qb) => qb.where('state', 'in', [...(states ?? [])]))
        .orderBy('created_at', 'desc')
        .orderBy(byIdC, 'desc')
        .limit(limit)
        .execute();
      return many(rows);
    },
  };
}

/**
 * `RefundRepository` over `payment_refunds`; the partial unique index
 * `payment_refunds_open_per_payment_idx` keeps one refund in flight per payment.
 *
 * @example
 * const refunds = createKyselyRefunds(context);
 */
export function createKyselyRefunds(context: KyselyContext): RefundRepository {
  const { trx, workspace } = context;
  const select = () =>
    trx
      .selectFrom('payment_refunds')
      .selectAll()
      .$if(workspace !== null, (qb) => qb.where('workspace_id', '=', workspace));
  const one = (row: Record<string, unknown> | undefined) => (row ? toRecord<RefundRecord>(refundColumns, row) : null);
  const many = (rows: Array<Record<string, unknown>>) => rows.map((row) => toRecord<RefundRecord>(refundColumns, row));

  const stateful = kyselyStatefulRows<RefundRecord>(context, {
    table: 'payment_refunds',
    columns: refundColumns,
    label: 'refunds',
    transitionSchema: refundTransitionSchema,
    patchSchema: refundPatchSchema,
    staleQuerySchema: refundStaleQuerySchema,
  });

  return {
    transition: stateful.transition,
    update: stateful.update,
    listStale: stateful.listStale,
    async insert(input) {
      const refund = parseStoreInput(refundRecordSchema, input, 'refunds.insert');
      assertMayWrite(workspace, refund.workspaceId, 'refunds.insert');
      return toRecord<RefundRecord>(
        refundColumns,
        await trx
          .insertInto('payment_refunds')
          .values(toColumns(refundColumns, refund))
          .returningAll()
          .executeTakeFirstOrThrow(),
      );
    },
    async getById(id) {
      return one(await select().where('id', '=', id).executeTakeFirst());
    },
    async getByMerchantRefundId(merchantRefundId) {
      return one(await select().where('merchant_refund_id', '=', merchantRefundId).executeTakeFirst());
    },
    async listByPayment(paymentId) {
      return many(await select().where('payment_id', '=', paymentId).orderBy('created_at').orderBy(byIdC).execute());
    },
    async sumRefunded(paymentId) {
      const row = await trx
        .selectFrom('payment_refunds')
        .select(sql<string>`coalesce(sum(amount_paise), 0)::bigint`.as('total'))
        .where('payment_id', '=', paymentId)
        .where('state', '<>', 'failed')
        .$if(workspace !== null, (qb) => qb.where('workspace_id', '=', workspace))
        .executeTakeFirstOrThrow();
      return toSafeInteger(row.total);
    },
  };
}
