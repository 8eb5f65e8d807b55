import { z } from 'zod';
import { BillingError } from '../billing/errors.js';
import { parseRupeeAmount } from '../billing/money.js';
import type { ReturnUrlAllowlist } from '../billing/return-url-allowlist.js';
import { jsonNestsDeeperThan, MAX_JSON_DEPTH } from '../common/json-nesting.js';
import { describeUnstorable, findUnstorableValue } from '../common/unstorable-text.js';
import { BillingHttpError } from './errors.js';

const decoder = new TextDecoder('utf-8', { fatal: true });
// Requests whose body was read to its end here (see `wasBodyReadToEnd`).
const readToEnd = new WeakSet<Request>();
// application/json or any application/*+json, with at most a charset parameter.
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;

/**
 * Reads the whole body, counting bytes as they stream in and stopping at `limitBytes` (a declared
 * Content-Length over the limit is refused before reading; a chunked body is counted, never trusted).
 */
export async function readBodyBytes(request: Request, limitBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limitBytes) throw payloadTooLargeError(limitBytes);
  if (!request.body) {
    readToEnd.add(request);
    return new Uint8Array(0);
  }
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch (error) {
      throw new BillingHttpError(
        'INVALID_BODY',
        'The request body could not be read to the end; send the request again.',
        { cause: error },
      );
    }
    if (chunk.done) {
      readToEnd.add(request);
      break;
    }
    total += chunk.value.byteLength;
    if (total > limitBytes) {
      await reader.cancel().catch(() => {});
      throw payloadTooLargeError(limitBytes);
    }
    chunks.push(chunk.value);
  }
  return concat(chunks, total);
}

/** True when {@link readBodyBytes} read `request`'s body to its end (false after a 413 or a read error). */
export function wasBodyReadToEnd(request: Request): boolean {
  return readToEnd.has(request);
}

/**
 * Reads a JSON object body. An empty body reads as `{}` (routes whose fields are all optional accept
 * no body at all); anything else must be `application/json` in UTF-8, nest at most `MAX_JSON_DEPTH`
 * levels (checked on the text, before parsing) and parse to an object whose strings a database can
 * hold (no NUL character, no lone surrogate; checked here so every route refuses them the same way).
 */
export async function readJsonObject(request: Request, limitBytes: number): Promise<Record<string, unknown>> {
  const bytes = await readBodyBytes(request, limitBytes);
  if (bytes.byteLength === 0) return {};
  checkContentType(request.headers.get('content-type'));
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch (error) {
    throw new BillingHttpError('INVALID_JSON', 'The request body is not valid UTF-8; send UTF-8 encoded JSON.', {
      cause: error,
    });
  }
  if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) throw jsonTooDeepError('The request body');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BillingHttpError(
      'INVALID_JSON',
      `The request body is not valid JSON (${(error as Error).message}); send a JSON object.`,
      { cause: error },
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BillingHttpError('INVALID_JSON', 'The request body must be a JSON object, e.g. {"plan_id": "pro"}.');
  }
  const unstorable = findUnstorableValue(value);
  if (unstorable) {
    throw new BillingHttpError(
      'INVALID_CHARACTERS',
      `${describeUnstorable(unstorable)}; remove it and send the request again.`,
      { details: { field: unstorable.path, problem: unstorable.problem } },
    );
  }
  return value as Record<string, unknown>;
}

/** The 400 for JSON nested deeper than `MAX_JSON_DEPTH` (`what`: "The request body"). */
export function jsonTooDeepError(what: string): BillingHttpError {
  return new BillingHttpError(
    'JSON_TOO_DEEP',
    `${what} nests arrays or objects more than ${MAX_JSON_DEPTH} levels deep; send flatter JSON.`,
    { details: { max_depth: MAX_JSON_DEPTH } },
  );
}

