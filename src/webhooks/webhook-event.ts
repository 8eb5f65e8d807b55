import type { OrderWebhookPayload, RefundWebhookPayload, SubscriptionWebhookPayload } from './webhook-payloads.js';
import type {
  OrderWebhookEventName,
  RefundWebhookEventName,
  SubscriptionWebhookEventName,
} from './webhook-catalogue.js';

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
