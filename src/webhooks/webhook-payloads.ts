import { z } from 'zod';
import { orderStatusSchema } from '../client/schemas/order-status.js';
import { refundStatusSchema } from '../client/schemas/refund-status.js';
import { subscriptionStatusSchema } from '../client/schemas/subscription-status.js';

/**
 * A webhook payload schema built from the matching status schema, every field optional and dropped
 * (not refused) when it is not the documented shape. A webhook is only a hint — the billing layer reads
 * the authoritative state from PhonePe's status API — and PhonePe's own SDK fixtures send payloads with
 * nothing but an order id and one attempt's payment mode (docs/phonepe-protocol.md#webhook-envelope). A
 * payload refused for a missing field would be answered 400 and could be lost; one that keeps what it
 * can is routed by its ids and confirmed.
 */
function lenient<T extends z.ZodRawShape>(schema: z.ZodObject<T>) {
  const shape = Object.fromEntries(Object.entries(schema.shape).map(([key, field]) => [key, (field as z.ZodType).optional().catch(undefined)]));
  return z.looseObject(shape as unknown as { [K in keyof T]: z.ZodCatch<z.ZodOptional<T[K]>> });
}

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
