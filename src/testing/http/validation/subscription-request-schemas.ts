import { z } from 'zod';
import { MIN_NOTIFY_AMOUNT_PAISE } from '../../core/protocol-defaults.js';
import { mandateFields, merchantIdField, metaInfoField, paiseField } from './field-rules.js';

const upiIntent = z.looseObject({ type: z.literal('UPI_INTENT'), targetApp: z.string().optional() });
const upiCollect = z.looseObject({
  type: z.literal('UPI_COLLECT'),
  details: z.looseObject({
    type: z.literal('VPA', 'paymentMode.details.type must be VPA'),
    vpa: z.string('paymentMode.details.vpa is required').min(3),
  }),
  message: z.string().optional(),
});

/** `/subscriptions/v2/setup` body (docs/phonepe-protocol.md#autopay-api-setup). */
export const setupRequestSchema = z.looseObject({
  merchantOrderId: merchantIdField('merchantOrderId'),
  amount: paiseField('amount'),
  expireAt: z.number().int('expireAt must be epoch milliseconds').positive().optional(),
  metaInfo: metaInfoField.optional(),
  deviceContext: z
    .looseObject({ deviceOS: z.enum(['ANDROID', 'IOS'], 'deviceContext.deviceOS must be ANDROID or IOS').optional() })
    .optional(),
  paymentFlow: z.looseObject({
    type: z.literal('SUBSCRIPTION_SETUP', 'paymentFlow.type must be SUBSCRIPTION_SETUP'),
    ...mandateFields,
    paymentMode: z.discriminatedUnion('type', [upiIntent, upiCollect], {
      error: 'paymentFlow.paymentMode.type must be UPI_INTENT or UPI_COLLECT',
    }),
  }),
});

/** Notify body (docs/phonepe-protocol.md#notify); either redemption type is accepted on either path family (docs/phonepe-protocol.md#unsettled-path-family). */
export const notifyRequestSchema = z.looseObject({
  merchantOrderId: merchantIdField('merchantOrderId'),
  // Any debit up to maxAmount (docs/phonepe-protocol.md#unsettled-notify-minimum).
  amount: paiseField('amount', MIN_NOTIFY_AMOUNT_PAISE),
  expireAt: z.number().int('expireAt must be epoch milliseconds').positive().optional(),
  metaInfo: metaInfoField.optional(),
  paymentFlow: z.looseObject({
    type: z.enum(
      ['SUBSCRIPTION_REDEMPTION', 'SUBSCRIPTION_CHECKOUT_REDEMPTION'],
      'paymentFlow.type must be SUBSCRIPTION_REDEMPTION or SUBSCRIPTION_CHECKOUT_REDEMPTION',
    ),
    merchantSubscriptionId: merchantIdField('paymentFlow.merchantSubscriptionId'),
    redemptionRetryStrategy: z
      .enum(['STANDARD', 'CUSTOM'], 'redemptionRetryStrategy must be STANDARD or CUSTOM')
      .optional(),
    autoDebit: z.boolean('autoDebit must be a boolean').optional(),
  }),
});

/** Redeem body (docs/phonepe-protocol.md#redeem). */
export const redeemRequestSchema = z.looseObject({ merchantOrderId: merchantIdField('merchantOrderId') });

/** Refund body (docs/phonepe-protocol.md#refund); minimum 100 paise (docs/phonepe-protocol.md#unsettled-refund-minimum). */
export const refundRequestSchema = z.looseObject({
  merchantRefundId: merchantIdField('merchantRefundId'),
  originalMerchantOrderId: merchantIdField('originalMerchantOrderId'),
  amount: paiseField('amount'),
});
