import type { Clock } from '../common/clock.js';
import type { ApiCall, AuthorizationSource, ClientTelemetry } from './api-requester.js';
import { isPhonePeError } from './errors.js';
import { PHONEPE_PATHS } from './phonepe-paths.js';
import { type TokenResponse, tokenResponseSchema } from './responses.js';

interface CachedToken {
  readonly authorization: string;
  /** When to fetch a new one: the half-life, or later after a failed refresh. */
  refreshAtMs: number;
  readonly expiresAtMs: number;
}

/** What a {@link TokenManager} needs. */
export interface TokenManagerDeps {
  /** Performs `POST /v1/oauth/token` (with the safe-call retry policy). */
  fetchToken: () => Promise<TokenResponse>;
  clock: Clock;
  telemetry: ClientTelemetry;
  /** Only for log lines (not secret); helps tell merchants apart in multi-merchant processes. */
  clientId: string;
}

const TOKEN_PATH = '/v1/oauth/token';

/**
 * After a failed refresh that kept the old token, wait this long before trying again (never past
 * the old token's expiry). Without it every call during an OAuth outage would first spend its
 * time on a doomed token fetch with retries.
 */
export const TOKEN_REFRESH_BACKOFF_MS = 30_000;

/**
 * One client's OAuth token (docs/phonepe-protocol.md#oauth), held per instance — never static — so clients
 * with different credentials in one process never share a token.
 *
 * - Cached and reused until its half-life (`issued_at + (expires_at - issued_at) / 2`), the
 *   point where every official SDK refreshes.
 * - Single-flight: however many calls need a token at once, one fetch is in flight.
 * - If a refresh fails while the old token is still valid, the old one keeps being used and a
 *   warning is logged (as the SDKs do); the next refresh is tried after
 *   {@link TOKEN_REFRESH_BACKOFF_MS}. With no valid token the failure is thrown.
 * - After a 401, {@link refreshAfterRejection} drops the refused token and fetches a new one,
 *   unless another call already replaced it.
 */
export class TokenManager implements AuthorizationSource {
  readonly #deps: TokenManagerDeps;
  #cached: CachedToken | undefined;
  #inFlight: Promise<CachedToken> | undefined;

  constructor(deps: TokenManagerDeps) {
    this.#deps = deps;
  }

  /** The cached `Authorization` value while it is before its refresh time, else undefined. */
  current(): string | undefined {
    const cached = this.#cached;
    return cached !== undefined && this.#deps.clock.now() < cached.refreshAtMs ? cached.authorization : undefined;
  }

  /** The `Authorization` header value for the next PG call: `O-Bearer <access_token>`. */
  async authorization(): Promise<string> {
    const cached = this.#cached;
    if (cached !== undefined && this.#deps.clock.now() < cached.refreshAtMs) return cached.authorization;
    try {
      return (await this.#refresh()).authorization;
    } catch (error) {
      const stillValid = this.#cached !== undefined && this.#deps.clock.now() < this.#cached.expiresAtMs;
      if (!stillValid || this.#cached === undefined) throw error;
      return this.#cached.authorization;
    }
  }

  /** Called after PhonePe answered 401 to `rejected`; returns a different, fresh value. */
  async refreshAfterRejection(rejected: string): Promise<string> {
    if (this.#cached !== undefined && this.#cached.authorization !== rejected) return this.#cached.authorization;
    if (this.#cached?.authorization === rejected) this.#cached = undefined;
    return (await this.#refresh()).authorization;
  }

  #refresh(): Promise<CachedToken> {
    this.#inFlight ??= this.#fetch().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async #fetch(): Promise<CachedToken> {
    const { clock, telemetry } = this.#deps;
    const started = performance.now();
    const event = { type: 'token', operation: 'token', method: 'POST', path: TOKEN_PATH, attempt: 1 } as const;
    try {
      const token = toCachedToken(await this.#deps.fetchToken(), clock.now());
      this.#cached = token;
      telemetry.emit({ ...event, durationMs: Math.round(performance.now() - started), tokenOutcome: 'fetched' });
      return token;
    } catch (error) {
      const errorCode = isPhonePeError(error) ? error.code : 'UNKNOWN';
      const previous = this.#cached;
      const keep = previous !== undefined && clock.now() < previous.expiresAtMs;
      const durationMs = Math.round(performance.now() - started);
      telemetry.emit({ ...event, durationMs, errorCode, tokenOutcome: keep ? 'kept-previous' : 'failed' });
      if (keep) {
        previous.refreshAtMs = Math.min(clock.now() + TOKEN_REFRESH_BACKOFF_MS, previous.expiresAtMs);
        telemetry.logger.warn(
          { clientId: this.#deps.clientId, code: errorCode, expiresAt: new Date(previous.expiresAtMs).toISOString() },
          'PhonePe token refresh failed; still using the cached token until it expires',
        );
      }
      throw error;
    }
  }
}

// OAuth times are epoch seconds, the clock is epoch ms (docs/phonepe-protocol.md#conventions). When `issued_at` is
// missing, the receipt time stands in for it.
function toCachedToken(token: TokenResponse, nowMs: number): CachedToken {
  const issuedAtMs = token.issued_at == null ? nowMs : token.issued_at * 1000;
  const expiresAtMs = token.expires_at * 1000;
  const tokenType = token.token_type == null || token.token_type === '' ? 'O-Bearer' : token.token_type;
  return {
    authorization: `${tokenType} ${token.access_token}`,
    refreshAtMs: issuedAtMs + (expiresAtMs - issuedAtMs) / 2,
    expiresAtMs,
  };
}

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
