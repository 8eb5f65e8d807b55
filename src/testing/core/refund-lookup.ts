import type { EmulatorCore } from './emulator-core.js';
import { scopedKey } from './emulator-state.js';
import { PhonePeEmulatorError } from './phonepe-emulator-error.js';
import type { OrderRecord, RefundRecord } from './records.js';

/** Unknown refund: 404 `INVALID_MERCHANT_REFUND_ID` (emulator choice, named like the order error, §2.3). */
export function requireRefund(core: EmulatorCore, merchantId: string, merchantRefundId: string): RefundRecord {
  const refund = core.state.refunds.get(scopedKey(merchantId, merchantRefundId));
  if (!refund) throw new PhonePeEmulatorError(404, 'INVALID_MERCHANT_REFUND_ID', 'No entry found for given merchant refund id');
  return refund;
}

/** The order a refund belongs to. */
export function findOrderForRefund(core: EmulatorCore, refund: RefundRecord): OrderRecord | undefined {
  return core.state.orders.get(scopedKey(refund.merchantId, refund.originalMerchantOrderId));
}
