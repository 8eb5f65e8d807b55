import { z } from 'zod';
import { orderStatusSchema, refundStatusSchema, subscriptionStatusSchema } from '../client/responses.js';

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

// Fields an event is routed and deduplicated by: when present they must have their documented type
// (a `state` of 5 is not PhonePe's event), while any other field that does not fit is dropped.
const IDENTITY_FIELDS = new Set([
  'state',
  'merchantOrderId',
  'merchantRefundId',
  'merchantSubscriptionId',
  'orderId',
  'subscriptionId',
]);

/**
 * A webhook payload schema built from the matching status schema: every field optional, and a field
 * that is not the documented shape dropped rather than refused — except the ids and the state an event
 * is routed and deduplicated by. A webhook is only a hint — the billing layer reads the authoritative
 * state from PhonePe's status API — and PhonePe's own SDK fixtures send sparse payloads
 * (docs/phonepe-protocol.md#webhook-envelope); refusing one for a missing amount would lose the event.
 */
function lenient<T extends z.ZodRawShape>(schema: z.ZodObject<T>) {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([key, field]) => [
      key,
      IDENTITY_FIELDS.has(key) ? (field as z.ZodType).optional() : (field as z.ZodType).optional().catch(undefined),
    ]),
  );
  return z.looseObject(shape as unknown as { [K in keyof T]: z.ZodCatch<z.ZodOptional<T[K]>> });
}

/** The id each kind of event is routed by: an event without it cannot be about anything of ours. */
export const ROUTING_FIELD = {
  order: 'merchantOrderId',
  refund: 'merchantRefundId',
  subscription: 'merchantSubscriptionId',
} as const;

/** An order webhook payload (`checkout.order.*`, `pg.order.*`, `subscription.*.order.*`, notification events). */
export const orderWebhookPayloadSchema = lenient(orderStatusSchema);
/** @see orderWebhookPayloadSchema */
export type OrderWebhookPayload = z.infer<typeof orderWebhookPayloadSchema>;

/** A refund webhook payload (`pg.refund.*`): the refund-status object, any field possibly missing. */
export const refundWebhookPayloadSchema = lenient(refundStatusSchema);
/** @see refundWebhookPayloadSchema */
export type RefundWebhookPayload = z.infer<typeof refundWebhookPayloadSchema>;

/** A mandate webhook payload (`subscription.paused` and the like): the subscription-status object, any field possibly missing. */
export const subscriptionWebhookPayloadSchema = lenient(subscriptionStatusSchema);
/** @see subscriptionWebhookPayloadSchema */
export type SubscriptionWebhookPayload = z.infer<typeof subscriptionWebhookPayloadSchema>;

interface WebhookEventBase {
  /** The legacy UPPER_SNAKE `type` when the body carried one (it is "to be deprecated"), else `null`. */
  type: string | null;
}

/** An order event: checkout, custom checkout, autopay setup, pre-debit notification or redemption. */
export interface OrderWebhookEvent extends WebhookEventBase {
  event: OrderWebhookEventName;
  kind: 'order';
  payload: OrderWebhookPayload;
}

/** A refund event (`pg.refund.accepted | completed | failed`). */
export interface RefundWebhookEvent extends WebhookEventBase {
  event: RefundWebhookEventName;
  kind: 'refund';
  payload: RefundWebhookPayload;
}

/** A mandate state change (`subscription.paused | unpaused | revoked | cancelled`). */
export interface SubscriptionWebhookEvent extends WebhookEventBase {
  event: SubscriptionWebhookEventName;
  kind: 'subscription';
  payload: SubscriptionWebhookPayload;
}

/** An event this version does not know. Returned, never dropped, so the host can log or handle it. */
export interface UnknownWebhookEvent extends WebhookEventBase {
  event: string;
  kind: 'unknown';
  payload: unknown;
}

/**
 * A verified PhonePe webhook, discriminated by `kind` and, within a kind, by the documented `event`.
 * Payloads keep fields this library does not model.
 *
 * @example
 * const event = await verifyWebhook({ authorization, body }, credentials);
 * if (event.kind === 'order' && event.event === 'checkout.order.completed') console.log(event.payload.merchantOrderId);
 */
export type WebhookEvent = OrderWebhookEvent | RefundWebhookEvent | SubscriptionWebhookEvent | UnknownWebhookEvent;

/**
 * A stable identity for one webhook *fact*: event + subject id + state (+ the attempt's transaction id for
 * attempt-level events). PhonePe may deliver the same fact several times; two deliveries with the same key
 * are the same fact and must be processed once.
 *
 * @example
 * webhookDedupeKey(event); // 'checkout.order.completed:ord_1:COMPLETED'
 */
export function webhookDedupeKey(event: WebhookEvent): string {
  const payload = (event.payload ?? {}) as Record<string, unknown>;
  const subject = webhookSubjectId(event) ?? '-';
  const state = typeof payload.state === 'string' ? payload.state : '-';
  const details = Array.isArray(payload.paymentDetails) ? payload.paymentDetails : [];
  const attempt = event.event.includes('.transaction.')
    ? details
        .map((d) => (d as Record<string, unknown>)?.transactionId)
        .filter((id) => typeof id === 'string')
        .join(',') || '-'
    : null;
  // Each part is bounded so an odd (authenticated) payload cannot make an oversized database key.
  return [
    cap(event.event, 100),
    cap(subject, 100),
    cap(state, 40),
    ...(attempt === null ? [] : [cap(attempt, 200)]),
  ].join(':');
}

function cap(part: string, max: number): string {
  return part.length > max ? part.slice(0, max) : part;
}

/** The id the event is about: merchant order id, merchant refund id or merchant subscription id. */
export function webhookSubjectId(event: WebhookEvent): string | null {
  const payload = (event.payload ?? {}) as Record<string, unknown>;
  const candidates =
    event.kind === 'refund'
      ? [payload.merchantRefundId]
      : event.kind === 'subscription'
        ? [payload.merchantSubscriptionId, payload.subscriptionId]
        : [payload.merchantOrderId, payload.orderId, payload.merchantRefundId, payload.merchantSubscriptionId];
  const found = candidates.find((c) => typeof c === 'string' && c.length > 0);
  return (found as string | undefined) ?? null;
}
