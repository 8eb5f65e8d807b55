import { z } from 'zod';
import { knownString, PAYMENT_ATTEMPT_STATES, PAYMENT_MODES } from './states.js';
import { epochMsSchema, paiseSchema } from './wire-numbers.js';

const optionalText = z.string().nullish();

/** Instrument types PhonePe documents (docs/phonepe-protocol.md#order-status). */
export const INSTRUMENT_TYPES = [
  'ACCOUNT',
  'CREDIT_CARD',
  'DEBIT_CARD',
  'NET_BANKING',
  'WALLET',
  'EGV',
  'CREDIT_LINE',
] as const;

/** What paid: bank account, card, wallet… Unknown fields are kept. */
export const instrumentSchema = z.looseObject({
  type: knownString(INSTRUMENT_TYPES),
  maskedAccountNumber: optionalText,
  ifsc: optionalText,
  accountHolderName: optionalText,
  accountType: optionalText,
  bankId: optionalText,
  bankTransactionId: optionalText,
  brn: optionalText,
  arn: optionalText,
  cardNetwork: optionalText,
  maskedCardNumber: optionalText,
  geoScope: optionalText,
  walletId: optionalText,
  cardNumber: optionalText,
  programId: optionalText,
});
/** @see instrumentSchema */
export type PaymentInstrument = z.infer<typeof instrumentSchema>;

/** Rail types PhonePe documents (docs/phonepe-protocol.md#order-status). */
export const RAIL_TYPES = ['UPI', 'PG', 'PPI_WALLET', 'PPI_EGV'] as const;

/** How the money moved: UPI (utr, vpa, umn for mandates) or card/net-banking PG ids. */
export const railSchema = z.looseObject({
  type: knownString(RAIL_TYPES),
  utr: optionalText,
  upiTransactionId: optionalText,
  vpa: optionalText,
  umn: optionalText,
  transactionId: optionalText,
  authorizationCode: optionalText,
  serviceTransactionId: optionalText,
});
/** @see railSchema */
export type PaymentRail = z.infer<typeof railSchema>;

/** Why a payment failed, sent with `errorContext=true` (docs/phonepe-protocol.md#order-status). */
export const errorContextSchema = z.looseObject({
  errorCode: optionalText,
  detailedErrorCode: optionalText,
  source: optionalText,
  stage: optionalText,
  description: optionalText,
});
/** @see errorContextSchema */
export type PaymentErrorContext = z.infer<typeof errorContextSchema>;

/** One leg of a split payment (e.g. UPI + wallet). */
export const splitInstrumentSchema = z.looseObject({
  instrument: instrumentSchema.nullish(),
  rail: railSchema.nullish(),
  amount: paiseSchema.nullish(),
});
/** @see splitInstrumentSchema */
export type SplitInstrument = z.infer<typeof splitInstrumentSchema>;

/**
 * One payment attempt of an order (or one leg of a refund): `paymentDetails[i]` in order-status,
 * refund-status and webhook payloads (docs/phonepe-protocol.md#order-status, #refund-states, #webhook-envelope).
 *
 * @example
 * const attempt = paymentDetailSchema.parse(status.paymentDetails[0]);
 */
export const paymentDetailSchema = z.looseObject({
  transactionId: z.string().min(1).nullish(),
  paymentMode: knownString(PAYMENT_MODES).nullish(),
  timestamp: epochMsSchema.nullish(),
  amount: paiseSchema.nullish(),
  payableAmount: paiseSchema.nullish(),
  feeAmount: paiseSchema.nullish(),
  currency: optionalText,
  payableCurrency: optionalText,
  feeCurrency: optionalText,
  state: knownString(PAYMENT_ATTEMPT_STATES).nullish(),
  errorCode: optionalText,
  detailedErrorCode: optionalText,
  instrument: instrumentSchema.nullish(),
  rail: railSchema.nullish(),
  splitInstruments: z.array(splitInstrumentSchema).nullish(),
});
/** @see paymentDetailSchema */
export type PaymentDetail = z.infer<typeof paymentDetailSchema>;
