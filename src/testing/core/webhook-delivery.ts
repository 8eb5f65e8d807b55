/** One webhook attempt: when (real time, epoch ms), and the merchant's HTTP status or the network error. */
export interface WebhookAttempt {
  at: number;
  status: number | null;
  error?: string;
}

export const WEBHOOK_DELIVERY_STATUSES = [
  'queued',
  'held',
  'delivering',
  'retrying',
  'delivered',
  'failed',
  'not-configured',
] as const;
/**
 * `queued`/`delivering`/`retrying` are in flight; `held` waits for `webhooks.release()`;
 * `delivered` got a 2xx; `failed` used up its retries; `not-configured` had no webhook URL to go to.
 */
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/**
 * A webhook the emulator sent (or would have sent), as `emu.webhooks.deliveries` lists it.
 *
 * @example
 * const d = emu.webhooks.deliveries.find((d) => d.event === 'checkout.order.completed');
 * d?.attempts.map((a) => a.status); // [500, 200]
 */
export interface WebhookDelivery {
  id: string;
  merchantId: string;
  /** Dotted event name, e.g. `checkout.order.completed` (docs/phonepe-protocol.md#webhook-events). */
  event: string;
  /** Legacy UPPER_SNAKE type, e.g. `CHECKOUT_ORDER_COMPLETED`. */
  type: string;
  url: string | null;
  /** The exact JSON text POSTed. */
  body: string;
  payload: Record<string, unknown>;
  /** Virtual-clock time the event happened. */
  createdAt: number;
  status: WebhookDeliveryStatus;
  attempts: WebhookAttempt[];
  /** Set on the extra copy made by `webhooks.duplicateNext()`. */
  duplicateOf?: string;
  /** Set on a copy made by `webhooks.resend(id)`. */
  resendOf?: string;
}

/** `checkout.order.completed` → `CHECKOUT_ORDER_COMPLETED` (holds for every event in docs/phonepe-protocol.md#webhook-events). */
export function legacyWebhookType(event: string): string {
  return event.toUpperCase().replaceAll('.', '_');
}