function checkContentType(header: string | null): void {
  const [type = '', ...params] = (header ?? '').split(';').map((part) => part.trim());
  const charset = params
    .find((p) => /^charset=/i.test(p))
    ?.slice(8)
    .replace(/"/g, '')
    .toLowerCase();
  if (JSON_TYPE.test(type) && (charset === undefined || charset === 'utf-8' || charset === 'utf8')) return;
  throw new BillingHttpError(
    'UNSUPPORTED_MEDIA_TYPE',
    `The request body must be sent as Content-Type: application/json (UTF-8), not ${header ? `"${header.slice(0, 100)}"` : 'without a Content-Type'}.`,
  );
}

/** The 413 error for a body over `limitBytes` (adapters use it when their framework stops the body first). */
export function payloadTooLargeError(limitBytes: number): BillingHttpError {
  return new BillingHttpError(
    'PAYLOAD_TOO_LARGE',
    `The request body is larger than the ${limitBytes}-byte limit; send a smaller body.`,
    { details: { limit_bytes: limitBytes } },
  );
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * Makes an answer safe for the connection it goes out on. When the handler answers before reading
 * the request body to its end — a 401, 403, 404 or 405 to a request with a body, a 413 — the rest of
 * the body is still on the socket. A server that leaves it there either reads it as the next request
 * or, like `@hono/node-server`, destroys the connection about 500 ms later, under whatever request
 * the keep-alive connection carries by then (behind a proxy: another user's). So an unread body that
 * fits in `limitBytes` is read and dropped here, keeping the connection usable; anything else (over
 * the limit, cut off, unreadable) gets `Connection: close` on the answer.
 *
 * @example
 * return settleRequestBody(request, await dispatch(request), deps.maxBodyBytes);
 */
export async function settleRequestBody(request: Request, response: Response, limitBytes: number): Promise<Response> {
  if (request.body === null || wasBodyReadToEnd(request)) return response;
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  const fits = !(declared > limitBytes);
  if (!request.bodyUsed && fits && (await drain(request.body, limitBytes))) return response;
  return withConnectionClose(response);
}

/** Reads and drops a body of at most `limitBytes`; false (and the stream cancelled) when it is bigger or fails. */
async function drain(body: ReadableStream<Uint8Array>, limitBytes: number): Promise<boolean> {
  const reader = body.getReader();
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return true;
      total += value.byteLength;
      if (total > limitBytes) {
        await reader.cancel().catch(() => {});
        return false;
      }
    }
  } catch {
    return false;
  }
}

function withConnectionClose(response: Response): Response {
  try {
    response.headers.set('connection', 'close');
    return response;
  } catch {
    // Immutable headers (Response.redirect, Response.error): copy the response instead.
    const headers = new Headers(response.headers);
    headers.set('connection', 'close');
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
}

// Plan ids as plans declare them (a-z, 0-9, _ and -), with room for upper case from stored plans.
const planId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/, 'must be 1–63 characters of letters, digits, _ and -');
const rupees = z.union([z.string().max(32), z.number()], { error: 'must be a rupee amount such as "2999.00"' });
const returnUrl = z.string().min(1).max(2048);
const reason = z.string().max(500).nullable();

/** `POST /payments/create`. */
export const createPaymentBody = z.strictObject({
  plan_id: planId,
  amount: rupees,
  currency: z.string().min(1).max(8).optional(),
  return_url: returnUrl,
  autopay: z.boolean().optional(),
  /** The gateway to pay through (`phonepe`, `razorpay`); the manager's default when left out. */
  gateway: z.string().min(1).max(32).optional(),
  /** The payer, for gateways that need one for autopay (Razorpay: email and contact). */
  customer: z
    .strictObject({
      name: z.string().min(1).max(50).optional(),
      email: z.string().min(3).max(64).optional(),
      contact: z.string().min(8).max(16).optional(),
    })
    .optional(),
});

/** `PUT /subscriptions/cancel`. */
export const cancelBody = z.strictObject({
  cancellation_reason: reason.optional(),
  at_period_end: z.boolean().optional(),
});

/** `POST /subscriptions/change-plan`. */
export const changePlanBody = z.strictObject({
  plan_id: planId,
  return_url: returnUrl.optional(),
  force: z.boolean().optional(),
});

/** `POST /subscriptions/resume`: no fields. */
export const resumeBody = z.strictObject({});

/** `POST /payments/{order_id}/refund`. */
export const refundBody = z.strictObject({
  amount: rupees.optional(),
  reason: reason.optional(),
});

const UNKNOWN = 'is not a known field';

/** Merchant order ids (docs/phonepe-protocol.md#conventions: ≤ 63 characters of A-Z a-z 0-9 _ -). */
export const ORDER_ID = /^[A-Za-z0-9_-]{1,63}$/;
// The manager's rule for idempotency keys: printable ASCII without spaces.
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * Validates a parsed JSON body; a failure is `INVALID_INPUT` (400) naming every bad or unknown
 * field (`details.fields`), the first one in the message.
 */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: [...issue.path, key].join('.'), message: UNKNOWN }))
      : [{ field: issue.path.join('.') || '(body)', message: issue.message.replace(/^Invalid input: /, '') }],
  );
  const first = fields[0] ?? { field: '(body)', message: 'is invalid' };
  const known = schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
  const headline =
    first.message === UNKNOWN
      ? `Unknown field "${first.field}"; known fields: ${known.join(', ') || '(none)'}`
      : `${first.field}: ${first.message}`;
  throw new BillingError('INVALID_INPUT', `${headline}.`, { details: { fields } });
}

/** Rupees from the wire → exact integer paise, or `INVALID_AMOUNT` (400). */
export function paiseFrom(amount: string | number, field = 'amount'): number {
  const result = parseRupeeAmount(amount);
  if (result.ok) return result.paise;
  throw new BillingError('INVALID_AMOUNT', `${result.message.replace(/^amount/, field)}.`, {
    details: { field, problem: result.problem },
  });
}

/** The `Idempotency-Key` header, if sent and well formed (`INVALID_INPUT` otherwise). */
export function idempotencyKeyOf(request: Request): string | undefined {
  const key = request.headers.get('idempotency-key');
  if (key === null) return undefined;
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new BillingError(
      'INVALID_INPUT',
      'The Idempotency-Key header must be 1–255 printable ASCII characters without spaces.',
      { details: { fields: [{ field: 'Idempotency-Key', message: 'invalid' }] } },
    );
  }
  return key;
}

/**
 * Applies the handler's own `redirectAllowlist` (when configured) on top of the manager's: the
 * return URL must pass both. Refused → `RETURN_URL_NOT_ALLOWED` (400), before anything is written.
 */
export function checkHandlerAllowlist(allowlist: ReturnUrlAllowlist | null, returnUrl: string | undefined): void {
  if (!allowlist || returnUrl === undefined) return;
  const result = allowlist.check(returnUrl);
  if (!result.ok)
    throw new BillingError(
      'RETURN_URL_NOT_ALLOWED',
      `return_url is not allowed by this API's redirect allowlist: ${result.message}.`,
      { details: { problem: result.problem } },
    );
}
