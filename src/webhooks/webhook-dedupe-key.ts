import type { WebhookEvent } from './webhook-event.js';

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
