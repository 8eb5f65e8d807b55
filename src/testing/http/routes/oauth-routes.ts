import { PhonePeEmulatorError, unauthorized } from '../../core/phonepe-emulator-error.js';
import type { EmulatorCore } from '../../core/emulator-core.js';
import { jsonResponse } from '../json-response.js';
import type { Route } from '../route-table.js';
import { PG_BASE_PATH } from './paths.js';

const REQUIRED_FIELDS = ['client_id', 'client_version', 'client_secret', 'grant_type'] as const;

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Issues an `O-Bearer` token (docs/phonepe-protocol.md#oauth): JWT-looking, lifetime `tokenTtlSeconds` on the virtual clock. */
function issueToken(core: EmulatorCore, merchantId: string) {
  const issuedAt = core.clock.now();
  const expiresAt = issuedAt + core.config.tokenTtlSeconds * 1_000;
  const accessToken = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url({ expiresOn: expiresAt, merchantId })}.${core.ids.opaque(32)}`;
  core.state.tokens.set(accessToken, { accessToken, merchantId, issuedAt, expiresAt });
  return {
    access_token: accessToken,
    encrypted_access_token: `${base64url({ alg: 'A256GCM' })}.${core.ids.opaque(48)}`,
    issued_at: Math.floor(issuedAt / 1_000),
    expires_at: Math.floor(expiresAt / 1_000),
    session_expires_at: Math.floor(expiresAt / 1_000),
    token_type: 'O-Bearer',
  };
}

/**
 * `POST /v1/oauth/token`, form-encoded (docs/phonepe-protocol.md#oauth). A missing field or another `grant_type` is the
 * gateway's 400 `PR000`; unknown credentials are 401 `PR004` (exact OAuth error body unsettled, docs/phonepe-protocol.md#unsettled).
 */
export const oauthRoutes: Route[] = [
  {
    method: 'POST',
    path: `${PG_BASE_PATH}/v1/oauth/token`,
    async handle({ core, request }) {
      const form = new URLSearchParams(await request.text());
      const missing = REQUIRED_FIELDS.some((field) => !form.get(field));
      if (missing || form.get('grant_type') !== 'client_credentials') {
        throw new PhonePeEmulatorError(400, 'PR000', 'Bad Request', { gateway: true });
      }
      const merchant = core.config.merchants.find(
        (m) =>
          m.clientId === form.get('client_id') &&
          m.clientSecret === form.get('client_secret') &&
          m.clientVersion === form.get('client_version'),
      );
      if (!merchant) throw unauthorized();
      return jsonResponse(issueToken(core, merchant.merchantId));
    },
  },
];
