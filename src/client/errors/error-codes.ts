/**
 * Stable `code`s for failures that do not come from a PhonePe response body. Errors built from a
 * PhonePe response carry PhonePe's own `errorCode`/`code` instead (or `HTTP_<status>` when the
 * body has none).
 *
 * @example
 * if (error.code === PHONEPE_CLIENT_ERROR_CODES.timeout) scheduleStatusCheck();
 */
export const PHONEPE_CLIENT_ERROR_CODES = {
  invalidOptions: 'INVALID_OPTIONS',
  validation: 'VALIDATION_FAILED',
  network: 'NETWORK_ERROR',
  timeout: 'TIMEOUT',
  invalidResponse: 'INVALID_RESPONSE',
  outcomeUnknown: 'OUTCOME_UNKNOWN',
} as const;

/** One of the values of {@link PHONEPE_CLIENT_ERROR_CODES}. */
export type PhonePeClientErrorCode = (typeof PHONEPE_CLIENT_ERROR_CODES)[keyof typeof PHONEPE_CLIENT_ERROR_CODES];
