import type { Clock } from '../../common/clock.js';
import type { Logger } from '../../common/logger.js';
import type { RazorpayWebhookEventName } from '../../razorpay/razorpay-webhook.js';
import { type WebhookDelivery, WebhookDispatcher } from '../core/webhook-dispatcher.js';
import { razorpayId, razorpayWebhookSignature } from './razorpay-signatures.js';

/**
 * The Razorpay webhook events the emulator sends: those the library acts on (`RAZORPAY_WEBHOOK_EVENTS` of
 * `phonepe-billing/razorpay`) but `token.paused`, for which Razorpay documents a token state and no event
 * (https://razorpay.com/docs/webhooks/payments/, …/upi/webhooks).
 */
export type RazorpayEmulatorWebhookEvent = Exclude<RazorpayWebhookEventName, 'token.paused'>;

/** Where Razorpay webhooks go and the secret they are signed with. */
export interface RazorpayWebhookTarget {
  url: string;
  secret: string;
}

/** What the Razorpay dispatcher needs. */
export interface RazorpayWebhookOptions {
  accountId: string;
  target: () => RazorpayWebhookTarget | undefined;
  retries: number;
  delaysMs: readonly number[];
  timeoutMs: number;
  fetch: () => typeof fetch;
  clock: Clock;
  logger: Logger;
}

/**
 * The shared dispatcher set up the way Razorpay sends webhooks (https://razorpay.com/docs/webhooks/):
 * body `{entity: "event", account_id, event, contains, payload, created_at}`, header
 * `X-Razorpay-Signature` (hex HMAC-SHA256 of the raw body with the webhook secret) and
 * `X-Razorpay-Event-Id`, the same on retries, duplicates and resends of one event.
 */
export function createRazorpayWebhooks(options: RazorpayWebhookOptions): WebhookDispatcher<RazorpayWebhookTarget> {
  const eventIds = new Map<string, string>();
  const eventIdOf = (delivery: WebhookDelivery): string => {
    const known = [delivery.id, delivery.duplicateOf, delivery.resendOf].find((k) => k && eventIds.has(k));
    const id = known ? eventIds.get(known)! : razorpayId('evt');
    eventIds.set(delivery.id, id);
    return id;
  };
  return new WebhookDispatcher<RazorpayWebhookTarget>({
    resolveTarget: () => options.target(),
    encode: (event, payload, deliveryId) => {
      eventIds.set(deliveryId, razorpayId('evt'));
      return JSON.stringify({
        entity: 'event',
        account_id: options.accountId,
        event,
        contains: Object.keys(payload),
        payload,
        created_at: Math.floor(options.clock.now() / 1000),
      });
    },
    headers: (target, delivery) => ({
      'content-type': 'application/json',
      'x-razorpay-signature': razorpayWebhookSignature(delivery.body, target.secret),
      'x-razorpay-event-id': eventIdOf(delivery),
    }),
    retries: options.retries,
    delaysMs: options.delaysMs,
    timeoutMs: options.timeoutMs,
    fetch: options.fetch,
    clock: options.clock,
    logger: options.logger,
  });
}

/** `{ payment: { entity } }`-style payload: each entity wrapped the way Razorpay's samples show. */
export function eventPayload(entities: Record<string, Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entities).map(([name, entity]) => [name, { entity }]));
}
