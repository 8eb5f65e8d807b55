import { parseWebhookEvent } from './parse-webhook-event.js';
import { computeWebhookAuthorization, constantTimeEqual, type WebhookCredentials } from './webhook-authorization.js';
import type { WebhookEvent } from './webhook-event.js';
import { WebhookVerificationError } from './webhook-verification-error.js';

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
