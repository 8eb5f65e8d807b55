import { instrumentAndRail } from './payment-attempt-view.js';
import type { OrderRecord, PaymentMode, RefundRecord, ResponseShape } from './records.js';

export interface RefundViewOptions {
  shape: ResponseShape;
  /** A webhook payload rather than a status answer. */
  webhook?: boolean;
}

/**
 * The refund-status body (docs/phonepe-protocol.md#refund-status), also the payload of refund
 * webhooks. `minimal` is the shape of every SDK's model and PhonePe's own fixture: no `refundId`,
 * `timestamp`, top-level error codes or `splitInstruments`, and an attempt without instrument or
 * rail — except in a `pg.refund.completed` payload, where PhonePe's fixture shows them. `documented`
 * adds what the doc samples show. The attempt's state follows the refund's (`CONFIRMED` included).
 */
export function refundView(
  refund: RefundRecord,
  order: OrderRecord | undefined,
  options: RefundViewOptions,
): Record<string, unknown> {
  const documented = options.shape === 'documented';
  const mode: PaymentMode = order?.attempts.find((a) => a.state === 'COMPLETED')?.paymentMode ?? 'UPI_INTENT';
  const { instrument, rail } = instrumentAndRail(mode, refund.transactionId, refund.utr);
  const withInstrument = documented || (options.webhook === true && refund.state === 'COMPLETED');
  const detail: Record<string, unknown> = {
    transactionId: refund.transactionId,
    paymentMode: mode,
    timestamp: refund.timestamp,
    amount: refund.amount,
    state: refund.state,
    ...(withInstrument ? { instrument, rail } : {}),
  };
  const view: Record<string, unknown> = {
    merchantId: refund.merchantId,
    merchantRefundId: refund.merchantRefundId,
    originalMerchantOrderId: refund.originalMerchantOrderId,
    ...(documented ? { refundId: refund.refundId } : {}),
    amount: refund.amount,
    state: refund.state,
    ...(documented ? { timestamp: refund.timestamp } : {}),
  };
  if (refund.failure) {
    if (documented) {
      view.errorCode = refund.failure.errorCode;
      view.detailedErrorCode = refund.failure.detailedErrorCode;
    }
    detail.errorCode = refund.failure.errorCode;
    detail.detailedErrorCode = refund.failure.detailedErrorCode;
  }
  view.paymentDetails = [detail];
  if (documented) view.splitInstruments = [{ instrument, rail, amount: refund.amount }];
  return view;
}
