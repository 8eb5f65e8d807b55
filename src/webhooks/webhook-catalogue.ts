/**
 * Every webhook event PhonePe documents (docs/phonepe-protocol.md#webhook-events): the dotted `event` name, the legacy
 * UPPER_SNAKE `type` some bodies carry instead, and which payload shape it has. Checkout, custom
 * checkout (`pg.*`), autopay setup, notification and redemption events carry an order object; refund
 * events a refund object; subscription state changes a subscription object.
 */
export const WEBHOOK_CATALOGUE = {
  'checkout.order.completed': { type: 'CHECKOUT_ORDER_COMPLETED', kind: 'order' },
  'checkout.order.failed': { type: 'CHECKOUT_ORDER_FAILED', kind: 'order' },
  'checkout.transaction.attempt.failed': { type: 'CHECKOUT_TRANSACTION_ATTEMPT_FAILED', kind: 'order' },
  'pg.order.completed': { type: 'PG_ORDER_COMPLETED', kind: 'order' },
  'pg.order.failed': { type: 'PG_ORDER_FAILED', kind: 'order' },
  'pg.transaction.attempt.failed': { type: 'PG_TRANSACTION_ATTEMPT_FAILED', kind: 'order' },
  'pg.transaction.failed': { type: 'PG_TRANSACTION_FAILED', kind: 'order' },
  'subscription.setup.order.completed': { type: 'SUBSCRIPTION_SETUP_ORDER_COMPLETED', kind: 'order' },
  'subscription.setup.order.failed': { type: 'SUBSCRIPTION_SETUP_ORDER_FAILED', kind: 'order' },
  'subscription.notification.completed': { type: 'SUBSCRIPTION_NOTIFICATION_COMPLETED', kind: 'order' },
  'subscription.notification.failed': { type: 'SUBSCRIPTION_NOTIFICATION_FAILED', kind: 'order' },
  'subscription.redemption.order.completed': { type: 'SUBSCRIPTION_REDEMPTION_ORDER_COMPLETED', kind: 'order' },
  'subscription.redemption.order.failed': { type: 'SUBSCRIPTION_REDEMPTION_ORDER_FAILED', kind: 'order' },
  'subscription.redemption.transaction.completed': {
    type: 'SUBSCRIPTION_REDEMPTION_TRANSACTION_COMPLETED',
    kind: 'order',
  },
  'subscription.redemption.transaction.failed': { type: 'SUBSCRIPTION_REDEMPTION_TRANSACTION_FAILED', kind: 'order' },
  'pg.refund.accepted': { type: 'PG_REFUND_ACCEPTED', kind: 'refund' },
  'pg.refund.completed': { type: 'PG_REFUND_COMPLETED', kind: 'refund' },
  'pg.refund.failed': { type: 'PG_REFUND_FAILED', kind: 'refund' },
  'subscription.paused': { type: 'SUBSCRIPTION_PAUSED', kind: 'subscription' },
  'subscription.unpaused': { type: 'SUBSCRIPTION_UNPAUSED', kind: 'subscription' },
  'subscription.revoked': { type: 'SUBSCRIPTION_REVOKED', kind: 'subscription' },
  'subscription.cancelled': { type: 'SUBSCRIPTION_CANCELLED', kind: 'subscription' },
} as const;

type Catalogue = typeof WEBHOOK_CATALOGUE;
/** A documented webhook `event` name. */
export type KnownWebhookEventName = keyof Catalogue;
/** Documented events whose payload is an order object. */
export type OrderWebhookEventName = {
  [K in KnownWebhookEventName]: Catalogue[K]['kind'] extends 'order' ? K : never;
}[KnownWebhookEventName];
/** Documented events whose payload is a refund object. */
export type RefundWebhookEventName = {
  [K in KnownWebhookEventName]: Catalogue[K]['kind'] extends 'refund' ? K : never;
}[KnownWebhookEventName];
/** Documented events whose payload is a subscription object. */
export type SubscriptionWebhookEventName = {
  [K in KnownWebhookEventName]: Catalogue[K]['kind'] extends 'subscription' ? K : never;
}[KnownWebhookEventName];

const BY_LEGACY_TYPE: ReadonlyMap<string, KnownWebhookEventName> = new Map(
  (Object.keys(WEBHOOK_CATALOGUE) as KnownWebhookEventName[]).map((event) => [WEBHOOK_CATALOGUE[event].type, event]),
);

/** The documented event for a legacy `type` value (`CHECKOUT_ORDER_COMPLETED` → `checkout.order.completed`). */
export function eventForLegacyType(type: string): KnownWebhookEventName | undefined {
  return BY_LEGACY_TYPE.get(type);
}

/** Whether `event` is one of the documented event names. */
export function isKnownWebhookEventName(event: string): event is KnownWebhookEventName {
  return Object.hasOwn(WEBHOOK_CATALOGUE, event);
}
