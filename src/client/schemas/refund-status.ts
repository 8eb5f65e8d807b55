import { z } from 'zod';
import { paymentDetailSchema, splitInstrumentSchema } from './payment-detail.js';
import { knownString, REFUND_STATES } from './states.js';
import { epochMsSchema, paiseSchema } from './wire-numbers.js';

const optionalText = z.string().nullish();

/**
 * A refund as PhonePe reports it (`GET /payments/v2/refund/{id}/status`, docs/phonepe-protocol.md#refund-states).
 * Docs samples carry `splitInstruments`, SDK DTOs `paymentDetails`; both are read. `refundId` is
 * required here; refund webhook payloads may lack it (docs/phonepe-protocol.md#webhook-envelope), so a webhook parser should use
 * `refundStatusSchema.partial({ refundId: true })`.
 *
 * @example
 * const refund = refundStatusSchema.parse(JSON.parse(body)); // refund.state: 'PENDING' | 'CONFIRMED' | …
 */
export const refundStatusSchema = z.looseObject({
  merchantId: optionalText,
  merchantRefundId: optionalText,
  originalMerchantOrderId: optionalText,
  refundId: z.string().min(1).nullish(),
  amount: paiseSchema.nullish(),
  state: knownString(REFUND_STATES),
  timestamp: epochMsSchema.nullish(),
  errorCode: optionalText,
  detailedErrorCode: optionalText,
  splitInstruments: z.array(splitInstrumentSchema).nullish(),
  paymentDetails: z.array(paymentDetailSchema).nullish(),
});
/** @see refundStatusSchema */
export type RefundStatus = z.infer<typeof refundStatusSchema>;

/**
 * The answer to `POST /payments/v2/refund`: `{ refundId, amount, state }` (docs/phonepe-protocol.md#refund).
 *
 * @example
 * const { refundId, state } = refundResponseSchema.parse(JSON.parse(body));
 */
export const refundResponseSchema = z.looseObject({
  refundId: z.string().min(1).nullish(),
  amount: paiseSchema.nullish(),
  state: knownString(REFUND_STATES),
});
/** @see refundResponseSchema */
export type RefundResponse = z.infer<typeof refundResponseSchema>;
