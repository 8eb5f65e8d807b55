import { brandError, hasErrorBrand } from '../common/error-brand.js';
import { razorpaySignatureMatches } from './razorpay-signature.js';

/**
 * The Razorpay webhook events the library acts on (docs/razorpay.md#webhooks). Others still verify and
 * parse: `event` is then just a string.
 *
 * @example
 * if (RAZORPAY_WEBHOOK_EVENTS.includes(event.event as RazorpayWebhookEventName)) route(event);
 */
export const RAZORPAY_WEBHOOK_EVENTS = [
  'payment.authorized',
  'payment.captured',
  'payment.failed',
  'order.paid',
  'refund.created',
  'refund.processed',
  'refund.failed',
  'token.confirmed',
  'token.rejected',
  'token.paused',
  'token.cancelled',
] as const;

/** One of {@link RAZORPAY_WEBHOOK_EVENTS}. */
export type RazorpayWebhookEventName = (typeof RAZORPAY_WEBHOOK_EVENTS)[number];

/**
 * A verified Razorpay webhook: the event name, the ids of the entities it carries, and the parsed
 * payload and raw body kept for audit.
 *
 * @example
 * const event: RazorpayWebhookEvent = await verifyRazorpayWebhook({ body, signature }, webhookSecret);
 */
export interface RazorpayWebhookEvent {
  /** `payment.captured`, `refund.processed`, `token.confirmed`, … */
  event: string;
  /** `X-Razorpay-Event-Id` when given: the same for every delivery of one event (dedupe key). */
  eventId: string | undefined;
  /** `account_id` of the body. */
  accountId: string | undefined;
  /** `created_at` of the body, Unix seconds. */
  createdAt: number | undefined;
  /** `contains`: which entities the payload holds (`payment`, `order`, `refund`, `token`). */
  contains: string[];
  /** `payload.payment.entity.id` */
  paymentId: string | undefined;
  /** `payload.order.entity.id`, else the payment's `order_id`. */
  orderId: string | undefined;
  /** `payload.refund.entity.id` */
  refundId: string | undefined;
  /** `payload.token.entity.id`, else the payment's `token_id`. */
  tokenId: string | undefined;
  /** The parsed `payload` object, every field kept. */
  payload: Record<string, unknown>;
  /** The raw body as received (text), for audit. */
  raw: string;
}

/** Why a webhook was refused: no signature, a signature that does not match, or a body that is not an event. */
export type RazorpayWebhookRejection = 'missing-signature' | 'bad-signature' | 'malformed-body';

const FAMILY = 'RazorpayWebhookVerificationError';

/**
 * A webhook failed verification: answer it with a 4xx and do nothing else. `reason` says why.
 *
 * @example
 * catch (error) { if (isRazorpayWebhookVerificationError(error)) return new Response(null, { status: 400 }); }
 */
export class RazorpayWebhookVerificationError extends Error {
  override readonly name = 'RazorpayWebhookVerificationError' as const;
  readonly code = 'RAZORPAY_WEBHOOK_REJECTED' as const;
  /** Why it was refused. */
  readonly reason: RazorpayWebhookRejection;

  constructor(reason: RazorpayWebhookRejection, message: string) {
    super(message);
    this.reason = reason;
    brandError(this, FAMILY);
  }
}

/** True when `error` is a {@link RazorpayWebhookVerificationError} (from either build of the package). */
export function isRazorpayWebhookVerificationError(error: unknown): error is RazorpayWebhookVerificationError {
  return hasErrorBrand(error, FAMILY);
}

/**
 * Verifies a Razorpay webhook and reads it. `body` must be the raw request body exactly as received
 * (text or bytes): Razorpay signs those bytes, so a body parsed and serialised again does not verify.
 * `signature` is the `X-Razorpay-Signature` header; `webhookSecret` the secret set on the dashboard's
 * webhook (not the API key secret). The check is an HMAC-SHA256 compared in constant time (web crypto).
 *
 * @example
 * const event = await verifyRazorpayWebhook(
 *   { body: await request.text(), signature: request.headers.get('x-razorpay-signature'), eventId: request.headers.get('x-razorpay-event-id') },
 *   webhookSecret,
 * );
 */
export async function verifyRazorpayWebhook(
  input: { body: string | Uint8Array; signature: string | null | undefined; eventId?: string | null | undefined },
  webhookSecret: string,
): Promise<RazorpayWebhookEvent> {
  if (typeof webhookSecret !== 'string' || webhookSecret === '')
    throw new TypeError('verifyRazorpayWebhook: webhookSecret must be a non-empty string.');
  const signature = input.signature?.trim() ?? '';
  if (signature === '')
    throw new RazorpayWebhookVerificationError(
      'missing-signature',
      'Razorpay webhook refused: the X-Razorpay-Signature header is missing.',
    );
  if (!(await razorpaySignatureMatches(input.body, signature, webhookSecret)))
    throw new RazorpayWebhookVerificationError(
      'bad-signature',
      'Razorpay webhook refused: X-Razorpay-Signature does not match the body under the webhook secret (check the secret, and that the raw body is passed, not one parsed and serialised again).',
    );
  const raw = typeof input.body === 'string' ? input.body : new TextDecoder().decode(input.body);
  return readEvent(raw, input.eventId ?? undefined);
}

function readEvent(raw: string, eventId: string | undefined): RazorpayWebhookEvent {
  const malformed = (why: string) =>
    new RazorpayWebhookVerificationError('malformed-body', `Razorpay webhook refused: the signed body ${why}.`);
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw malformed('is not JSON');
  }
  if (!isRecord(body)) throw malformed('is not a JSON object');
  if (typeof body.event !== 'string' || body.event === '') throw malformed('has no "event" name');
  const payload = isRecord(body.payload) ? body.payload : {};
  const entity = (name: string): Record<string, unknown> | undefined => {
    const holder = payload[name];
    return isRecord(holder) && isRecord(holder.entity) ? holder.entity : undefined;
  };
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const payment = entity('payment');
  return {
    event: body.event,
    eventId: text(eventId),
    accountId: text(body.account_id),
    createdAt: typeof body.created_at === 'number' ? body.created_at : undefined,
    contains: Array.isArray(body.contains) ? body.contains.filter((c): c is string => typeof c === 'string') : [],
    paymentId: text(payment?.id),
    orderId: text(entity('order')?.id) ?? text(payment?.order_id),
    refundId: text(entity('refund')?.id),
    tokenId: text(entity('token')?.id) ?? text(payment?.token_id),
    payload,
    raw,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
