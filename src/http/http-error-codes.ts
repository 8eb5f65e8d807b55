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
