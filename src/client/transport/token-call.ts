import { PHONEPE_PATHS } from '../phonepe-paths.js';
import { type TokenResponse, tokenResponseSchema } from '../schemas/token-response.js';
import type { ApiCall } from './api-call.js';

/**
 * The OAuth call exactly as PhonePe documents it (docs/phonepe-protocol.md#oauth): form-encoded
 * `client_id`, `client_version`, `client_secret`, `grant_type=client_credentials`. It has no side
 * effects, so it is retried like a GET. Its body is never attached to errors (it holds a token).
 */
export function tokenCall(credentials: {
  clientId: string;
  clientSecret: string;
  clientVersion: string;
}): ApiCall<TokenResponse> {
  return {
    operation: 'token',
    method: 'POST',
    host: 'oauth',
    path: PHONEPE_PATHS.token,
    form: {
      client_id: credentials.clientId,
      client_version: credentials.clientVersion,
      client_secret: credentials.clientSecret,
      grant_type: 'client_credentials',
    },
    schema: tokenResponseSchema,
    safeToRetry: true,
    authenticated: false,
    redactBody: true,
  };
}
