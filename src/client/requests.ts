import { z } from 'zod';
import { PhonePeValidationError } from './errors.js';
import {
  AMOUNT_TYPES,
  AUTH_WORKFLOW_TYPES,
  REDEMPTION_RETRY_STRATEGIES,
  SUBSCRIPTION_FREQUENCIES,
  SUBSCRIPTION_PRODUCT_TYPES,
  SUBSCRIPTION_TYPES,
} from './wire-values.js';

// Field rules shared by every request. Messages are phrases that follow the field name
// ("amount must be at least 100 paise"), see validateRequest below.

/** PhonePe's merchant id rule: at most 63 of `[A-Za-z0-9_-]` (docs/phonepe-protocol.md#conventions). */
export const MERCHANT_ID_PATTERN = /^[A-Za-z0-9_-]{1,63}$/;

/** A merchantOrderId / merchantRefundId / merchantSubscriptionId / transactionId. */
export const merchantIdSchema = z
  .string({ error: 'must be a string' })
  .regex(MERCHANT_ID_PATTERN, 'must be 1 to 63 characters of A-Z, a-z, 0-9, _ or -');

/** Smallest order amount PhonePe accepts, in paise (₹1; docs/phonepe-protocol.md#checkout-pay). */
export const MIN_AMOUNT_PAISE = 100;

/**
 * Smallest refund we let through, in paise. The minimum is unsettled (most pages say 100, two say 1;
 * docs/phonepe-protocol.md#unsettled-refund-minimum); we choose 100, the stricter reading, so a refund
 * never fails at PhonePe for this reason. Change this constant if PhonePe confirms 1.
 */
export const MIN_REFUND_AMOUNT_PAISE = 100;

/** The amount of a PENNY_DROP mandate set-up: exactly ₹2 (docs/phonepe-protocol.md#unsettled-penny-drop). */
export const PENNY_DROP_AMOUNT_PAISE = 200;

/** The smallest pre-debit notice (docs/phonepe-protocol.md#unsettled-notify-minimum). */
export const MIN_NOTIFY_AMOUNT_PAISE = 1;

/** Paise: a safe integer of at least `min`. */
export function paiseAmountSchema(min: number) {
  return z
    .number({ error: 'must be a number of paise' })
    .refine(Number.isSafeInteger, {
      message: 'must be a whole number of paise (a safe integer, never a float)',
      abort: true,
    })
    .refine((value) => value >= min, `must be at least ${min} paise`);
}

/** Standard-checkout `expireAfter`: seconds from now, 300–3600 (docs/phonepe-protocol.md#conventions, #checkout-pay). */
export const expireAfterSchema = z
  .number({ error: 'must be a number of seconds' })
  .refine(
    (value) => Number.isInteger(value) && value >= 300 && value <= 3600,
    'must be a whole number of seconds from 300 to 3600',
  );

/** An epoch-ms timestamp in a request (`expireAt`; docs/phonepe-protocol.md#conventions). */
export const epochMsRequestSchema = z
  .number({ error: 'must be epoch milliseconds' })
  .refine((value) => Number.isSafeInteger(value) && value > 0, 'must be epoch milliseconds (a positive safe integer)');

/** An absolute http(s) URL (redirect targets). */
/**
 * A URL PhonePe sends the payer's browser to: absolute `https`, or `http` on this machine only
 * (localhost, 127.0.0.1, [::1]) for local development against the emulator
 * (docs/phonepe-protocol.md#unsettled-redirect-https).
 */
export const httpUrlSchema = z
  .string({ error: 'must be a string' })
  .refine(isRedirectableUrl, 'must be an absolute https URL (http only for localhost)');

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function isRedirectableUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname));
  } catch {
    return false;
  }
}

