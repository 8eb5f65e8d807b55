import { type BillingErrorCode, isBillingError } from '../billing/errors.js';
import { brandError, hasErrorBrand } from '../common/error-brand.js';
import { type Logger, silentLogger } from '../common/logger.js';
import { isStoreConflictError, isStoreUnavailableError } from '../storage/errors.js';
import { isWebhookVerificationError, type WebhookVerificationReason } from '../webhooks/verify-webhook.js';

/**
 * Error codes the HTTP layer adds to the billing layer's `BILLING_ERROR_CODES`, with their statuses.
 * Together the two maps are every `error.code` a billing route can answer with; the status for a
 * code is chosen once, here or there, never per adapter.
 *
 * @example
 * HTTP_ERROR_CODES.PAYLOAD_TOO_LARGE; // 413
 */
export const HTTP_ERROR_CODES = {
  /** No identity: `auth.authenticate` returned null or threw. */
  UNAUTHENTICATED: 401,
  /** The caller has no role in the workspace, or not one allowed for this route. */
  FORBIDDEN: 403,
  /** `X-Tenant-ID` is missing or not 1–128 characters of `[A-Za-z0-9_.:-]`. */
  INVALID_TENANT: 400,
  /** No billing route at this path. */
  NOT_FOUND: 404,
  /** A billing path, but not this method (the `Allow` header lists the methods), or a method no billing route takes (TRACE, PROPFIND, …). */
  METHOD_NOT_ALLOWED: 405,
  /** A body that is not `application/json` (UTF-8). */
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** A body that is not valid JSON (or not UTF-8). */
  INVALID_JSON: 400,
  /** A JSON body (or webhook body) nesting arrays or objects more than `MAX_JSON_DEPTH` (64) levels deep. */
  JSON_TOO_DEEP: 400,
  /** A string in the body (value or key) holding a NUL character (U+0000) or a lone UTF-16 surrogate, which no database text can hold; `details.field` names it. */
  INVALID_CHARACTERS: 400,
  /** A body larger than `maxBodyBytes`. */
  PAYLOAD_TOO_LARGE: 413,
  /** The body could not be read (the client went away, a framework refused it). */
  INVALID_BODY: 400,
  /** A webhook without the right `Authorization` (SHA-256 of the dashboard username:password). */
  WEBHOOK_UNAUTHORIZED: 401,
  /** A webhook whose body is not a PhonePe event. */
  WEBHOOK_MALFORMED: 400,
  /**
   * A webhook reporting a state PhonePe's status API does not show yet (its API is behind, or the event
   * is forged): nothing was applied; PhonePe should deliver it again (`Retry-After`).
   */
  WEBHOOK_NOT_CONFIRMED: 503,
  /** Anything unexpected; logged with its stack, never sent to the caller. */
  INTERNAL_ERROR: 500,
} as const;

/** The `code` of an HTTP API error body: one of `HTTP_ERROR_CODES`. */
export type HttpErrorCode = keyof typeof HTTP_ERROR_CODES;

/**
 * A request the HTTP layer refuses before billing runs (authentication, routing, body parsing).
 * Its `status` comes from `HTTP_ERROR_CODES`; `billingErrorResponse` turns it into the JSON error body.
 *
 * @example
 * throw new BillingHttpError('FORBIDDEN', 'Your role "member" may not cancel the subscription of workspace ws_1; ask an owner.');
 */
export class BillingHttpError extends Error {
  override readonly name = 'BillingHttpError' as const;
  readonly status: number;
  readonly details: Record<string, unknown>;
  /** Extra response headers, e.g. `Allow` on a 405. */
  readonly headers: Record<string, string>;
  constructor(
    readonly code: HttpErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    brandError(this, 'BillingHttpError');
    this.status = HTTP_ERROR_CODES[code];
    this.details = options.details ?? {};
    this.headers = options.headers ?? {};
  }
}

/**
 * True when `error` is a {@link BillingHttpError}.
 *
 * @example
 * if (isBillingHttpError(error) && error.code === 'FORBIDDEN') audit(error.message);
 */
export function isBillingHttpError(error: unknown): error is BillingHttpError {
  return hasErrorBrand(error, 'BillingHttpError');
}

/**
 * A JSON response. Billing answers are never cacheable (they describe money and access), so every
 * one carries `Cache-Control: no-store`.
 */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

/**
 * The body of every billing error response.
 *
 * @example
 * const body: BillingErrorBody = { status: 'error', error: { code: 'PLAN_NOT_FOUND', message: 'Plan "gold" does not exist; …' } };
 */
export interface BillingErrorBody {
  status: 'error';
  error: {
    code: BillingErrorCode | HttpErrorCode;
    message: string;
    /** Present when there is something safe and useful to add (field errors, limits, the refundable amount). */
    details?: Record<string, unknown>;
  };
}

