import type { z } from 'zod';
import { MAX_JSON_DEPTH, jsonNestsDeeperThan } from '../common/json-nesting.js';
import { unchangedBySchema } from '../common/unchanged-by-schema.js';
import { describeUnstorable, findUnstorableValue, textMayHoldUnstorable } from '../common/unstorable-text.js';
import {
  orderWebhookPayloadSchema,
  refundWebhookPayloadSchema,
  ROUTING_FIELD,
  subscriptionWebhookPayloadSchema,
} from './webhook-payloads.js';
import { WEBHOOK_CATALOGUE, eventForLegacyType, isKnownWebhookEventName } from './webhook-catalogue.js';
import type { WebhookEvent } from './webhook-event.js';
import { WebhookVerificationError } from './webhook-verification-error.js';

const PAYLOAD_SCHEMAS: Record<'order' | 'refund' | 'subscription', z.ZodType> = {
  order: orderWebhookPayloadSchema,
  refund: refundWebhookPayloadSchema,
  subscription: subscriptionWebhookPayloadSchema,
};

/**
 * Parses an already-authenticated webhook body (`{event, type, payload}`, docs/phonepe-protocol.md#webhook-envelope) into a
 * typed {@link WebhookEvent}. Bodies with only the legacy `type` are mapped to the documented `event`;
 * unknown events come back as `kind: 'unknown'`. Unknown payload fields are kept. A body nested more
 * than `MAX_JSON_DEPTH` levels (checked on the text, before parsing) or holding a string no database
 * can store (a NUL character, a lone surrogate) is refused, whatever the event: such a body is never
 * PhonePe's, and it would fail (or overflow the stack) wherever it is stored.
 *
 * @example
 * parseWebhookEvent('{"event":"pg.refund.completed","payload":{"merchantRefundId":"rf_1","amount":100,"state":"COMPLETED"}}');
 */
export function parseWebhookEvent(text: string): WebhookEvent {
  if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new WebhookVerificationError(
      'too_deeply_nested',
      `PhonePe webhook rejected: the body nests arrays or objects more than ${MAX_JSON_DEPTH} levels deep.`,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw malformed('the body is not JSON', error);
  }
  if (!isObject(body)) throw malformed('the body is not a JSON object');
  // The walk is skipped when the text itself shows no NUL or surrogate could be in any string; the
  // nesting was bounded above.
  const unstorable = textMayHoldUnstorable(text) ? findUnstorableValue(body) : null;
  if (unstorable) {
    throw new WebhookVerificationError(
      'invalid_characters',
      `PhonePe webhook rejected: ${describeUnstorable(unstorable)}.`,
      { field: unstorable.path },
    );
  }
  const type = typeof body.type === 'string' && body.type.length > 0 ? body.type : null;
  const declared = typeof body.event === 'string' && body.event.length > 0 ? body.event : null;
  // The legacy UPPER_SNAKE name is read from `type`, and from `event` too (PhonePe's .NET SDK fixture sends it there).
  const event =
    declared === null
      ? type === null
        ? null
        : (eventForLegacyType(type) ?? type)
      : (eventForLegacyType(declared) ?? declared);
  if (event === null) throw malformed('it has neither an "event" nor a "type" field');
  if (!isObject(body.payload)) throw malformed(`event ${event} has no "payload" object`);
  if (!isKnownWebhookEventName(event)) return { event, type, kind: 'unknown', payload: body.payload };
  const kind = WEBHOOK_CATALOGUE[event].kind;
  const payload = readPayload(event, PAYLOAD_SCHEMAS[kind], body.payload);
  const routing = ROUTING_FIELD[kind];
  const id = payload[routing];
  if (typeof id !== 'string' || id.length === 0)
    throw malformed(`event ${event} has no payload.${routing} to route it by`);
  return { event, type, kind, payload } as WebhookEvent;
}

// A payload the schema would return unchanged is used as parsed (it is a fresh object from JSON.parse);
// any other goes through the schema, which drops the odd fields or refuses the payload.
function readPayload(event: string, schema: z.ZodType, payload: Record<string, unknown>): Record<string, unknown> {
  if (unchangedBySchema(schema)(payload)) return payload;
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data as Record<string, unknown>;
  const where = parsed.error.issues
    .map((issue) => `payload.${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
  throw malformed(`event ${event} has a payload that is not the documented shape (${where})`);
}

function malformed(what: string, cause?: unknown): WebhookVerificationError {
  return new WebhookVerificationError(
    'malformed_payload',
    `PhonePe webhook rejected: ${what}.`,
    cause === undefined ? undefined : { cause },
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
