import { sql } from 'kysely';
import type { PaymentRepository } from '../billing-store.js';
import type { PaymentRecord } from '../records/payment-record.js';
import { assertMayWrite } from '../scope-rules.js';
import { parsePatch, parseStoreInput } from '../validation/parse-store-input.js';
import {
  limitQuerySchema, paymentsBySubscriptionQuerySchema, paymentStaleQuerySchema, paymentTransitionSchema,
} from '../validation/operation-schemas.js';
import { epochMsSchema, paymentPatchSchema, paymentRecordSchema } from '../validation/record-schemas.js';
import type { KyselyContext } from './kysely-context.js';
import { paymentColumns, toColumns, toRecord } from './record-columns.js';

const byIdC = sql`id collate "C"`;

/**
 * `PaymentRepository` over `payment_transactions`. `transition` is one conditional UPDATE, so of
 * concurrent callers only the first to lock the row still finds it in a `from` state.
 *
 * @example
 * const payments = createKyselyPayments(context);
 */
export function createKyselyPayments({ trx, workspace }: KyselyContext): PaymentRepository {
  const select = () =>
    trx.selectFrom('payment_transactions').selectAll().$if(workspace !== null, (qb) => qb.where('workspace_id', '=', workspace));
  const update = () =>
    trx.updateTable('payment_transactions').$if(workspace !== null, (qb) => qb.where('workspace_id', '=', workspace));
  const one = (row: Record<string, unknown> | undefined): PaymentRecord | null => (row ? toRecord<PaymentRecord>(paymentColumns, row) : null);
  const many = (rows: Array<Record<string, unknown>>): PaymentRecord[] => rows.map((row) => toRecord<PaymentRecord>(paymentColumns, row));

  return {
    async insert(input) {
      const payment = parseStoreInput(paymentRecordSchema, input, 'payments.insert');
      assertMayWrite(workspace, payment.workspaceId, 'payments.insert');
      const row = await trx.insertInto('payment_transactions').values(toColumns(paymentColumns, payment)).returningAll().executeTakeFirstOrThrow();
      return toRecord<PaymentRecord>(paymentColumns, row);
    },
    async getById(id) {
      return one(await select().where('id', '=', id).executeTakeFirst());
    },
    async getByMerchantOrderId(merchantOrderId) {
      return one(await select().where('merchant_order_id', '=', merchantOrderId).executeTakeFirst());
    },
    async getByIdempotencyKey(workspaceId, idempotencyKey) {
      return one(await select().where('workspace_id', '=', workspaceId).where('idempotency_key', '=', idempotencyKey).executeTakeFirst());
    },
    async getForUpdate(id) {
      return one(await select().where('id', '=', id).forUpdate().executeTakeFirst());
    },
    async transition(id, change) {
      const { from, to, patch, now } = parseStoreInput(paymentTransitionSchema, change, 'payments.transition');
      const fields = parsePatch(paymentPatchSchema, patch ?? {}, 'payments.transition');
      if (from.length === 0) return null;
      const columns = toColumns(paymentColumns, { ...fields, state: to, updatedAt: now });
      return one(await update().set(columns).where('id', '=', id).where('state', 'in', [...from]).returningAll().executeTakeFirst());
    },
    async update(id, patch, now) {
      const fields = parsePatch(paymentPatchSchema, patch, 'payments.update');
      const at = parseStoreInput(epochMsSchema, now, 'payments.update');
      const columns = toColumns(paymentColumns, { ...fields, updatedAt: at });
      return one(await update().set(columns).where('id', '=', id).returningAll().executeTakeFirst());
    },
    async listStale(query) {
      const { states, olderThan, limit } = parseStoreInput(paymentStaleQuerySchema, query, 'payments.listStale');
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
    async listByWorkspace(workspaceId, query) {
      const { limit } = parseStoreInput(limitQuerySchema, query, 'payments.listByWorkspace');
      const rows = await select().where('workspace_id', '=', workspaceId).orderBy('created_at', 'desc').orderBy(byIdC, 'desc').limit(limit).execute();
      return many(rows);
    },
    async listBySubscription(subscriptionId, query) {
      const { states, limit } = parseStoreInput(paymentsBySubscriptionQuerySchema, query, 'payments.listBySubscription');
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
