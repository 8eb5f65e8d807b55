import { brandError, hasErrorBrand } from '../../common/error-brand.js';

/** Razorpay's error `code` values the emulator answers with (https://razorpay.com/docs/errors). */
export type RazorpayErrorCode = 'BAD_REQUEST_ERROR' | 'GATEWAY_ERROR' | 'SERVER_ERROR';

/**
 * A refusal the Razorpay emulator answers the way Razorpay does: HTTP status plus
 * `{ error: { code, description, source, step, reason, metadata, field? } }`
 * (https://razorpay.com/docs/errors). Control calls throw it too.
 *
 * @example
 * try { await emu.payOrder('order_nope'); }
 * catch (error) { if (isRazorpayEmulatorError(error)) console.log(error.status, error.description); }
 */
export class RazorpayEmulatorError extends Error {
  override readonly name = 'RazorpayEmulatorError' as const;
  constructor(
    /** The HTTP status the emulator answers with. */
    readonly status: number,
    /** Razorpay's error code. */
    readonly code: RazorpayErrorCode,
    /** Razorpay's human-readable `description`. */
    readonly description: string,
    /** The request field at fault, when there is one. */
    readonly field?: string,
    /** `source`/`step`/`reason` of Razorpay's error body; `NA` when not given. */
    readonly detail: { source?: string; step?: string; reason?: string; metadata?: Record<string, unknown> } = {},
  ) {
    super(description);
    brandError(this, 'RazorpayEmulatorError');
  }

  /** The JSON body Razorpay sends for this error. */
  toBody(): { error: Record<string, unknown> } {
    return {
      error: {
        code: this.code,
        description: this.description,
        source: this.detail.source ?? 'NA',
        step: this.detail.step ?? 'NA',
        reason: this.detail.reason ?? 'NA',
        metadata: this.detail.metadata ?? {},
        ...(this.field ? { field: this.field } : {}),
      },
    };
  }
}

/**
 * True when `error` is a {@link RazorpayEmulatorError} (from either copy of the library).
 *
 * @example
 * await emu.processRefund(id).catch((e) => { if (!isRazorpayEmulatorError(e)) throw e; });
 */
export function isRazorpayEmulatorError(error: unknown): error is RazorpayEmulatorError {
  return hasErrorBrand(error, 'RazorpayEmulatorError');
}

/** 400 `BAD_REQUEST_ERROR` naming the field (input validation). */
export function rzpBadRequest(description: string, field?: string): RazorpayEmulatorError {
  return new RazorpayEmulatorError(400, 'BAD_REQUEST_ERROR', description, field, {
    source: 'business',
    step: 'payment_initiation',
    reason: 'input_validation_failed',
  });
}

/** 400 `BAD_REQUEST_ERROR` "The id provided does not exist" — Razorpay's answer for an unknown entity id. */
export function rzpUnknownId(): RazorpayEmulatorError {
  return new RazorpayEmulatorError(400, 'BAD_REQUEST_ERROR', 'The id provided does not exist');
}

/** 401 `BAD_REQUEST_ERROR` for missing or wrong Basic credentials. */
export function rzpUnauthorized(description = 'Authentication failed'): RazorpayEmulatorError {
  return new RazorpayEmulatorError(401, 'BAD_REQUEST_ERROR', description);
}
