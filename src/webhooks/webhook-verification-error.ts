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
  }
}

export function isWebhookVerificationError(error: unknown): error is WebhookVerificationError {
  return error instanceof WebhookVerificationError;
}
