import { z } from 'zod';
import { MAX_MANDATE_AMOUNT_PAISE, MERCHANT_ID_PATTERN, MIN_AMOUNT_PAISE } from '../../core/protocol-defaults.js';

/** `merchantOrderId`, `merchantRefundId`, `merchantSubscriptionId`: ≤ 63 of `[A-Za-z0-9_-]` (docs/phonepe-protocol.md#conventions). */
export const merchantIdField = (name: string) =>
  z
    .string({ error: `${name} is required and must be a string` })
    .regex(MERCHANT_ID_PATTERN, `${name} must be 1-63 characters of A-Z, a-z, 0-9, _ or -`);

/** Integer paise, at least `min` (docs/phonepe-protocol.md#conventions, #checkout-pay). */
export const paiseField = (name: string, min = MIN_AMOUNT_PAISE) =>
  z
    .number({ error: `${name} is required and must be a number of paise` })
    .int(`${name} must be an integer number of paise`)
    .min(min, `${name} must be at least ${min} paise`)
    .max(Number.MAX_SAFE_INTEGER, `${name} is too large`);

// PhonePe's pages allow "alphanumeric values with _-+@." in udf11-15; the SDKs' validators also admit
// a space, the docs do not, and we follow the docs (docs/phonepe-protocol.md#unsettled-udf-space).
const UDF_SHORT_PATTERN = /^[a-zA-Z0-9_\-+@.]*$/;

/** `metaInfo`: only `udf1`…`udf15`; udf1-10 ≤ 256 chars, udf11-15 ≤ 50 chars of a restricted set (docs/phonepe-protocol.md#checkout-pay). */
export const metaInfoField = z
  .strictObject(
    Object.fromEntries(
      Array.from({ length: 15 }, (_, i) => {
        const key = `udf${i + 1}`;
        const rule =
          i < 10
            ? z.string(`metaInfo.${key} must be a string`).max(256, `metaInfo.${key} must be at most 256 characters`)
            : z
                .string(`metaInfo.${key} must be a string`)
                .max(50, `metaInfo.${key} must be at most 50 characters`)
                .regex(UDF_SHORT_PATTERN, `metaInfo.${key} may contain only letters, digits and _ - + @ . (no space)`);
        return [key, rule.optional()];
      }),
    ),
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `metaInfo accepts only udf1 to udf15 (got ${issue.keys.join(', ')})`
          : undefined,
    },
  )
  .transform(
    (meta) => Object.fromEntries(Object.entries(meta).filter(([, v]) => v !== undefined)) as Record<string, string>,
  );

/** SDK enums; doc tables misspell QUATERLY/ONDEMAND (docs/phonepe-protocol.md#autopay-api-setup). */
export const FREQUENCIES = [
  'DAILY',
  'WEEKLY',
  'FORTNIGHTLY',
  'MONTHLY',
  'BIMONTHLY',
  'QUARTERLY',
  'HALFYEARLY',
  'YEARLY',
  'ON_DEMAND',
] as const;

/** `subscriptionDetails.productType` of a checkout setup (UPI; eNACH samples use `ENACH_MANDATE`). */
export const CHECKOUT_PRODUCT_TYPES = ['UPI_MANDATE', 'ENACH_MANDATE'] as const;

/** Mandate terms common to both setup families (docs/phonepe-protocol.md#autopay-checkout-setup, #autopay-api-setup). */
export const mandateFields = {
  merchantSubscriptionId: merchantIdField('merchantSubscriptionId'),
  authWorkflowType: z.enum(['TRANSACTION', 'PENNY_DROP'], 'authWorkflowType must be TRANSACTION or PENNY_DROP'),
  amountType: z.enum(['FIXED', 'VARIABLE'], 'amountType must be FIXED or VARIABLE'),
  maxAmount: paiseField('maxAmount', 1).max(
    MAX_MANDATE_AMOUNT_PAISE,
    `maxAmount must be at most ${MAX_MANDATE_AMOUNT_PAISE} paise`,
  ),
  frequency: z.enum(FREQUENCIES, `frequency must be one of ${FREQUENCIES.join(', ')}`),
  productType: z.string().optional(),
  expireAt: z.number().int('expireAt must be epoch milliseconds').positive().optional(),
};

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1']);

/** An https URL, or http on localhost/127.0.0.1 (docs/phonepe-protocol.md#unsettled-redirect-https). */
const returnUrl = (name: string) =>
  z.url(`${name} must be an absolute URL`).refine((value) => {
    // The refinement also runs when z.url() has already refused the value.
    const url = URL.canParse(value) ? new URL(value) : undefined;
    return !url || url.protocol === 'https:' || (url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname));
  }, `${name} must be an https URL (http is allowed only for localhost and 127.0.0.1)`);

/** `merchantUrls`: `redirectUrl` required in practice (docs/phonepe-protocol.md#checkout-pay); `cancelRedirectUrl` seen in samples (docs/phonepe-protocol.md#autopay-checkout-setup). */
export const merchantUrlsField = z.looseObject({
  redirectUrl: returnUrl('paymentFlow.merchantUrls.redirectUrl'),
  cancelRedirectUrl: returnUrl('paymentFlow.merchantUrls.cancelRedirectUrl').optional(),
});

/** `paymentModeConfig`: exactly one of enabled/disabled lists (docs/phonepe-protocol.md#checkout-pay). */
export const paymentModeConfigField = z
  .looseObject({
    version: z.enum(['V1', 'V2']).optional(),
    enabledPaymentModes: z.array(z.looseObject({ type: z.string() })).optional(),
    disabledPaymentModes: z.array(z.looseObject({ type: z.string() })).optional(),
  })
  .refine(
    (c) => !(c.enabledPaymentModes && c.disabledPaymentModes),
    'paymentModeConfig may have enabledPaymentModes or disabledPaymentModes, not both',
  );
