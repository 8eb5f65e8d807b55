import { PHONEPE_CLIENT_ERROR_CODES } from './error-codes.js';
import { isPhonePeError, PhonePeError } from './phonepe-error.js';

/**
 * A request (or the client options) broke a rule PhonePe documents, so nothing was sent.
 * `field` is the dotted path of the offending field, e.g.
 * `paymentFlow.subscriptionDetails.maxAmount`; `operation` is the client method.
 *
 * @example
 * try { await client.pay(request); }
 * catch (error) { if (isPhonePeValidationError(error)) return badRequest(error.field, error.message); }
 */
export class PhonePeValidationError extends PhonePeError {
  override readonly name = 'PhonePeValidationError' as const;
  /** Dotted path of the field that failed, e.g. `metaInfo.udf11`; `''` for the whole object. */
  readonly field: string;
  /** The client method (`pay`, `refund`, `subscriptions.setup`, …) or `new PhonePeClient`. */
  readonly operation: string;

  constructor(details: { operation: string; field: string; problem: string; code?: string; message?: string }) {
    const where = details.field === '' ? 'the request' : details.field;
    super({
      message:
        details.message ??
        `PhonePe ${details.operation} was not sent: ${where} ${details.problem}. Fix it and call again.`,
      code: details.code ?? PHONEPE_CLIENT_ERROR_CODES.validation,
    });
    this.field = details.field;
    this.operation = details.operation;
  }
}

/** True when `error` is a {@link PhonePeValidationError}. */
export function isPhonePeValidationError(error: unknown): error is PhonePeValidationError {
  return isPhonePeError(error) && error.name === 'PhonePeValidationError';
}