/** `paymentFlow.paymentModeConfig` (docs/phonepe-protocol.md#checkout-pay): items kept as given, but never both lists. */
export const paymentModeConfigSchema = z
  .object({
    version: z.string().optional(),
    enabledPaymentModes: z.array(z.looseObject({ type: z.string().min(1) })).optional(),
    disabledPaymentModes: z.array(z.looseObject({ type: z.string().min(1) })).optional(),
  })
  .refine((config) => config.enabledPaymentModes === undefined || config.disabledPaymentModes === undefined, {
    message: 'must not be set together with enabledPaymentModes (PhonePe rejects both)',
    path: ['disabledPaymentModes'],
  });

// docs/phonepe-protocol.md#checkout-pay: only udf1…udf15 (renamed keys are rejected in production); udf1-10 are
// free text ≤256 chars, udf11-15 ≤50 chars of a restricted set.
// The docs' charset (no space), stricter than the SDKs' validators (docs/phonepe-protocol.md#unsettled-udf-space).
const UDF_SHORT_PATTERN = /^[a-zA-Z0-9_\-@.+]*$/;
const longUdf = z.string({ error: 'must be a string' }).max(256, 'must be at most 256 characters').optional();
const shortUdf = z
  .string({ error: 'must be a string' })
  .max(50, 'must be at most 50 characters')
  .regex(UDF_SHORT_PATTERN, 'may only contain letters, digits and _ - @ . +')
  .optional();

/** `metaInfo`: keys `udf1`…`udf15` only; echoed back in status calls and webhooks. */
export const metaInfoSchema = z.strictObject({
  udf1: longUdf,
  udf2: longUdf,
  udf3: longUdf,
  udf4: longUdf,
  udf5: longUdf,
  udf6: longUdf,
  udf7: longUdf,
  udf8: longUdf,
  udf9: longUdf,
  udf10: longUdf,
  udf11: shortUdf,
  udf12: shortUdf,
  udf13: shortUdf,
  udf14: shortUdf,
  udf15: shortUdf,
});

/**
 * Merchant data PhonePe stores with an order and echoes in status and webhooks. `udf1`–`udf10`:
 * up to 256 characters; `udf11`–`udf15`: up to 50 of letters, digits, space and `_ - @ . +`.
 *
 * @example
 * const metaInfo: MetaInfo = { udf1: 'workspace_42', udf11: 'plan-pro' };
 */
export type MetaInfo = z.input<typeof metaInfoSchema>;

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

/** The two notify flow types; each picks its family's endpoint (docs/phonepe-protocol.md#autopay). */
export const NOTIFY_FLOW_TYPES = ['SUBSCRIPTION_CHECKOUT_REDEMPTION', 'SUBSCRIPTION_REDEMPTION'] as const;

/** Notify body of both families (docs/phonepe-protocol.md#notify). */
export const notifyRedemptionRequestSchema = z.object({
  /** New id per billing cycle; the same id is later passed to executeRedemption. */
  merchantOrderId: merchantIdSchema,
  /** Paise to debit; must not exceed the mandate's maxAmount. */
  amount: paiseAmountSchema(MIN_NOTIFY_AMOUNT_PAISE),
  /** When the redemption order expires, epoch ms (PhonePe's default applies when absent). */
  expireAt: epochMsRequestSchema.optional(),
  metaInfo: metaInfoSchema.optional(),
  paymentFlow: z.object({
    /**
     * `SUBSCRIPTION_CHECKOUT_REDEMPTION` → `/checkout/v2/subscriptions/notify` (default when left
     * out); `SUBSCRIPTION_REDEMPTION` → `/subscriptions/v2/notify`.
     */
    type: z.enum(NOTIFY_FLOW_TYPES).optional(),
    merchantSubscriptionId: merchantIdSchema,
    /** `STANDARD` (PhonePe retries failed debits) or `CUSTOM` (you do). */
    redemptionRetryStrategy: z.enum(REDEMPTION_RETRY_STRATEGIES).optional(),
    /** `true`: PhonePe debits by itself after the notice window; do not call executeRedemption. */
    autoDebit: z.boolean().optional(),
  }),
});

