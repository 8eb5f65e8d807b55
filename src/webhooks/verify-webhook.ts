import type { z } from 'zod';
import { brandError, hasErrorBrand } from '../common/error-brand.js';
import { jsonNestsDeeperThan, MAX_JSON_DEPTH } from '../common/json-nesting.js';
import { unchangedBySchema } from '../common/unchanged-by-schema.js';
import { describeUnstorable, findUnstorableValue, textMayHoldUnstorable } from '../common/unstorable-text.js';
import {
  eventForLegacyType,
  isKnownWebhookEventName,
  orderWebhookPayloadSchema,
  refundWebhookPayloadSchema,
  ROUTING_FIELD,
  subscriptionWebhookPayloadSchema,
  WEBHOOK_CATALOGUE,
  type WebhookEvent,
} from './webhook-event.js';

/**
 * Why a webhook was rejected. `too_deeply_nested`: the body nests arrays or objects more than
 * `MAX_JSON_DEPTH` levels; `invalid_characters`: a string in it holds a NUL character or a lone
 * UTF-16 surrogate (`field` names it). Both are checked only after the Authorization matched.
 */
export const WEBHOOK_VERIFICATION_REASONS = [
  'missing_authorization',
  'authorization_mismatch',
  'body_not_raw',
  'malformed_payload',
  'too_deeply_nested',
  'invalid_characters',
] as const;
/** Why a webhook was refused: one of `WEBHOOK_VERIFICATION_REASONS` (safe to log). */
export type WebhookVerificationReason = (typeof WEBHOOK_VERIFICATION_REASONS)[number];

/**
 * A webhook failed verification. `reason` says which check; the message says how to fix it and never
 * contains the received or expected Authorization value.
 *
 * @example
 * try { await verifyWebhook(input, creds); }
 * catch (e) { if (isWebhookVerificationError(e) && e.reason === 'authorization_mismatch') return new Response(null, { status: 401 }); }
 */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError' as const;
  readonly code = 'WEBHOOK_VERIFICATION_FAILED' as const;
  /** The offending field of the body (`payload.note`), for `invalid_characters`; otherwise null. */
  readonly field: string | null;
  /**
   * For `authorization_mismatch`, what was probably misconfigured, read from the header's shape only:
   * `credentials_differ` (a SHA-256 of other credentials) or `not_sha256` (another dashboard auth type,
   * or a proxy rewrote the header). Safe to log; the header itself never is.
   */
  readonly hint: 'credentials_differ' | 'not_sha256' | null;
  constructor(
    readonly reason: WebhookVerificationReason,
    message: string,
    options?: { cause?: unknown; field?: string; hint?: 'credentials_differ' | 'not_sha256' },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.field = options?.field ?? null;
    this.hint = options?.hint ?? null;
    brandError(this, 'WebhookVerificationError');
  }
}

/** True when `error` is a {@link WebhookVerificationError}, from whichever copy of the library threw it. */
export function isWebhookVerificationError(error: unknown): error is WebhookVerificationError {
  return hasErrorBrand(error, 'WebhookVerificationError');
}

/** The dashboard credentials PhonePe's webhooks are authenticated with (docs/phonepe-protocol.md#webhook-auth). */
export interface WebhookCredentials {
  username: string;
  password: string;
}

const encoder = new TextEncoder();

/**
 * The `Authorization` value PhonePe sends with every webhook: lowercase hex SHA-256 of
 * `username:password` — no scheme prefix, no body signature (docs/phonepe-protocol.md#webhook-auth). Web Crypto only.
 *
 * @example
 * await computeWebhookAuthorization({ username: 'username', password: 'password' });
 * // 'bc842c31a9e54efe320d30d948be61291f3ceee4766e36ab25fa65243cd76e0e'
 */
