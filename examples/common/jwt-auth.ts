import { ConfigError, type BillingAuth } from 'phonepe-billing';
import { verifyJwt } from './jwt.js';
import { roleOf } from './memberships.js';

/** The examples' `auth`: `BillingAuth` plus the same check for the app's own routes. */
export interface JwtAuth extends BillingAuth {
  /** The user id (`sub`) of a valid `Authorization: Bearer <jwt>` value, or `null`. */
  userFromAuthorization(authorization: string | null | undefined): Promise<string | null>;
}

/**
 * The host's side of authentication for the billing routes: a Bearer JWT (HS256, signed with
 * `JWT_SECRET`) names the user; {@link roleOf} says their role in the workspace from `X-Tenant-ID`.
 *
 * @example
 * const auth = createJwtAuth(jwtSecretFromEnv(process.env));
 * app.use(phonePeBillingRouter({ billing, auth, webhook }));
 */
export function createJwtAuth(secret: string): JwtAuth {
  const userFromAuthorization = async (authorization: string | null | undefined) => {
    const token = /^Bearer +([\w.-]+)$/i.exec(authorization ?? '')?.[1];
    return token ? ((await verifyJwt(token, secret))?.sub ?? null) : null;
  };
  return {
    userFromAuthorization,
    authenticate: async (request) => {
      const userId = await userFromAuthorization(request.headers.get('authorization'));
      return userId ? { userId } : null;
    },
    getRole: roleOf,
  };
}

/** `JWT_SECRET` from the environment: at least 32 characters, or a `ConfigError` at start-up. */
export function jwtSecretFromEnv(env: Record<string, string | undefined>): string {
  const secret = env.JWT_SECRET?.trim() ?? '';
  if (secret.length < 32) {
    throw new ConfigError(
      'JWT_SECRET',
      'JWT_SECRET must be set to a random string of at least 32 characters (e.g. `openssl rand -hex 32`); the examples sign and verify their HS256 tokens with it.',
    );
  }
  return secret;
}
