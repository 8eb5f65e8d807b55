import { PHONEPE_CLIENT_ERROR_CODES } from './error-codes.js';
import { isPhonePeError, PhonePeError } from './phonepe-error.js';

/**
 * PhonePe answered with a success status but a body that is not the documented shape (not
 * JSON, or a required field missing or of the wrong type). `body` holds what arrived (parsed
 * JSON when it was JSON, else the raw text) so it can be inspected; `problem` says which field.
 * The OAuth token response is never attached (it would carry a token).
 *
 * @example
 * if (isPhonePeResponseError(error)) logger.error({ path: error.path, problem: error.problem }, error.message);
 */
export class PhonePeResponseError extends PhonePeError {
  override readonly name = 'PhonePeResponseError' as const;
  /** The response body as received (JSON value or raw text). */
  readonly body: unknown;
  /** What did not match, e.g. `orderId: Invalid input: expected string, received number`. */
  readonly problem: string;

  constructor(details: { httpMethod: string; path: string; status: number; body: unknown; problem: string }) {
    super({
      message: `PhonePe sent an unexpected response body to ${details.httpMethod} ${details.path} (HTTP ${details.status}): ${details.problem}; the call may have succeeded, so check its status before repeating it.`,
      code: PHONEPE_CLIENT_ERROR_CODES.invalidResponse,
      status: details.status,
      httpMethod: details.httpMethod,
      path: details.path,
    });
    this.body = details.body;
    this.problem = details.problem;
  }
}

/** True when `error` is a {@link PhonePeResponseError}. */
export function isPhonePeResponseError(error: unknown): error is PhonePeResponseError {
  return isPhonePeError(error) && error.name === 'PhonePeResponseError';
}
