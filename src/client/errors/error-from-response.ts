import { PhonePeAuthenticationError } from './phonepe-authentication-error.js';
import { PhonePeBadRequestError } from './phonepe-bad-request-error.js';
import { PhonePeConflictError } from './phonepe-conflict-error.js';
import { PhonePeError, type PhonePeErrorDetails } from './phonepe-error.js';
import { PhonePeNotFoundError } from './phonepe-not-found-error.js';
import { PhonePeRateLimitError } from './phonepe-rate-limit-error.js';
import { PhonePeServerError } from './phonepe-server-error.js';

/** A non-2xx answer from PhonePe, as the transport saw it. */
export interface PhonePeErrorResponse {
  status: number;
  /** The body parsed as JSON when possible, else the raw text (or undefined when empty). */
  body: unknown;
  httpMethod: string;
  path: string;
  retryAfterMs?: number | undefined;
}

type ErrorClass = new (details: PhonePeErrorDetails) => PhonePeError;

// Codes that decide the class whatever the 4xx status (docs/phonepe-protocol.md#order-status, #errors): PhonePe's status
// for these is not pinned down, the code is.
const CLASS_BY_CODE: Readonly<Record<string, ErrorClass>> = {
  INVALID_MERCHANT_ORDER_ID: PhonePeNotFoundError,
  // PhonePe's own Node SDK tests answer an unknown order / transaction id with these, over a 400.
  MERCHANT_ORDER_MAPPING_NOT_FOUND: PhonePeNotFoundError,
  MAPPING_NOT_FOUND: PhonePeNotFoundError,
  SUBSCRIPTION_NOT_FOUND: PhonePeNotFoundError,
  // PhonePe's Go SDK tests (with a 404); listed as not-found whatever the status in docs/phonepe-protocol.md#errors.
  ORDER_NOT_FOUND: PhonePeNotFoundError,
  REFUND_NOT_FOUND: PhonePeNotFoundError,
  AUTHORIZATION_FAILED: PhonePeAuthenticationError,
  INVALID_TRANSACTION_ID: PhonePeConflictError,
  DUPLICATE_REQUEST_ID: PhonePeConflictError,
  TRANSACTION_LIMIT_EXCEEDED: PhonePeBadRequestError,
  BAD_REQUEST: PhonePeBadRequestError,
};

// The HTTP map every PhonePe SDK uses (docs/phonepe-protocol.md#errors), folded into fewer classes.
const CLASS_BY_STATUS: Readonly<Record<number, ErrorClass>> = {
  400: PhonePeBadRequestError,
  401: PhonePeAuthenticationError,
  403: PhonePeAuthenticationError,
  404: PhonePeNotFoundError,
  409: PhonePeConflictError,
  410: PhonePeNotFoundError,
  417: PhonePeConflictError,
  422: PhonePeBadRequestError,
};

const NEXT_STEP = new Map<ErrorClass, string>([
  [PhonePeBadRequestError, 'Fix the request; sending it unchanged will fail the same way.'],
  [PhonePeAuthenticationError, 'Check clientId, clientSecret, clientVersion and env.'],
  [PhonePeNotFoundError, 'Check the id and the environment (SANDBOX or PRODUCTION).'],
  [PhonePeConflictError, 'Use a new merchant id, or read the status of the existing one.'],
  [PhonePeServerError, 'PhonePe is failing; try again later.'],
]);

/**
 * Turns a non-2xx PhonePe answer into the matching error class: the body's `errorCode || code`
 * first (for 4xx), then the HTTP status. Reads `errorCode || code` and `context || data` as
 * PhonePe's SDKs do (docs/phonepe-protocol.md#errors).
 *
 * @example
 * errorFromResponse({ status: 404, body: { code: 'INVALID_MERCHANT_ORDER_ID' }, httpMethod: 'GET', path: '/x' });
 * // -> PhonePeNotFoundError
 */
export function errorFromResponse(response: PhonePeErrorResponse): PhonePeError {
  const fields = readErrorBody(response.body);
  const code = fields.code ?? `HTTP_${response.status}`;
  const details: PhonePeErrorDetails = {
    message: '',
    code,
    status: response.status,
    phonePeMessage: fields.message,
    data: fields.data,
    retryable: response.status === 429 || response.status >= 500,
    httpMethod: response.httpMethod,
    path: response.path,
  };
  const heard = `PhonePe answered ${response.status} ${code} to ${response.httpMethod} ${response.path}`;
  const said = fields.message === undefined ? '' : `: ${truncate(fields.message)}`;
  if (response.status === 429) {
    const wait = response.retryAfterMs === undefined ? 'later' : `after ${response.retryAfterMs} ms`;
    return new PhonePeRateLimitError({
      ...details,
      message: `${heard}${said}. Slow down and try again ${wait}.`,
      retryAfterMs: response.retryAfterMs,
    });
  }
  const errorClass = pickClass(response.status, fields.code);
  const next = NEXT_STEP.get(errorClass);
  return new errorClass({ ...details, message: `${heard}${said}.${next === undefined ? '' : ` ${next}`}` });
}

function pickClass(status: number, code: string | undefined): ErrorClass {
  if (status >= 500) return PhonePeServerError;
  const byCode = code === undefined ? undefined : CLASS_BY_CODE[code];
  return byCode ?? CLASS_BY_STATUS[status] ?? PhonePeError;
}

function readErrorBody(body: unknown): { code?: string; message?: string; data?: unknown } {
  if (typeof body !== 'object' || body === null) return {};
  const record = body as Record<string, unknown>;
  const code = nonEmptyString(record.errorCode) ?? nonEmptyString(record.code);
  const message = nonEmptyString(record.message);
  const data = record.context ?? record.data;
  return {
    ...(code === undefined ? {} : { code }),
    ...(message === undefined ? {} : { message }),
    ...(data === undefined ? {} : { data }),
  };
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

// PhonePe's message is embedded in our sentence: keep it short and drop its final full stop.
function truncate(text: string): string {
  const trimmed = text.replace(/[.\s]+$/, '');
  return trimmed.length > 300 ? `${trimmed.slice(0, 300)}…` : trimmed;
}
