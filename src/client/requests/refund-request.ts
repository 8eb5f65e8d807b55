import { z } from 'zod';
import { merchantIdSchema, MIN_REFUND_AMOUNT_PAISE, paiseAmountSchema } from './request-fields.js';

/** `POST /payments/v2/refund` body (docs/phonepe-protocol.md#refund). */
export const refundRequestSchema = z.object({
  /** Your unique id for this refund: ≤63 of `[A-Za-z0-9_-]`. Never reuse one, not even after a FAILED refund. */
  merchantRefundId: merchantIdSchema,
  /** The merchantOrderId of the COMPLETED order being refunded. */
  originalMerchantOrderId: merchantIdSchema,
  /** Paise, ≥100 (our choice: docs/phonepe-protocol.md#unsettled-refund-minimum) and ≤ what is left of the order. */
  amount: paiseAmountSchema(MIN_REFUND_AMOUNT_PAISE),
});

/**
 * A full or partial refund of a completed order (docs/phonepe-protocol.md#refund).
 *
 * @example
 * const request: RefundRequest = { merchantRefundId: 'rf_1', originalMerchantOrderId: 'ord_1', amount: 10000 };
 */
export type RefundRequest = z.input<typeof refundRequestSchema>;
