// A minimal HS256 JWT (RFC 7519) signer and verifier on Web Crypto: enough for the examples' `authenticate`.
// A real host keeps using its own auth (sessions, an identity provider, a JWT library such as `jose`).
const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

/** The claims the examples use: `sub` (the user id) and `exp` (expiry, epoch seconds) are required. */
export interface JwtClaims {
  sub: string;
  exp: number;
  iat?: number;
  nbf?: number;
  [claim: string]: unknown;
}

/**
 * Signs `claims` with HS256. `expiresInSeconds` sets `exp` (default 1 hour).
 *
 * @example
 * const token = await signJwt({ sub: 'usr_owner' }, process.env.JWT_SECRET!, { expiresInSeconds: 3600 });
 */
export async function signJwt(
  claims: { sub: string; [claim: string]: unknown },
  secret: string,
  options: { expiresInSeconds?: number; now?: number } = {},
): Promise<string> {
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  const header = base64url(encoder.encode(JSON.stringify({ alg: 'HS256', typ: 'JWT' })));
  const payload = base64url(
    encoder.encode(JSON.stringify({ iat, exp: iat + (options.expiresInSeconds ?? 3600), ...claims })),
  );
  const signature = await crypto.subtle.sign('HMAC', await hmacKey(secret), encoder.encode(`${header}.${payload}`));
  return `${header}.${payload}.${base64url(new Uint8Array(signature))}`;
}

/**
 * Verifies an HS256 JWT: the header must say `HS256` (no `none`, no algorithm switching), the signature
 * must match (Web Crypto's verify compares in constant time), `exp` must be in the future and `nbf`, if
 * present, in the past. Returns the claims, or `null` for anything else.
 *
 * @example
 * const claims = await verifyJwt(token, process.env.JWT_SECRET!); // { sub: 'usr_owner', exp: …, … } or null
 */
export async function verifyJwt(token: string, secret: string, now = Date.now()): Promise<JwtClaims | null> {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [header, payload, signature] = parts as [string, string, string];
  const head = parseJson(header);
  if (head?.alg !== 'HS256') return null;
  const signatureBytes = fromBase64url(signature);
  if (!signatureBytes) return null;
  const valid = await crypto.subtle.verify(
    'HMAC',
    await hmacKey(secret),
    signatureBytes,
    encoder.encode(`${header}.${payload}`),
  );
  if (!valid) return null;
  const claims = parseJson(payload);
  const seconds = now / 1000;
  if (!claims || typeof claims.sub !== 'string' || claims.sub === '' || typeof claims.exp !== 'number') return null;
  if (claims.exp <= seconds || (typeof claims.nbf === 'number' && claims.nbf > seconds)) return null;
  return claims as JwtClaims;
}

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
      'verify',
    ]);
    keys.set(secret, key);
  }
  return key;
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null; // a length no base64 text can have
  }
}

function parseJson(part: string): Record<string, unknown> | null {
  const bytes = fromBase64url(part);
  if (!bytes) return null;
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
