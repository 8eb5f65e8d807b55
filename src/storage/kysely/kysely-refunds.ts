import { sql } from 'kysely';
import type { RefundRepository } from '../billing-store.js';
import type { RefundRecord } from '../records.js';
import { assertMayWrite } from '../scope-rules.js';
import {
  parseStoreInput,
  refundPatchSchema,
  refundRecordSchema,
  refundStaleQuerySchema,
  refundTransitionSchema,
} from '../validation.js';
import { toSafeInteger } from './column-codec.js';
import type { KyselyContext } from './kysely-context.js';
import { kyselyStatefulRows } from './kysely-stateful-rows.js';
import { refundColumns, toColumns, toRecord } from './record-columns.js';

const byIdC = sql`id collate "C"`;

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
