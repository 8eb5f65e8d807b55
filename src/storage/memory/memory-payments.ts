import type { PaymentRepository } from '../billing-store.js';
import type { PaymentRecord, PaymentState } from '../records/payment-record.js';
import { assertMayWrite, isVisible } from '../scope-rules.js';
import { parseStoreInput } from '../validation/parse-store-input.js';
import {
  auditOptionSchema,
  limitQuerySchema,
  paymentsBySubscriptionQuerySchema,
  paymentStaleQuerySchema,
  paymentTransitionSchema,
} from '../validation/operation-schemas.js';
import { paymentPatchSchema, paymentRecordSchema } from '../validation/record-schemas.js';
import { appendAudit } from './memory-audit.js';
import { copyOut, type MemoryContext } from './memory-context.js';
import { newestFirst } from './memory-ordering.js';
import { memoryStatefulRows } from './memory-stateful-rows.js';

/**
 * `PaymentRepository` of the memory store. Transactions run one at a time, so a read already
 * holds the row for the rest of the transaction (that is `getForUpdate`).
 *
 * @example
 * const payments = createMemoryPayments(context);
 */
export function createMemoryPayments(context: MemoryContext): PaymentRepository {
  const {
    tables: { payments },
    journal,
    workspace,
  } = context;
  const visible = (row: PaymentRecord | undefined): PaymentRecord | undefined =>
    row && isVisible(workspace, row.workspaceId) ? row : undefined;
  const found = (row: PaymentRecord | undefined): PaymentRecord | null => {
    const shown = visible(row);
    return shown ? copyOut(shown) : null;
  };
  const list = (filter: (row: PaymentRecord) => boolean, limit: number) =>
    payments
      .rows()
      .filter((row) => visible(row) && filter(row))
      .sort(newestFirst)
      .slice(0, limit)
      .map(copyOut);

  const stateful = memoryStatefulRows<PaymentState, PaymentRecord>(payments, context, {
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
      if (audit) assertMayWrite(workspace, audit.workspaceId, 'payments.insert');
      const inserted = payments.insert(payment, journal, 'payments.insert');
      if (audit) appendAudit(context, audit, 'payments.insert');
      return copyOut(inserted);
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
    async getForUpdateByMerchantOrderId(merchantOrderId) {
      return found(payments.findUnique('payment_merchant_order_id', merchantOrderId));
    },
    async listByWorkspace(workspaceId, query) {
      const { limit } = parseStoreInput(limitQuerySchema, query, 'payments.listByWorkspace');
      return list((row) => row.workspaceId === workspaceId, limit);
    },
    async listBySubscription(subscriptionId, query) {
      const { states, limit } = parseStoreInput(
        paymentsBySubscriptionQuerySchema,
        query,
        'payments.listBySubscription',
      );
      return list((row) => row.subscriptionId === subscriptionId && (!states || states.includes(row.state)), limit);
    },
  };
}