/**
 * A pre-debit notification for one billing cycle of an ACTIVE mandate. Debit it at least 24 h
 * later with `executeRedemption` (unless `autoDebit`).
 *
 * @example
 * const request: NotifyRedemptionRequest = {
 *   merchantOrderId: 'cycle_2026_02', amount: 49900,
 *   paymentFlow: { type: 'SUBSCRIPTION_CHECKOUT_REDEMPTION', merchantSubscriptionId: 'sub_1', redemptionRetryStrategy: 'STANDARD', autoDebit: false },
 * };
 */
export type NotifyRedemptionRequest = z.input<typeof notifyRedemptionRequestSchema>;

/**
 * Checks a request against its schema before anything is sent. Throws a
 * {@link PhonePeValidationError} naming the first bad field; returns nothing, because the body
 * sent is the caller's own object (unknown extra fields pass through to PhonePe untouched).
 */
export function validateRequest(operation: string, schema: z.ZodType, input: unknown): void {
  const result = schema.safeParse(input);
  if (result.success) return;
  const issue = result.error.issues[0];
  if (issue === undefined) throw new PhonePeValidationError({ operation, field: '', problem: 'is invalid' });
  throw new PhonePeValidationError({ operation, ...describeIssue(issue, input) });
}

/**
 * Checks an id that goes into a URL path (merchantOrderId, merchantRefundId,
 * merchantSubscriptionId, transactionId): ≤63 of `[A-Za-z0-9_-]` (docs/phonepe-protocol.md#conventions), which also
 * means it can never change the path it is put into. Returns the id.
 */
export function validatePathId(operation: string, field: string, value: unknown): string {
  const result = merchantIdSchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const problem = value === undefined ? 'is required' : (issue?.message ?? 'is invalid');
  throw new PhonePeValidationError({ operation, field, problem });
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): { field: string; problem: string } {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const allowed = path.at(-1) === 'metaInfo' ? ' (metaInfo takes only udf1 to udf15)' : '';
    return { field: [...path, issue.keys[0] ?? ''].join('.'), problem: `is not an allowed field${allowed}` };
  }
  const field = path.join('.');
  if (issue.code === 'invalid_type') {
    const missing = valueAt(input, path) === undefined;
    return {
      field,
      problem: missing
        ? 'is required'
        : issue.message.startsWith('must')
          ? issue.message
          : `must be a ${issue.expected}`,
    };
  }
  if (issue.code === 'invalid_value') {
    return { field, problem: `must be one of ${issue.values.map(String).join(', ')}` };
  }
  if (issue.code === 'invalid_union') {
    const options = 'options' in issue ? issue.options : undefined;
    const problem =
      options === undefined ? 'does not match any allowed shape' : `must be one of ${options.map(String).join(', ')}`;
    return { field, problem };
  }
  return { field, problem: issue.message };
}

function valueAt(input: unknown, path: readonly string[]): unknown {
  let current = input;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Validates a checkout-family setup, including the amount rules across fields. */
export function validateCheckoutSetup(operation: string, request: SubscriptionCheckoutSetupRequest): void {
  validateRequest(operation, subscriptionCheckoutSetupRequestSchema, request);
  const problem = checkMandateAmounts(
    request.amount,
    request.paymentFlow.subscriptionDetails,
    'paymentFlow.subscriptionDetails',
  );
  if (problem !== undefined) throw new PhonePeValidationError({ operation, ...problem });
}

/** Validates an API-family setup, including the amount rules across fields. */
export function validateApiSetup(operation: string, request: SubscriptionApiSetupRequest): void {
  validateRequest(operation, subscriptionApiSetupRequestSchema, request);
  const problem = checkMandateAmounts(request.amount, request.paymentFlow, 'paymentFlow');
  if (problem !== undefined) throw new PhonePeValidationError({ operation, ...problem });
}
