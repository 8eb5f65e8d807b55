import { z } from 'zod';

const epochSeconds = z.number().int().nonnegative();

/**
 * The OAuth answer of `POST /v1/oauth/token` (docs/phonepe-protocol.md#oauth). Times are epoch **seconds**.
 * `issued_at` is optional here because the client can fall back to its own clock for it.
 *
 * @example
 * const token = tokenResponseSchema.parse(JSON.parse(body));
 * const authorization = `${token.token_type ?? 'O-Bearer'} ${token.access_token}`;
 */
export const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  encrypted_access_token: z.string().nullish(),
  issued_at: epochSeconds.nullish(),
  expires_at: epochSeconds,
  session_expires_at: epochSeconds.nullish(),
  token_type: z.string().nullish(),
  expires_in: z.number().nullish(),
  refresh_token: z.string().nullish(),
});
/** @see tokenResponseSchema */
export type TokenResponse = z.infer<typeof tokenResponseSchema>;
