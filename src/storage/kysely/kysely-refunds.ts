import { sql } from 'kysely';
import type { RefundRepository } from '../billing-store.js';
import type { RefundRecord } from '../records/refund-record.js';
import { assertMayWrite } from '../scope-rules.js';
import { parsePatch, parseStoreInput } from '../validation/parse-store-input.js';
import { refundStaleQuerySchema, refundTransitionSchema } from '../validation/operation-schemas.js';
import { epochMsSchema, refundPatchSchema, refundRecordSchema } from '../validation/record-schemas.js';
import { toSafeInteger } from './column-codec.js';
import type { KyselyContext } from './kysely-context.js';
import { refundColumns, toColumns, toRecord } from './record-columns.js';

const byIdC = sql`id collate "C"`;

/**
 * `RefundRepository` over `payment_refunds`; the partial unique index
 * `payment_refunds_open_per_payment_idx` keeps one refund in flight per payment.
 *
 * @example
 * const refunds = createKyselyRefunds(context);
 */
export function createKyselyRefunds({ trx, workspace }: KyselyContext): RefundRepository {
  const select = () =>
    trx.selectFrom('payment_refunds').selectAll().$if(workspace !== null, (qb) => qb.where('workspace_id', '=', workspace));
  const update = () => trx.updateTable('payment_refunds').$if(workspace !== null, (qb) => qb.where('workspace_id', '=', workspace));
  const one = (row: Record<string, unknown> | undefined) => (row ? toRecord<RefundRecord>(refundColumns, row) : null);
  const many = (rows: Array<Record<string, unknown>>) => rows.map((row) => toRecord<RefundRecord>(refundColumns, row));

  return {
    async insert(input) {
      const refund = parseStoreInput(refundRecordSchema, input, 'refunds.insert');
      assertMayWrite(workspace, refund.workspaceId, 'refunds.insert');
      return toRecord<RefundRecord>(
        refundColumns,
        await trx.insertInto('payment_refunds').values(toColumns(refundColumns, refund)).returningAll().executeTakeFirstOrThrow(),
      );
    },
    async getById(id) {
      return one(await select().where('id', '=', id).executeTakeFirst());
    },
    async getByMerchantRefundId(merchantRefundId) {
      return one(await select().where('merchant_refund_id', '=', merchantRefundId).executeTakeFirst());
    },
    async transition(id, change) {
      const { from, to, patch, now } = parseStoreInput(refundTransitionSchema, change, 'refunds.transition');
      const fields = parsePatch(refundPatchSchema, patch ?? {}, 'refunds.transition');
      if (from.length === 0) return null;
      const columns = toColumns(refundColumns, { ...fields, state: to, updatedAt: now });
      return one(await update().set(columns).where('id', '=', id).where('state', 'in', [...from]).returningAll().executeTakeFirst());
    },
    async update(id, patch, now) {
      const fields = parsePatch(refundPatchSchema, patch, 'refunds.update');
      const at = parseStoreInput(epochMsSchema, now, 'refunds.update');
      const columns = toColumns(refundColumns, { ...fields, updatedAt: at });
      return one(await update().set(columns).where('id', '=', id).returningAll().executeTakeFirst());
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
    async listStale(query) {
      const { states, olderThan, limit } = parseStoreInput(refundStaleQuerySchema, query, 'refunds.listStale');
      if (states.length === 0) return [];
      const rows = await select()
        .where('state', 'in', [...states])
        .where('created_at', '<=', new Date(olderThan))
        .orderBy(sql`last_checked_at asc nulls first`)
        .orderBy('created_at')
        .orderBy(byIdC)
        .limit(limit)
        .execute();
      return many(rows);
    },
  };
}
