import { PhonePeValidationError } from './errors.js';

// Every PhonePe endpoint the client calls, in one table (docs/phonepe-protocol.md#oauth, #checkout-pay, #refund, #autopay).
// Ids are validated to [A-Za-z0-9_-] before they get here; encoding is belt and braces.

const seg = encodeURIComponent;

/** OAuth, checkout and refund paths. */
export const PHONEPE_PATHS = {
  token: '/v1/oauth/token',
  pay: '/checkout/v2/pay',
  sdkOrder: '/checkout/v2/sdk/order',
  orderStatus: (merchantOrderId: string) => `/checkout/v2/order/${seg(merchantOrderId)}/status`,
  transactionStatus: (transactionId: string) => `/checkout/v2/transaction/${seg(transactionId)}/status`,
  refund: '/payments/v2/refund',
  refundStatus: (merchantRefundId: string) => `/payments/v2/refund/${seg(merchantRefundId)}/status`,
} as const;

/**
 * The two autopay families (docs/phonepe-protocol.md#autopay): `checkout` = hosted-page autopay under
 * `/checkout/v2/…`, `api` = merchant-UI autopay under `/subscriptions/v2/…`.
 */
export const SUBSCRIPTION_FAMILIES = ['checkout', 'api'] as const;
/** One of {@link SUBSCRIPTION_FAMILIES}. */
export type SubscriptionFamily = (typeof SUBSCRIPTION_FAMILIES)[number];

interface FamilyPaths {
  setup: string;
  orderStatus: (merchantOrderId: string) => string;
  subscriptionStatus: (merchantSubscriptionId: string) => string;
  notify: string;
  redeem: string;
  cancel: (merchantSubscriptionId: string) => string;
  /** Query the family's status GETs send (the API family asks for all attempts, as PhonePe's SDKs do). */
  statusQuery: Record<string, string> | undefined;
}

/** Per-family endpoints (docs/phonepe-protocol.md#autopay, endpoint table). */
export const SUBSCRIPTION_PATHS: Readonly<Record<SubscriptionFamily, FamilyPaths>> = {
  checkout: {
    setup: PHONEPE_PATHS.pay,
    orderStatus: PHONEPE_PATHS.orderStatus,
    subscriptionStatus: (id) => `/checkout/v2/subscriptions/${seg(id)}/status`,
    notify: '/checkout/v2/subscriptions/notify',
    redeem: '/checkout/v2/subscriptions/redeem',
    cancel: (id) => `/checkout/v2/subscriptions/${seg(id)}/cancel`,
    statusQuery: undefined,
  },
  api: {
    setup: '/subscriptions/v2/setup',
    orderStatus: (id) => `/subscriptions/v2/order/${seg(id)}/status`,
    subscriptionStatus: (id) => `/subscriptions/v2/${seg(id)}/status`,
    notify: '/subscriptions/v2/notify',
    redeem: '/subscriptions/v2/redeem',
    cancel: (id) => `/subscriptions/v2/${seg(id)}/cancel`,
    statusQuery: { details: 'true' },
  },
};

/** The family a call uses: `'checkout'` unless told otherwise; anything unknown is refused before sending. */
export function resolveFamily(operation: string, family: unknown): SubscriptionFamily {
  const value = family ?? 'checkout';
  if ((SUBSCRIPTION_FAMILIES as readonly unknown[]).includes(value)) return value as SubscriptionFamily;
  throw new PhonePeValidationError({
    operation,
    field: 'options.family',
    problem: `must be one of ${SUBSCRIPTION_FAMILIES.join(', ')}`,
  });
}
