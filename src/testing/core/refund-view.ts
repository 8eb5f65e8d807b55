import { instrumentAndRail } from './payment-attempt-view.js';
import type { OrderRecord, PaymentMode, RefundRecord } from './records.js';

/**
 * The refund-status body (§3.2), also the payload of refund webhooks. PhonePe's doc samples put
 * `splitInstruments` at the top level while the SDKs model `paymentDetails`; both are sent.
 */
export function refundView(refund: RefundRecord, order: OrderRecord | undefined): Record<string, unknown> {
  const mode: PaymentMode = order?.attempts.find((a) => a.state === 'COMPLETED')?.paymentMode ?? 'UPI_INTENT';
  const { instrument, rail } = instrumentAndRail(mode, refund.transactionId, refund.utr);
  const detailState = refund.state === 'COMPLETED' || refund.state === 'FAILED' ? refund.state : 'PENDING';
  const detail: Record<string, unknown> = {
    transactionId: refund.transactionId,
    paymentMode: mode,
    timestamp: refund.timestamp,
    amount: refund.amount,
    state: detailState,
    instrument,
    rail,
  };
  const view: Record<string, unknown> = {
    merchantId: refund.merchantId,
    merchantRefundId: refund.merchantRefundId,
    originalMerchantOrderId: refund.originalMerchantOrderId,
    refundId: refund.refundId,
    amount: refund.amount,
    state: refund.state,
    timestamp: refund.timestamp,
  };
  if (refund.failure) {
    view.errorCode = refund.failure.errorCode;
    view.detailedErrorCode = refund.failure.detailedErrorCode;
    detail.errorCode = refund.failure.errorCode;
    detail.detailedErrorCode = refund.failure.detailedErrorCode;
  }
  view.paymentDetails = [detail];
  view.splitInstruments = [{ instrument, rail, amount: refund.amount }];
  return view;
}
