import { z } from 'zod';
import { EXPIRE_AFTER_MAX_SECONDS, EXPIRE_AFTER_MIN_SECONDS } from '../../core/protocol-defaults.js';
import {
  CHECKOUT_PRODUCT_TYPES,
  mandateFields,
  merchantIdField,
  merchantUrlsField,
  metaInfoField,
  paiseField,
  paymentModeConfigField,
} from './field-rules.js';

/**
 * The two checkout flows. `merchantUrls` is required on `/checkout/v2/pay` (the browser must go
 * back somewhere, docs/phonepe-protocol.md#checkout-pay) and optional on `/checkout/v2/sdk/order`, where the app SDK takes over:
 * PhonePe's Python SDK leaves `redirect_url` optional there (`CreateSdkOrderRequest`).
 */
function checkoutFlows(merchantUrls: typeof merchantUrlsField | z.ZodOptional<typeof merchantUrlsField>) {
  const pgCheckout = z.looseObject({
    type: z.literal('PG_CHECKOUT'),
    message: z.string().optional(),
    merchantUrls,
    paymentModeConfig: paymentModeConfigField.optional(),
  });
  const subscriptionCheckoutSetup = z.looseObject({
    type: z.literal('SUBSCRIPTION_CHECKOUT_SETUP'),
    merchantUrls,
    // Both required: PhonePe's integration guide calls them required, the pay-links sample carries
    // productType, the checkout samples subscriptionType (docs/phonepe-protocol.md#unsettled-product-type).
    subscriptionDetails: z.looseObject({
      ...mandateFields,
      subscriptionType: z.literal(
        'RECURRING',
        'paymentFlow.subscriptionDetails.subscriptionType is required and must be RECURRING',
      ),
      productType: z.enum(
        CHECKOUT_PRODUCT_TYPES,
        `paymentFlow.subscriptionDetails.productType is required and must be ${CHECKOUT_PRODUCT_TYPES.join(' or ')}`,
      ),
    }),
    paymentModeConfig: paymentModeConfigField.optional(),
  });
  return z.discriminatedUnion('type', [pgCheckout, subscriptionCheckoutSetup], {
    error: (issue) =>
      issue.input === undefined || issue.input === null
        ? 'paymentFlow is required'
        : 'paymentFlow.type must be PG_CHECKOUT or SUBSCRIPTION_CHECKOUT_SETUP',
  });
}

const checkoutOrderFields = {
  merchantOrderId: merchantIdField('merchantOrderId'),
  amount: paiseField('amount'),
  expireAfter: z
    .number('expireAfter must be a number of seconds')
    .int('expireAfter must be a whole number of seconds')
    .min(
      EXPIRE_AFTER_MIN_SECONDS,
      `expireAfter must be between ${EXPIRE_AFTER_MIN_SECONDS} and ${EXPIRE_AFTER_MAX_SECONDS} seconds`,
    )
    .max(
      EXPIRE_AFTER_MAX_SECONDS,
      `expireAfter must be between ${EXPIRE_AFTER_MIN_SECONDS} and ${EXPIRE_AFTER_MAX_SECONDS} seconds`,
    )
    .optional(),
  metaInfo: metaInfoField.optional(),
  disablePaymentRetry: z.boolean('disablePaymentRetry must be a boolean').optional(),
  prefillUserLoginDetails: z.looseObject({ phoneNumber: z.string().optional() }).optional(),
};

/** `/checkout/v2/pay` body (docs/phonepe-protocol.md#checkout-pay, #autopay-checkout-setup). Unknown fields are tolerated. */
export const checkoutOrderRequestSchema = z.looseObject({
  ...checkoutOrderFields,
  paymentFlow: checkoutFlows(merchantUrlsField),
});

/** `/checkout/v2/sdk/order` body (docs/phonepe-protocol.md#sdk-order): as pay, `merchantUrls` optional. */
export const sdkOrderRequestSchema = z.looseObject({
  ...checkoutOrderFields,
  paymentFlow: checkoutFlows(merchantUrlsField.optional()),
});