// A webhook refusal's HTTP code by reason (anything else about the body is WEBHOOK_MALFORMED).
const WEBHOOK_CODES: Partial<Record<WebhookVerificationReason, HttpErrorCode>> = {
  missing_authorization: 'WEBHOOK_UNAUTHORIZED',
  authorization_mismatch: 'WEBHOOK_UNAUTHORIZED',
  too_deeply_nested: 'JSON_TOO_DEEP',
  invalid_characters: 'INVALID_CHARACTERS',
};

/** What an error becomes on the wire. */
export interface DescribedError {
  status: number;
  code: BillingErrorCode | HttpErrorCode;
  message: string;
  details: Record<string, unknown>;
  headers: Record<string, string>;
}

/**
 * Maps any error to its status, code and a message safe to send: billing and HTTP-layer errors
 * keep theirs; storage and webhook errors get fixed messages (never driver text or header values);
 * anything else is `INTERNAL_ERROR`.
 */
export function describeError(error: unknown): DescribedError {
  const known = (
    code: BillingErrorCode | HttpErrorCode,
    status: number,
    message: string,
    details: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) => ({ status, code, message, details, headers });
  if (isBillingHttpError(error)) return known(error.code, error.status, error.message, error.details, error.headers);
  if (isBillingError(error)) return known(error.code, error.status, error.message, error.details);
  if (isStoreUnavailableError(error))
    return known('STORE_UNAVAILABLE', 503, 'The billing database is unavailable; try again shortly.');
  if (isStoreConflictError(error))
    return known(
      'CONFLICT',
      409,
      'The request collided with a concurrent change to the same billing record; send it again.',
    );
  if (isWebhookVerificationError(error)) {
    const http = new BillingHttpError(WEBHOOK_CODES[error.reason] ?? 'WEBHOOK_MALFORMED', error.message, {
      details: { reason: error.reason, ...(error.field === null ? {} : { field: error.field }) },
    });
    return known(http.code, http.status, http.message, http.details);
  }
  return known(
    'INTERNAL_ERROR',
    500,
    'The billing service hit an unexpected error; try again, and check the server logs if it persists.',
  );
}

/**
 * Turns any error into the billing API's JSON error response (`{ status: 'error', error: { code,
 * message, details? } }`) with the status from `BILLING_ERROR_CODES` / `HTTP_ERROR_CODES`. Logs
 * 5xx answers through `logger` (unexpected ones with their stack); the body never carries a stack.
 * Adapters use it for the few refusals their framework makes before the handler runs (e.g. a body
 * over the limit); a host can use it to answer in the same shape from its own routes.
 *
 * @example
 * app.use((error, req, res, next) => sendWebResponse(res, billingErrorResponse(error, { logger })));
 * billingErrorResponse(new BillingHttpError('PAYLOAD_TOO_LARGE', 'The body is larger than 65536 bytes.')).status; // 413
 */
export function billingErrorResponse(
  error: unknown,
  options: { logger?: Logger; context?: Record<string, unknown> } = {},
): Response {
  const { status, body, headers } = billingErrorJson(error, options);
  return jsonResponse(status, body, headers);
}

/**
 * {@link billingErrorResponse} as plain parts, for frameworks whose routes answer with a status and an
 * object rather than a fetch `Response` (Express `res.status(status).set(headers).json(body)`, Fastify
 * `reply.code(status).headers(headers).send(body)`). Logs 5xx the same way.
 *
 * @example
 * app.post('/api/projects', async (req, res) => {
 *   try { await billing.recordUsage(ws, 'projects', 1); res.sendStatus(201); }
 *   catch (error) { const { status, headers, body } = billingErrorJson(error); res.status(status).set(headers).json(body); }
 * });
 */
export function billingErrorJson(
  error: unknown,
  options: { logger?: Logger; context?: Record<string, unknown> } = {},
): { status: number; headers: Record<string, string>; body: BillingErrorBody } {
  const described = describeError(error);
  logError(options.logger ?? silentLogger, error, described, options.context ?? {});
  const body: BillingErrorBody = { status: 'error', error: { code: described.code, message: described.message } };
  if (Object.keys(described.details).length > 0) body.error.details = described.details;
  return { status: described.status, headers: described.headers, body };
}

function logError(logger: Logger, error: unknown, described: DescribedError, context: Record<string, unknown>): void {
  if (described.status < 500) return;
  const err =
    error instanceof Error
      ? {
          name: error.name,
          message: error.message,
          ...(described.code === 'INTERNAL_ERROR' ? { stack: error.stack } : {}),
        }
      : { message: String(error) };
  if (described.code === 'INTERNAL_ERROR') logger.error({ ...context, err }, 'billing request failed unexpectedly');
  else logger.warn({ ...context, code: described.code, err }, 'billing request failed: a dependency is unavailable');
}
