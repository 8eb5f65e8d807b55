import { MAX_JSON_DEPTH, valueNestsDeeperThan } from '../common/json-nesting.js';
import type { Logger } from '../common/logger.js';
import { billingErrorResponse, BillingHttpError, isBillingHttpError } from './errors.js';
import { jsonTooDeepError, payloadTooLargeError } from './request.js';

/**
 * The billing error response for a refusal a framework (or the Node request reader) made before the
 * handler ran — a body over the limit (`express.raw`'s `entity.too.large`, Fastify's
 * `FST_ERR_CTP_BODY_TOO_LARGE`, the node-http helper's `PAYLOAD_TOO_LARGE`), an unreadable body — so
 * those answers have the same status, code and shape on every adapter. A refusal of the body is
 * answered with `Connection: close`: the body may be partly unread, and its rest must not be taken
 * for the next request on a keep-alive connection.
 */
export function frameworkErrorResponse(error: unknown, options: { limitBytes: number; logger?: Logger }): Response {
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    status?: unknown;
    statusCode?: unknown;
    code?: unknown;
    type?: unknown;
    message?: unknown;
  };
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : undefined;
  // Already a billing refusal (e.g. a host-parsed body nested too deep to re-serialise).
  if (isBillingHttpError(error)) return billingErrorResponse(error);
  if (status === 413 || e.code === 'PAYLOAD_TOO_LARGE' || e.type === 'entity.too.large')
    return closing(billingErrorResponse(payloadTooLargeError(options.limitBytes)));
  if (status === 415)
    return closing(
      billingErrorResponse(
        new BillingHttpError(
          'UNSUPPORTED_MEDIA_TYPE',
          'The request body uses an encoding or charset this API does not read; send UTF-8 JSON without Content-Encoding.',
        ),
      ),
    );
  if (e.code === 'REQUEST_BODY_ALREADY_READ') {
    return billingErrorResponse(
      new BillingHttpError(
        'INVALID_BODY',
        'Another middleware read the request body without leaving it on req.body; mount the billing routes before that middleware.',
      ),
      options,
    );
  }
  if (status !== undefined && status >= 400 && status < 500) {
    return closing(
      billingErrorResponse(
        new BillingHttpError('INVALID_BODY', 'The request body could not be read; send the request again.', {
          cause: error,
        }),
      ),
    );
  }
  return billingErrorResponse(error, {
    ...(options.logger ? { logger: options.logger } : {}),
    context: { stage: 'reading the request' },
  });
}

function closing(response: Response): Response {
  response.headers.set('connection', 'close');
  return response;
}

const FORM_TYPE = /^application\/x-www-form-urlencoded\b/i;

/**
 * The body to hand the billing handler when a framework (or the host's own body parser) already read
 * the request: raw bytes or text pass through; a parsed form (`contentType` urlencoded, e.g. the host's
 * `express.urlencoded()` before the billing router) is encoded back to a form, so the checkout result a
 * gateway's script posts to `POST /payments/callback` still reads as one; any other parsed value is
 * serialised back to JSON.
 *
 * Why a parsed body is acceptable: PhonePe's webhook `Authorization` is SHA-256(username:password),
 * a static credential that does not sign the body, and the manager confirms every webhook with
 * PhonePe's status API before acting. So re-serialising loses nothing that is checked.
 * That does not hold for a gateway that signs the body (Razorpay's `X-Razorpay-Signature` is an HMAC of
 * the bytes sent): its webhook verifies only if the re-serialised JSON is byte for byte what was sent,
 * which nothing promises (whitespace, escapes), so it is answered 401 `WEBHOOK_REJECTED` otherwise.
 * The raw body is still preferred (it is what was sent, and nothing has to round-trip through JSON).
 * A parsed value nested deeper than `MAX_JSON_DEPTH` is refused (`JSON_TOO_DEEP`) instead of being
 * handed to `JSON.stringify`, which would overflow the stack on it.
 */
export function reserialiseBody(parsed: unknown, contentType?: string | null): string | Uint8Array | undefined {
  if (parsed === undefined || parsed === null) return undefined;
  if (parsed instanceof Uint8Array || typeof parsed === 'string') return parsed;
  if (valueNestsDeeperThan(parsed, MAX_JSON_DEPTH)) throw jsonTooDeepError('The request body');
  if (FORM_TYPE.test(contentType ?? '') && typeof parsed === 'object' && !Array.isArray(parsed))
    return formEncode(parsed as Record<string, unknown>);
  return JSON.stringify(parsed);
}

/**
 * A parsed form back as `application/x-www-form-urlencoded`: nested objects (`qs`, `extended: true`) as
 * `a[b]=…`, arrays (a repeated field) as the field repeated — so the handler refuses what it would have
 * refused in the raw form.
 */
function formEncode(fields: Record<string, unknown>): string {
  const form = new URLSearchParams();
  const add = (name: string, value: unknown): void => {
    if (Array.isArray(value)) for (const item of value) add(name, item);
    else if (typeof value === 'object' && value !== null)
      for (const [key, item] of Object.entries(value)) add(`${name}[${key}]`, item);
    else form.append(name, String(value));
  };
  for (const [name, value] of Object.entries(fields)) add(name, value);
  return form.toString();
}
