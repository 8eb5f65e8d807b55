import type { EmulatorCore } from './emulator-core.js';
import { scopedKey } from './emulator-state.js';
import { unknownRefund } from './phonepe-emulator-error.js';
import type { OrderRecord, RefundRecord } from './records.js';

/** The merchant's refund, or 400 `REFUND_NOT_FOUND` (docs/phonepe-protocol.md#unsettled-unknown-order). */
export function requireRefund(core: EmulatorCore, merchantId: string, merchantRefundId: string): RefundRecord {
  const refund = core.state.refunds.get(scopedKey(merchantId, merchantRefundId));
  if (!refund) throw unknownRefund();
  return refund;
}

/** The order a refund belongs to. */
export function findOrderForRefund(core: EmulatorCore, refund: RefundRecord): OrderRecord | undefined {
  return core.state.orders.get(scopedKey(refund.merchantId, refund.originalMerchantOrderId));
}
