import { z } from 'zod';

/**
 * Order states PhonePe documents (docs/phonepe-protocol.md#order-status, #notify). Only `COMPLETED` and `FAILED` are
 * terminal; treat any other value, including ones not listed, as still in progress.
 */
export const ORDER_STATES = [
  'PENDING',
  'COMPLETED',
  'FAILED',
  'CREATED',
  'NOTIFICATION_IN_PROGRESS',
  'NOTIFIED',
  'EXPIRED',
] as const;
/** One of {@link ORDER_STATES}. */
export type KnownOrderState = (typeof ORDER_STATES)[number];
/** An order state: a known one, or any string PhonePe adds later (kept as-is). */
export type OrderState = KnownOrderState | (string & {});

/** States of one payment attempt (`paymentDetails[i].state`, docs/phonepe-protocol.md#order-status). */
export const PAYMENT_ATTEMPT_STATES = ['PENDING', 'COMPLETED', 'FAILED'] as const;
/** A payment-attempt state, known or new. */
export type PaymentAttemptState = (typeof PAYMENT_ATTEMPT_STATES)[number] | (string & {});

/** Refund states: PENDING → CONFIRMED → COMPLETED | FAILED (docs/phonepe-protocol.md#refund-states). */
export const REFUND_STATES = ['PENDING', 'CONFIRMED', 'COMPLETED', 'FAILED'] as const;
/** A refund state, known or new. */
export type RefundState = (typeof REFUND_STATES)[number] | (string & {});

/** Subscription (mandate) states (docs/phonepe-protocol.md#subscription-states). */
export const SUBSCRIPTION_STATES = [
  'ACTIVATION_IN_PROGRESS',
  'ACTIVE',
  'EXPIRED',
  'FAILED',
  'CANCEL_IN_PROGRESS',
  'CANCELLED',
  'REVOKE_IN_PROGRESS',
  'REVOKED',
  'PAUSE_IN_PROGRESS',
  'PAUSED',
  'UNPAUSE_IN_PROGRESS',
] as const;
/** A subscription state, known or new. */
export type SubscriptionState = (typeof SUBSCRIPTION_STATES)[number] | (string & {});

/** `paymentDetails[i].paymentMode` values (docs/phonepe-protocol.md#order-status). */
export const PAYMENT_MODES = [
  'UPI_INTENT',
  'UPI_COLLECT',
  'UPI_QR',
  'CARD',
  'TOKEN',
  'NET_BANKING',
  'PPE_INTENT',
  'UPI_AUTO_PAY',
] as const;
/** A payment mode, known or new. */
export type PaymentMode = (typeof PAYMENT_MODES)[number] | (string & {});

/**
 * A non-empty string typed as a known union plus `string`: unknown values are kept, yet editors
 * still suggest the known ones. Used for every state and enum PhonePe sends.
 *
 * @example
 * const stateSchema = knownString(ORDER_STATES); // z.ZodType<OrderState>
 */
export function knownString<const T extends readonly string[]>(_known: T): z.ZodType<T[number] | (string & {})> {
  return z.string().min(1) as unknown as z.ZodType<T[number] | (string & {})>;
}

// Wire values of UPI autopay subscriptions (docs/phonepe-protocol.md#autopay). Requests must use one of these;
// responses are read leniently (a value PhonePe adds later is kept as a string).

/** `subscriptionDetails.subscriptionType` (checkout family, docs/phonepe-protocol.md#autopay-checkout-setup). */
export const SUBSCRIPTION_TYPES = ['RECURRING'] as const;
/** One of {@link SUBSCRIPTION_TYPES}. */
export type SubscriptionType = (typeof SUBSCRIPTION_TYPES)[number];

/** `TRANSACTION`: the first debit authorises the mandate; `PENNY_DROP`: a ₹2 check that is reversed (docs/phonepe-protocol.md#autopay-api-setup). */
export const AUTH_WORKFLOW_TYPES = ['TRANSACTION', 'PENNY_DROP'] as const;
/** One of {@link AUTH_WORKFLOW_TYPES}. */
export type AuthWorkflowType = (typeof AUTH_WORKFLOW_TYPES)[number];

/** `FIXED` debits are the same each time; `VARIABLE` debits may vary up to `maxAmount` (docs/phonepe-protocol.md#autopay-api-setup). */
export const AMOUNT_TYPES = ['FIXED', 'VARIABLE'] as const;
/** One of {@link AMOUNT_TYPES}. */
export type AmountType = (typeof AMOUNT_TYPES)[number];

/** Debit frequencies as the SDK enums spell them (the doc tables misspell two; docs/phonepe-protocol.md#autopay-api-setup). */
export const SUBSCRIPTION_FREQUENCIES = [
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
/** One of {@link SUBSCRIPTION_FREQUENCIES}. */
export type SubscriptionFrequency = (typeof SUBSCRIPTION_FREQUENCIES)[number];

/** `subscriptionDetails.productType` (docs/phonepe-protocol.md#autopay-checkout-setup; eNACH adds `ENACH_MANDATE`). */
export const SUBSCRIPTION_PRODUCT_TYPES = ['UPI_MANDATE', 'ENACH_MANDATE'] as const;
/** One of {@link SUBSCRIPTION_PRODUCT_TYPES}. */
export type SubscriptionProductType = (typeof SUBSCRIPTION_PRODUCT_TYPES)[number];

/** `STANDARD`: PhonePe retries failed debits; `CUSTOM`: the merchant does (docs/phonepe-protocol.md#notify). */
export const REDEMPTION_RETRY_STRATEGIES = ['STANDARD', 'CUSTOM'] as const;
/** One of {@link REDEMPTION_RETRY_STRATEGIES}. */
export type RedemptionRetryStrategy = (typeof REDEMPTION_RETRY_STRATEGIES)[number];

/** `paymentFlow.type` values of orders (checkout, both autopay families; docs/phonepe-protocol.md#checkout-pay, #autopay). */
export const PAYMENT_FLOW_TYPES = [
  'PG_CHECKOUT',
  'SUBSCRIPTION_CHECKOUT_SETUP',
  'SUBSCRIPTION_SETUP',
  'SUBSCRIPTION_CHECKOUT_REDEMPTION',
  'SUBSCRIPTION_REDEMPTION',
] as const;
/** One of {@link PAYMENT_FLOW_TYPES}. */
export type PaymentFlowType = (typeof PAYMENT_FLOW_TYPES)[number];

/** Money in paise: a safe, non-negative integer (docs/phonepe-protocol.md#conventions). Never a float. */
export const paiseSchema = z.number().int().nonnegative();

/** An epoch-milliseconds timestamp (docs/phonepe-protocol.md#conventions). */
export const epochMsSchema = z.number().int().nonnegative();

/**
 * An epoch-ms timestamp that may arrive as a digit string: PhonePe's redemption samples show
 * `notifiedAt` as a string once (docs/phonepe-protocol.md#webhook-events), so echoed subscription times are read
 * leniently and always come out as numbers.
 */
export const lenientEpochMsSchema = z.union([
  epochMsSchema,
  z
    .string()
    .regex(/^\d{1,16}$/)
    .transform(Number),
]);
