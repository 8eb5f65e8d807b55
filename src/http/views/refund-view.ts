import { formatPaise } from '../../billing/money/format-paise.js';
import type { RefundRecord } from '../../storage/records.js';
import { isoTime } from './payment-view.js';

/**
 * A refund as the HTTP API shows it. `refund_id` is the merchant refund id PhonePe knows it by.
 *
 * @example
 * { refund_id: 'rf_…', order_id: 'ord_…', state: 'pending', amount: '500.00', amount_paise: 50000, reason: 'duplicate charge', … }
 */
export interface RefundView {
  refund_id: string;
  order_id: string;
  state: RefundRecord['state'];
  amount: string;
  amount_paise: number;
  currency: 'INR';
  reason: string | null;
  phonepe_refund_id: string | null;
  error_code: string | null;
  created_at: string;
  settled_at: string | null;
}

export function toRefundView(refund: RefundRecord, orderId: string): RefundView {
  return {
    refund_id: refund.merchantRefundId,
    order_id: orderId,
    state: refund.state,
    amount: formatPaise(refund.amountPaise),
    amount_paise: refund.amountPaise,
    currency: 'INR',
    reason: refund.reason,
    phonepe_refund_id: refund.phonepeRefundId,
    error_code: refund.errorCode,
    created_at: new Date(refund.createdAt).toISOString(),
    settled_at: isoTime(refund.settledAt),
  };
}
