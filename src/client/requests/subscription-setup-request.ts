import { z } from 'zod';
import {
  AMOUNT_TYPES,
  AUTH_WORKFLOW_TYPES,
  SUBSCRIPTION_FREQUENCIES,
  SUBSCRIPTION_PRODUCT_TYPES,
  SUBSCRIPTION_TYPES,
} from '../schemas/subscription-values.js';
import { checkoutOrderFields } from './pay-request.js';
import { metaInfoSchema } from './meta-info.js';
import {
  epochMsRequestSchema,
  httpUrlSchema,
  MIN_AMOUNT_PAISE,
  PENNY_DROP_AMOUNT_PAISE,
  merchantIdSchema,
  paiseAmountSchema,
  paymentModeConfigSchema,
} from './request-fields.js';

/** The mandate terms both families share (docs/phonepe-protocol.md#autopay-checkout-setup, #autopay-api-setup). */
const mandateFields = {
  /** Your long-lived id for the mandate: ≤63 of `[A-Za-z0-9_-]`. */
  merchantSubscriptionId: merchantIdSchema,
  /** `TRANSACTION` (first debit authorises) or `PENNY_DROP` (₹2 check, reversed). */
  authWorkflowType: z.enum(AUTH_WORKFLOW_TYPES),
  /** `FIXED` or `VARIABLE` (debits up to `maxAmount`). */
  amountType: z.enum(AMOUNT_TYPES),
  /** Cap per debit in paise; at least `amount` for TRANSACTION setups. */
  maxAmount: paiseAmountSchema(MIN_AMOUNT_PAISE),
  frequency: z.enum(SUBSCRIPTION_FREQUENCIES),
  /** When the mandate ends, epoch ms. PhonePe's default (30 years) applies when absent. */
  expireAt: epochMsRequestSchema.optional(),
};

/** `POST /checkout/v2/pay` with `SUBSCRIPTION_CHECKOUT_SETUP` (hosted page; docs/phonepe-protocol.md#autopay-checkout-setup). */
export const subscriptionCheckoutSetupRequestSchema = z.object({
  ...checkoutOrderFields,
  paymentFlow: z.object({
    type: z.literal('SUBSCRIPTION_CHECKOUT_SETUP'),
    message: z.string().optional(),
    merchantUrls: z.object({ redirectUrl: httpUrlSchema, cancelRedirectUrl: httpUrlSchema.optional() }),
    subscriptionDetails: z.object({
      /** `RECURRING` (the only value). Required (docs/phonepe-protocol.md#unsettled-product-type). */
      subscriptionType: z.enum(SUBSCRIPTION_TYPES),
      /** `UPI_MANDATE` for UPI autopay. Required (docs/phonepe-protocol.md#unsettled-product-type). */
      productType: z.enum(SUBSCRIPTION_PRODUCT_TYPES),
      ...mandateFields,
    }),
    paymentModeConfig: paymentModeConfigSchema.optional(),
  }),
});

/**
 * Sets up a UPI autopay mandate on PhonePe's hosted page (checkout family): PhonePe's
 * `POST /checkout/v2/pay` JSON with `paymentFlow.type = SUBSCRIPTION_CHECKOUT_SETUP`.
 * `amount` is the first debit; `expireAfter` in seconds.
 *
 * @example
 * const request: SubscriptionCheckoutSetupRequest = {
 *   merchantOrderId: 'setup_1', amount: 49900,
 *   paymentFlow: {
 *     type: 'SUBSCRIPTION_CHECKOUT_SETUP',
 *     merchantUrls: { redirectUrl: 'https://app.example/return?o=setup_1' },
 *     subscriptionDetails: { merchantSubscriptionId: 'sub_1', authWorkflowType: 'TRANSACTION',
 *       amountType: 'FIXED', maxAmount: 49900, frequency: 'MONTHLY', subscriptionType: 'RECURRING', productType: 'UPI_MANDATE' },
 *   },
 * };
 */
export type SubscriptionCheckoutSetupRequest = z.input<typeof subscriptionCheckoutSetupRequestSchema>;

