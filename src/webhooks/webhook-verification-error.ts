/** Why a webhook was rejected. */
export const WEBHOOK_VERIFICATION_REASONS = ['missing_authorization', 'authorization_mismatch', 'body_not_raw', 'malformed_payload'] as const;
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
  constructor(
    readonly reason: WebhookVerificationReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isWebhookVerificationError(error: unknown): error is WebhookVerificationError {
  return error instanceof WebhookVerificationError;
}
