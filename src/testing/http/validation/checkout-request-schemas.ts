import { z } from 'zod';
import { EXPIRE_AFTER_MAX_SECONDS, EXPIRE_AFTER_MIN_SECONDS } from '../../core/protocol-defaults.js';
import { mandateFields, merchantIdField, merchantUrlsField, metaInfoField, paiseField, paymentModeConfigField } from './field-rules.js';

const pgCheckoutFlow = z.looseObject({
  type: z.literal('PG_CHECKOUT'),
  message: z.string().optional(),
  merchantUrls: merchantUrlsField,
  paymentModeConfig: paymentModeConfigField.optional(),
});

const subscriptionCheckoutSetupFlow = z.looseObject({
  type: z.literal('SUBSCRIPTION_CHECKOUT_SETUP'),
  merchantUrls: merchantUrlsField,
  subscriptionDetails: z.looseObject({ subscriptionType: z.literal('RECURRING', 'subscriptionType must be RECURRING').optional(), ...mandateFields }),
  paymentModeConfig: paymentModeConfigField.optional(),
});

/** `/checkout/v2/pay` and `/checkout/v2/sdk/order` bodies (§2.1, §2.5, §4.1). Unknown fields are tolerated. */
export const checkoutOrderRequestSchema = z.looseObject({
  merchantOrderId: merchantIdField('merchantOrderId'),
  amount: paiseField('amount'),
  expireAfter: z
    .number('expireAfter must be a number of seconds')
    .int('expireAfter must be a whole number of seconds')
    .min(EXPIRE_AFTER_MIN_SECONDS, `expireAfter must be between ${EXPIRE_AFTER_MIN_SECONDS} and ${EXPIRE_AFTER_MAX_SECONDS} seconds`)
    .max(EXPIRE_AFTER_MAX_SECONDS, `expireAfter must be between ${EXPIRE_AFTER_MIN_SECONDS} and ${EXPIRE_AFTER_MAX_SECONDS} seconds`)
    .optional(),
  metaInfo: metaInfoField.optional(),
  paymentFlow: z.discriminatedUnion('type', [pgCheckoutFlow, subscriptionCheckoutSetupFlow], {
    error: (issue) => (issue.input === undefined || issue.input === null ? 'paymentFlow is required' : 'paymentFlow.type must be PG_CHECKOUT or SUBSCRIPTION_CHECKOUT_SETUP'),
  }),
  disablePaymentRetry: z.boolean('disablePaymentRetry must be a boolean').optional(),
  prefillUserLoginDetails: z.looseObject({ phoneNumber: z.string().optional() }).optional(),
});

export type CheckoutOrderRequest = z.infer<typeof checkoutOrderRequestSchema>;