const upiIntentModeSchema = z.object({
  type: z.literal('UPI_INTENT'),
  /** Android package (e.g. `com.phonepe.app`) or iOS app name (`PHONEPE`, `GPAY`…). */
  targetApp: z.string().optional(),
});
const upiCollectModeSchema = z.object({
  type: z.literal('UPI_COLLECT'),
  details: z.object({ type: z.literal('VPA'), vpa: z.string().min(3, 'must be a UPI id such as name@bank') }),
  message: z.string().optional(),
});

/** `POST /subscriptions/v2/setup` with `SUBSCRIPTION_SETUP` (API family; docs/phonepe-protocol.md#autopay-api-setup). */
export const subscriptionApiSetupRequestSchema = z.object({
  merchantOrderId: merchantIdSchema,
  amount: paiseAmountSchema(MIN_AMOUNT_PAISE),
  /** Order expiry, epoch ms (not seconds: this family differs from checkout). */
  expireAt: epochMsRequestSchema.optional(),
  metaInfo: metaInfoSchema.optional(),
  constraints: z.array(z.looseObject({ type: z.string().min(1) })).optional(),
  deviceContext: z
    .object({ deviceOS: z.enum(['ANDROID', 'IOS']), merchantCallBackScheme: z.string().optional() })
    .optional(),
  paymentFlow: z.object({
    type: z.literal('SUBSCRIPTION_SETUP'),
    ...mandateFields,
    paymentMode: z.discriminatedUnion('type', [upiIntentModeSchema, upiCollectModeSchema]),
  }),
});

/**
 * Sets up a UPI autopay mandate from your own UI (API family): PhonePe's
 * `POST /subscriptions/v2/setup` JSON with a UPI intent or collect `paymentMode`.
 *
 * @example
 * const request: SubscriptionApiSetupRequest = {
 *   merchantOrderId: 'setup_2', amount: 49900, deviceContext: { deviceOS: 'ANDROID' },
 *   paymentFlow: { type: 'SUBSCRIPTION_SETUP', merchantSubscriptionId: 'sub_2', authWorkflowType: 'TRANSACTION',
 *     amountType: 'VARIABLE', maxAmount: 99900, frequency: 'ON_DEMAND', paymentMode: { type: 'UPI_INTENT' } },
 * };
 */
export type SubscriptionApiSetupRequest = z.input<typeof subscriptionApiSetupRequestSchema>;

/** True when `request` asks for a checkout-family setup (`paymentFlow.type`). */
export function isCheckoutSetupRequest(request: {
  paymentFlow?: { type?: string | undefined } | undefined;
}): request is SubscriptionCheckoutSetupRequest {
  // Optional chaining on the request too: JavaScript callers may pass anything.
  const maybe = request as { paymentFlow?: { type?: unknown } | null } | null | undefined;
  return maybe?.paymentFlow?.type === 'SUBSCRIPTION_CHECKOUT_SETUP';
}

/** Either family's setup request; `paymentFlow.type` picks the endpoint. */
export type SubscriptionSetupRequest = SubscriptionCheckoutSetupRequest | SubscriptionApiSetupRequest;

/** A rule across fields of a setup: where `maxAmount` and `amount` must agree. */
export interface MandateAmountProblem {
  field: string;
  problem: string;
}

/**
 * Cross-field checks zod's per-field rules cannot express: a TRANSACTION setup debits `amount`
 * under the mandate, so `maxAmount` must cover it; a PENNY_DROP check needs ₹2 (docs/phonepe-protocol.md#autopay-api-setup).
 */
export function checkMandateAmounts(
  amount: number,
  terms: { authWorkflowType: string; maxAmount: number },
  termsPath: string,
): MandateAmountProblem | undefined {
  if (terms.authWorkflowType === 'TRANSACTION' && terms.maxAmount < amount) {
    return {
      field: `${termsPath}.maxAmount`,
      problem: `must be at least amount (${amount} paise) for a TRANSACTION setup`,
    };
  }
  if (terms.authWorkflowType === 'PENNY_DROP' && amount !== PENNY_DROP_AMOUNT_PAISE) {
    return { field: 'amount', problem: `must be exactly ${PENNY_DROP_AMOUNT_PAISE} paise for a PENNY_DROP setup` };
  }
  return undefined;
}
