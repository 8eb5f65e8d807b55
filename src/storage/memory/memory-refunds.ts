import type { RefundRepository } from '../billing-store.js';
import type { RefundRecord, RefundRecordState } from '../records/refund-record.js';
import { assertMayWrite, isVisible } from '../scope-rules.js';
import { parseStoreInput } from '../validation/parse-store-input.js';
import { refundStaleQuerySchema, refundTransitionSchema } from '../validation/operation-schemas.js';
import { refundPatchSchema, refundRecordSchema } from '../validation/record-schemas.js';
import { copyOut, type MemoryContext } from './memory-context.js';
import { oldestFirst } from './memory-ordering.js';
import { memoryStatefulRows } from './memory-stateful-rows.js';

/**
 * `RefundRepository` of the memory store.
 *
 * @example
 * const refunds = createMemoryRefunds(context);
 */
export function createMemoryRefunds(context: MemoryContext): RefundRepository {
  const {
    tables: { refunds },
    journal,
    workspace,
  } = context;
  const visible = (row: RefundRecord | undefined): RefundRecord | undefined =>
    row && isVisible(workspace, row.workspaceId) ? row : undefined;
  const found = (row: RefundRecord | undefined): RefundRecord | null => {
    const shown = visible(row);
    return shown ? copyOut(shown) : null;
  };
  const ofPayment = (paymentId: string) => refunds.rows().filter((row) => visible(row) && row.paymentId === paymentId);

  const stateful = memoryStatefulRows<RefundRecordState, RefundRecord>(refunds, context, {
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
      return copyOut(refunds.insert(refund, journal, 'refunds.insert'));
    },
    async getById(id) {
      return found(refunds.get(id));
    },
    async getByMerchantRefundId(merchantRefundId) {
      return found(refunds.findUnique('refund_merchant_refund_id', merchantRefundId));
    },
    async listByPayment(paymentId) {
      return ofPayment(paymentId).sort(oldestFirst).map(copyOut);
    },
    async sumRefunded(paymentId) {
      return ofPayment(paymentId)
        .filter((row) => row.state !== 'failed')
        .reduce((sum, row) => sum + row.amountPaise, 0);
    },
  };
}
