import { PhonePeEmulatorError } from '../core/phonepe-emulator-error.js';

/** A JSON answer. */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/**
 * PhonePe's error shapes (docs/phonepe-protocol.md#errors): gateway errors `{errorCode, message}` with `x-api-exception-code`;
 * business errors `{code, message}` plus `success: false` where PhonePe's docs show it.
 */
export function errorResponse(error: PhonePeEmulatorError): Response {
  if (error.options.gateway) {
    return jsonResponse({ errorCode: error.code, message: error.message }, error.status, {
      'x-api-exception-code': error.code,
    });
  }
  const body =
    error.options.success === false
      ? { success: false, code: error.code, message: error.message }
      : { code: error.code, message: error.message };
  return jsonResponse(body, error.status);
}
