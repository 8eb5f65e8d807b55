import type { PaymentPatch, PaymentRepository } from '../billing-store.js';
import type { PaymentRecord, PaymentState } from '../records/payment-record.js';
import { assertMayWrite, isVisible } from '../scope-rules.js';
import { parsePatch, parseStoreInput } from '../validation/parse-store-input.js';
import {
  limitQuerySchema, paymentsBySubscriptionQuerySchema, paymentStaleQuerySchema, paymentTransitionSchema,
} from '../validation/operation-schemas.js';
import { epochMsSchema, paymentPatchSchema, paymentRecordSchema } from '../validation/record-schemas.js';
import { copyOut, type MemoryContext } from './memory-context.js';
import { leastRecentlyChecked, newestFirst } from './memory-ordering.js';

/**
 * `PaymentRepository` of the memory store. Transactions run one at a time, so a read already
 * holds the row for the rest of the transaction (that is `getForUpdate`).
 *
 * @example
 * const payments = createMemoryPayments(context);
 */
export function createMemoryPayments({ tables: { payments }, journal, workspace }: MemoryContext): PaymentRepository {
  const visible = (row: PaymentRecord | undefined): PaymentRecord | undefined =>
    row && isVisible(workspace, row.workspaceId) ? row : undefined;
  const found = (row: PaymentRecord | undefined): PaymentRecord | null => {
    const shown = visible(row);
    return shown ? copyOut(shown) : null;
  };
  const write = (row: PaymentRecord, patch: PaymentPatch, changes: Partial<PaymentRecord>, operation: string) =>
    copyOut(payments.put({ ...row, ...patch, ...changes }, journal, operation));
  const list = (filter: (row: PaymentRecord) => boolean, limit: number) =>
    payments.rows().filter((row) => visible(row) && filter(row)).sort(newestFirst).slice(0, limit).map(copyOut);

  return {
    async insert(input) {
      const payment = parseStoreInput(paymentRecordSchema, input, 'payments.insert');
      assertMayWrite(workspace, payment.workspaceId, 'payments.insert');
      return copyOut(payments.insert(payment, journal, 'payments.insert'));
    },
    async getById(id) {
      return found(payments.get(id));
    },
    async getByMerchantOrderId(merchantOrderId) {
      return found(payments.findUnique('payment_merchant_order_id', merchantOrderId));
    },
    async getByIdempotencyKey(workspaceId, idempotencyKey) {
      return found(payments.findUnique('payment_idempotency_key', JSON.stringify([workspaceId, idempotencyKey])));
    },
    async getForUpdate(id) {
      return found(payments.get(id));
    },
    async transition(id, change) {
      const { from, to, patch, now } = parseStoreInput(paymentTransitionSchema, change, 'payments.transition');
      const fields = parsePatch(paymentPatchSchema, patch ?? {}, 'payments.transition');
      const row = visible(payments.get(id));
      if (!row || !(from as readonly PaymentState[]).includes(row.state)) return null;
      return write(row, fields, { state: to, updatedAt: now }, 'payments.transition');
    },
    async update(id, patch, now) {
      const fields = parsePatch(paymentPatchSchema, patch, 'payments.update');
      const at = parseStoreInput(epochMsSchema, now, 'payments.update');
      const row = visible(payments.get(id));
      return row ? write(row, fields, { updatedAt: at }, 'payments.update') : null;
    },
    async listStale(query) {
      const { states, olderThan, limit } = parseStoreInput(paymentStaleQuerySchema, query, 'payments.listStale');
      return payments
        .rows()
        .filter((row) => visible(row) && states.includes(row.state) && row.createdAt <= olderThan)
        .sort(leastRecentlyChecked)
        .slice(0, limit)
        .map(copyOut);
    },
    async listByWorkspace(workspaceId, query) {
      const { limit } = parseStoreInput(limitQuerySchema, query, 'payments.listByWorkspace');
      return list((row) => row.workspaceId === workspaceId, limit);
    },
    async listBySubscription(subscriptionId, query) {
      const { states, limit } = parseStoreInput(paymentsBySubscriptionQuerySchema, query, 'payments.listBySubscription');
      return list((row) => row.subscriptionId === subscriptionId && (!states || states.includes(row.state)), limit);
    },
  };
}
