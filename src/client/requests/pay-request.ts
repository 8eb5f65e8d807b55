import { z } from 'zod';
import { metaInfoSchema } from './meta-info.js';
import {
  expireAfterSchema,
  httpUrlSchema,
  MIN_AMOUNT_PAISE,
  merchantIdSchema,
  paiseAmountSchema,
  paymentModeConfigSchema,
} from './request-fields.js';

/** Fields every standard-checkout order shares (docs/phonepe-protocol.md#checkout-pay). */
export const checkoutOrderFields = {
  /** Your unique id for this order: ≤63 of `[A-Za-z0-9_-]`. Never reuse one. */
  merchantOrderId: merchantIdSchema,
  /** Amount in paise (integer, ≥100). */
  amount: paiseAmountSchema(MIN_AMOUNT_PAISE),
  /** Seconds until the order expires, 300–3600. PhonePe's default applies when absent. */
  expireAfter: expireAfterSchema.optional(),
  /** `udf1`…`udf15`, echoed back in status and webhooks. */
  metaInfo: metaInfoSchema.optional(),
  /** Stops the payer retrying on PhonePe's page after a failed attempt. */
  disablePaymentRetry: z.boolean().optional(),
  /** Prefills PhonePe's login on the hosted page. */
  prefillUserLoginDetails: z.object({ phoneNumber: z.string().optional() }).optional(),
};

/** `POST /checkout/v2/pay` body for a one-time payment. */
export const payRequestSchema = z.object({
  ...checkoutOrderFields,
  paymentFlow: z.object({
    /** Always `PG_CHECKOUT`; filled in when left out. */
    type: z.literal('PG_CHECKOUT').optional(),
    /** Text shown for collect requests. */
    message: z.string().optional(),
    merchantUrls: z.object({
      /** Where the payer's browser returns: an absolute http(s) URL. Put your order id in it (PhonePe appends nothing). */
      redirectUrl: httpUrlSchema,
    }),
    /** Restrict payment modes: `enabledPaymentModes` or `disabledPaymentModes`, not both. */
    paymentModeConfig: paymentModeConfigSchema.optional(),
  }),
});

/**
 * A one-time standard-checkout payment: PhonePe's `POST /checkout/v2/pay` JSON
 * (docs/phonepe-protocol.md#checkout-pay). Amounts in paise; `expireAfter` in seconds.
 *
 * @example
 * const request: PayRequest = {
 *   merchantOrderId: 'ord_1', amount: 49900,
 *   paymentFlow: { type: 'PG_CHECKOUT', merchantUrls: { redirectUrl: 'https://app.example/return?o=ord_1' } },
 * };
 */
export type PayRequest = z.input<typeof payRequestSchema>;

/** `POST /checkout/v2/sdk/order` body for a one-time payment in PhonePe's mobile SDK. */
export const sdkOrderRequestSchema = z.object({
  ...checkoutOrderFields,
  paymentFlow: z.object({
    type: z.literal('PG_CHECKOUT').optional(),
    message: z.string().optional(),
    /** Optional here: the mobile SDK returns to the app itself. */
    merchantUrls: z.object({ redirectUrl: httpUrlSchema }).optional(),
    paymentModeConfig: paymentModeConfigSchema.optional(),
  }),
});

/**
 * A one-time payment for PhonePe's mobile SDK (`POST /checkout/v2/sdk/order`,
 * docs/phonepe-protocol.md#sdk-order): same body as {@link PayRequest}, `merchantUrls` optional.
 *
 * @example
 * const request: SdkOrderRequest = { merchantOrderId: 'ord_2', amount: 49900, paymentFlow: { type: 'PG_CHECKOUT' } };
 */
export type SdkOrderRequest = z.input<typeof sdkOrderRequestSchema>;
