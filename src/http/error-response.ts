import { isBillingError } from '../billing/errors/billing-error.js';
import type { BillingErrorCode } from '../billing/errors/billing-error-codes.js';
import { silentLogger, type Logger } from '../common/logger.js';
import { isStoreConflictError, isStoreUnavailableError } from '../storage/errors.js';
import { isWebhookVerificationError, type WebhookVerificationReason } from '../webhooks/verify-webhook.js';
import { BillingHttpError, isBillingHttpError } from './billing-http-error.js';
import type { HttpErrorCode } from './http-error-codes.js';
import { jsonResponse } from './json-response.js';

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
