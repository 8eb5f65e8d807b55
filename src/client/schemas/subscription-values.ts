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
