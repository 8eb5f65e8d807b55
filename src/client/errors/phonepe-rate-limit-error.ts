import { isPhonePeError, PhonePeError, type PhonePeErrorDetails } from './phonepe-error.js';

/**
 * PhonePe answered 429 Too Many Requests. Status calls were already retried (honouring
 * `Retry-After`); creating calls are not re-sent automatically. `retryAfterMs` is PhonePe's
 * `Retry-After` in milliseconds when it sent one.
 *
 * @example
 * if (isPhonePeRateLimitError(error)) await sleep(error.retryAfterMs ?? 1000);
 */
export class PhonePeRateLimitError extends PhonePeError {
  override readonly name = 'PhonePeRateLimitError' as const;
  /** PhonePe's `Retry-After`, in ms, if present and parseable. */
  readonly retryAfterMs: number | undefined;

  constructor(details: PhonePeErrorDetails & { retryAfterMs?: number | undefined }) {
    super({ ...details, retryable: true });
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** True when `error` is a {@link PhonePeRateLimitError}. */
export function isPhonePeRateLimitError(error: unknown): error is PhonePeRateLimitError {
  return isPhonePeError(error) && error.name === 'PhonePeRateLimitError';
}
