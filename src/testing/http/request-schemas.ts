import { z } from 'zod';
import { SUBSCRIPTION_FREQUENCIES } from '../../client/wire-values.js';
import {
  EXPIRE_AFTER_MAX_SECONDS,
  EXPIRE_AFTER_MIN_SECONDS,
  MAX_MANDATE_AMOUNT_PAISE,
  MERCHANT_ID_PATTERN,
  MIN_AMOUNT_PAISE,
  MIN_NOTIFY_AMOUNT_PAISE,
  PENNY_DROP_AMOUNT_PAISE,
} from '../core/protocol-defaults.js';
import type { MandateInput } from '../core/records.js';
import { badRequest } from '../errors.js';

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
  frequency: z.enum(SUBSCRIPTION_FREQUENCIES, `frequency must be one of ${SUBSCRIPTION_FREQUENCIES.join(', ')}`),
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

/**
 * `null` means "not given": PhonePe's Python SDK serialises unset optional fields as `null`
 * (dataclasses-json), and PhonePe accepts that, so the emulator must too.
 */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, withoutNulls(v)]),
  );
}

/** Validates a body; the first problem becomes PhonePe's 400 `BAD_REQUEST` naming the field. */
export function parseRequest<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(withoutNulls(body));
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.join('.') ?? '';
  const message = issue?.message ?? 'invalid request';
  // Custom messages already name their field; zod's defaults do not.
  throw badRequest(path && !message.includes(path.split('.').at(-1) ?? path) ? `${path}: ${message}` : message);
}

/**
 * Rules across fields of a mandate setup (docs/phonepe-protocol.md#limits): a `PENNY_DROP` verification is exactly ₹2
 * (docs/phonepe-protocol.md#unsettled-penny-drop); a
 * `TRANSACTION` first debit fits within `maxAmount`; the mandate and order end in the future.
 */
export function assertMandateRules(amount: number, mandate: MandateInput, now: number, orderExpireAt?: number): void {
  if (mandate.authWorkflowType === 'PENNY_DROP' && amount !== PENNY_DROP_AMOUNT_PAISE) {
    throw badRequest(
      `amount must be exactly ${PENNY_DROP_AMOUNT_PAISE} paise for a PENNY_DROP mandate (got ${amount})`,
    );
  }
  if (mandate.authWorkflowType === 'TRANSACTION' && amount > mandate.maxAmount) {
    throw badRequest(`amount (${amount}) must not exceed maxAmount (${mandate.maxAmount}) for a TRANSACTION mandate`);
  }
  if (mandate.expireAt !== undefined && mandate.expireAt <= now)
    throw badRequest('the subscription expireAt must be in the future (epoch milliseconds)');
  if (orderExpireAt !== undefined && orderExpireAt <= now)
    throw badRequest('expireAt must be in the future (epoch milliseconds)');
}

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