export async function computeWebhookAuthorization(credentials: WebhookCredentials): Promise<string> {
  const digest = await crypto.subtle.digest(
    'SHA-256',
    encoder.encode(`${credentials.username}:${credentials.password}`),
  );
  let hex = '';
  for (const byte of new Uint8Array(digest)) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/**
 * Compares two strings in time that depends only on the length of `expected`, so a forged header
 * learns nothing from how long the comparison took. Compares UTF-16 code units (equal strings have
 * equal units), so nothing is encoded per call.
 */
export function constantTimeEqual(received: string, expected: string): boolean {
  let diff = received.length ^ expected.length;
  // Lengths that differ already make diff non-zero (past the end of `received` charCodeAt is NaN, read as 0).
  for (let i = 0; i < expected.length; i++) diff |= received.charCodeAt(i) ^ expected.charCodeAt(i);
  return diff === 0;
}

/**
 * The Authorization header value a test should send to a webhook route configured with these
 * credentials — what PhonePe itself would send.
 *
 * @example
 * await fetch('http://localhost:3000/v1/payments/webhook', {
 *   method: 'POST', body, headers: { authorization: await createTestAuthorization('user', 'pass'), 'content-type': 'application/json' },
 * });
 */
export function createTestAuthorization(username: string, password: string): Promise<string> {
  return computeWebhookAuthorization({ username, password });
}

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

/** What {@link verifyWebhook} needs from the incoming request. */
export interface WebhookRequestInput {
  /** The `Authorization` header as received (Node may give an array for repeated headers). */
  authorization: string | readonly string[] | null | undefined;
  /** The raw request body: the exact string or bytes received — not a parsed object. */
  body: string | Uint8Array | ArrayBuffer;
}

/** A verifier bound to one set of credentials (the expected header is computed once). */
export interface WebhookVerifier {
  verify(input: WebhookRequestInput): Promise<WebhookEvent>;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Creates a verifier for one pair of dashboard credentials. The expected Authorization value is
 * computed once, on first use.
 *
 * @example
 * const verifier = createWebhookVerifier({ username: env.PHONEPE_WEBHOOK_USERNAME, password: env.PHONEPE_WEBHOOK_PASSWORD });
 * const event = await verifier.verify({ authorization: req.headers.get('authorization'), body: await req.text() });
 */
export function createWebhookVerifier(credentials: WebhookCredentials): WebhookVerifier {
  if (
    !credentials ||
    typeof credentials.username !== 'string' ||
    typeof credentials.password !== 'string' ||
    !credentials.username ||
    !credentials.password
  ) {
    throw new TypeError(
      'createWebhookVerifier needs { username, password }: the webhook credentials set in the PhonePe dashboard.',
    );
  }
  let expected: Promise<string> | undefined;
  let expectedValue: string | undefined;
  return {
    async verify(input) {
      const text = readRawBody(input.body);
      const received = readAuthorization(input.authorization);
      if (expectedValue === undefined) {
        expected ??= computeWebhookAuthorization(credentials);
        expectedValue = await expected;
      }
      if (!constantTimeEqual(received.toLowerCase(), expectedValue)) {
        throw new WebhookVerificationError('authorization_mismatch', mismatchMessage(received), {
          hint: mismatchHint(received),
        });
      }
      return parseWebhookEvent(text);
    },
  };
}

const verifiers = new Map<string, WebhookVerifier>();
const MAX_CACHED_VERIFIERS = 32;
// Keyed by the credentials object itself; the strings are compared too, in case it was mutated.
const byObject = new WeakMap<WebhookCredentials, { username: string; password: string; verifier: WebhookVerifier }>();

/**
 * Verifies a PhonePe webhook and returns the typed event, or throws {@link WebhookVerificationError}
 * with a `reason`: `missing_authorization`, `authorization_mismatch`, `body_not_raw` (a parsed object
 * was passed: pass the raw string or bytes) or `malformed_payload`. The Authorization header is compared
 * in constant time with the lowercase hex SHA-256 of `username:password` (docs/phonepe-protocol.md#webhook-auth).
 * It does not sign the body, so treat the event as a hint and confirm it with the order-status API
 * (`SubscriptionManager` does).
 *
 * @example
 * const event = await verifyWebhook(
 *   { authorization: request.headers.get('authorization'), body: await request.text() },
 *   { username: 'merchant_hook', password: 'S3cretPass' },
 * );
 */
export function verifyWebhook(input: WebhookRequestInput, credentials: WebhookCredentials): Promise<WebhookEvent> {
  // The same credentials object on every call (the usual case) finds its verifier without building a key.
  const known = byObject.get(credentials);
  if (known !== undefined && known.username === credentials.username && known.password === credentials.password)
    return known.verifier.verify(input);
  const key = `${credentials?.username?.length}:${credentials?.username}:${credentials?.password}`;
  let verifier = verifiers.get(key);
  if (!verifier) {
    verifier = createWebhookVerifier(credentials);
    if (verifiers.size >= MAX_CACHED_VERIFIERS) verifiers.delete(verifiers.keys().next().value as string);
    verifiers.set(key, verifier);
  }
  byObject.set(credentials, { username: credentials.username, password: credentials.password, verifier });
  return verifier.verify(input);
}

function readRawBody(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array || body instanceof ArrayBuffer) {
    try {
      return decoder.decode(body);
    } catch (error) {
      throw new WebhookVerificationError(
        'malformed_payload',
        'PhonePe webhook rejected: the body is not valid UTF-8.',
        { cause: error },
      );
    }
  }
  throw new WebhookVerificationError(
    'body_not_raw',
    `PhonePe webhook rejected: the body was passed as ${body === null ? 'null' : typeof body}, not the raw request body. Pass the exact string or bytes received (e.g. await request.text(), express.raw({ type: '*/*' }), or a Fastify 'buffer' content-type parser).`,
  );
}

const SHA256_HEX = /^[0-9a-f]{64}$/i;

// What a mismatch probably means, from the header's shape only (never its value): PhonePe's "Basic
// (SHA)" webhooks send a bare 64-hex SHA-256; anything else is another auth type chosen in the
// dashboard (HMAC, whose header format no public source documents) or a proxy that rewrote the header
// (docs/phonepe-protocol.md#webhook-auth).
function mismatchHint(received: string): 'credentials_differ' | 'not_sha256' {
  return SHA256_HEX.test(received) ? 'credentials_differ' : 'not_sha256';
}

function mismatchMessage(received: string): string {
  if (mismatchHint(received) === 'credentials_differ') {
    return 'PhonePe webhook rejected: the Authorization header does not match SHA-256(username:password) of the configured webhook credentials; check PHONEPE_WEBHOOK_USERNAME / PHONEPE_WEBHOOK_PASSWORD against the PhonePe dashboard.';
  }
  return "PhonePe webhook rejected: the Authorization header is not a 64-hex SHA-256, so the webhook was probably set up with another auth type; choose 'Basic (SHA)' for this webhook in the PhonePe dashboard (or check that no proxy rewrites the Authorization header).";
}

function readAuthorization(header: WebhookRequestInput['authorization']): string {
  let value: unknown = header;
  if (Array.isArray(header)) {
    if (header.length > 1) {
      throw new WebhookVerificationError(
        'authorization_mismatch',
        'PhonePe webhook rejected: more than one Authorization header was sent.',
      );
    }
    value = header[0];
  }
  const trimmed = typeof value === 'string' ? value.trim() : '';
  if (!trimmed) {
    throw new WebhookVerificationError(
      'missing_authorization',
      'PhonePe webhook rejected: the Authorization header is missing; PhonePe always sends SHA-256(username:password) in it.',
    );
  }
  return trimmed;
}
