import { isPhonePeError, PhonePeError } from './phonepe-error.js';

/**
 * PhonePe refused the credentials or the token (HTTP 401/403, or code `AUTHORIZATION_FAILED`). The client already refreshed the token and re-sent the call once; seeing this means clientId, clientSecret, clientVersion or the environment is wrong.
 *
 * @example
 * if (isPhonePeAuthenticationError(error)) alertOps('check PhonePe credentials');
 */
export class PhonePeAuthenticationError extends PhonePeError {
  override readonly name = 'PhonePeAuthenticationError' as const;
}

/** True when `error` is a {@link PhonePeAuthenticationError}. */
export function isPhonePeAuthenticationError(error: unknown): error is PhonePeAuthenticationError {
  return isPhonePeError(error) && error.name === 'PhonePeAuthenticationError';
}
