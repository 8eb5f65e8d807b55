import type { RefundRepository } from '../billing-store.js';
import type { RefundRecord, RefundState } from '../records/refund-record.js';
import { assertMayWrite, isVisible } from '../scope-rules.js';
import { parsePatch, parseStoreInput } from '../validation/parse-store-input.js';
import { refundStaleQuerySchema, refundTransitionSchema } from '../validation/operation-schemas.js';
import { epochMsSchema, refundPatchSchema, refundRecordSchema } from '../validation/record-schemas.js';
import { copyOut, type MemoryContext } from './memory-context.js';
import { leastRecentlyChecked, oldestFirst } from './memory-ordering.js';

/**
 * `RefundRepository` of the memory store.
 *
 * @example
 * const refunds = createMemoryRefunds(context);
 */
export function createMemoryRefunds({ tables: { refunds }, journal, workspace }: MemoryContext): RefundRepository {
  const visible = (row: RefundRecord | undefined): RefundRecord | undefined =>
    row && isVisible(workspace, row.workspaceId) ? row : undefined;
  const found = (row: RefundRecord | undefined): RefundRecord | null => {
    const shown = visible(row);
    return shown ? copyOut(shown) : null;
  };
  const ofPayment = (paymentId: string) => refunds.rows().filter((row) => visible(row) && row.paymentId === paymentId);

  return {
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
    async transition(id, change) {
      const { from, to, patch, now } = parseStoreInput(refundTransitionSchema, change, 'refunds.transition');
      const fields = parsePatch(refundPatchSchema, patch ?? {}, 'refunds.transition');
      const row = visible(refunds.get(id));
      if (!row || !(from as readonly RefundState[]).includes(row.state)) return null;
      return copyOut(refunds.put({ ...row, ...fields, state: to, updatedAt: now }, journal, 'refunds.transition'));
    },
    async update(id, patch, now) {
      const fields = parsePatch(refundPatchSchema, patch, 'refunds.update');
      const at = parseStoreInput(epochMsSchema, now, 'refunds.update');
      const row = visible(refunds.get(id));
      return row ? copyOut(refunds.put({ ...row, ...fields, updatedAt: at }, journal, 'refunds.update')) : null;
    },
    async listByPayment(paymentId) {
      return ofPayment(paymentId).sort(oldestFirst).map(copyOut);
    },
    async sumRefunded(paymentId) {
      return ofPayment(paymentId)
        .filter((row) => row.state !== 'failed')
        .reduce((sum, row) => sum + row.amountPaise, 0);
    },
    async listStale(query) {
      const { states, olderThan, limit } = parseStoreInput(refundStaleQuerySchema, query, 'refunds.listStale');
      return refunds
        .rows()
        .filter((row) => visible(row) && states.includes(row.state) && row.createdAt <= olderThan)
        .sort(leastRecentlyChecked)
        .slice(0, limit)
        .map(copyOut);
    },
  };
}
