import { z } from 'zod';
import { orderStatusSchema, refundStatusSchema, subscriptionStatusSchema } from '../client/responses.js';

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
