import { sql } from 'kysely';
import type { PaymentRepository } from '../billing-store.js';
import type { PaymentRecord } from '../records.js';
import { assertMayWrite } from '../scope-rules.js';
import {
  auditOptionSchema,
  limitQuerySchema,
  parseStoreInput,
  paymentPatchSchema,
  paymentRecordSchema,
  paymentsBySubscriptionQuerySchema,
  paymentStaleQuerySchema,
  paymentTransitionSchema,
} from '../validation.js';
import { auditInsertFrom, auditRecordOf } from './kysely-audit.js';
import type { KyselyContext } from './kysely-context.js';
import { kyselyStatefulRows } from './kysely-stateful-rows.js';
import { paymentColumns, toColumns, toRecord } from './record-columns.js';

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
