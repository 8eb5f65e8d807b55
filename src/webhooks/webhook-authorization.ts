/** The dashboard credentials PhonePe's webhooks are authenticated with (docs/phonepe-protocol.md#webhook-auth). */
export interface WebhookCredentials {
  username: string;
  password: string;
}

const encoder = new TextEncoder();

/**
 * The `Authorization` value PhonePe sends with every webhook: lowercase hex SHA-256 of
 * `username:password` — no scheme prefix, no body signature (docs/phonepe-protocol.md#webhook-auth). Web Crypto only.
 *
 * @example
 * await computeWebhookAuthorization({ username: 'username', password: 'password' });
 * // 'bc842c31a9e54efe320d30d948be61291f3ceee4766e36ab25fa65243cd76e0e'
 */
export async function computeWebhookAuthorization(credentials: WebhookCredentials): Promise<string> {
  const digest = await crypto.subtle.digest(
    'SHA-256',
    encoder.encode(`${credentials.username}:${credentials.password}`),
  );
  let hex = '';
  for (const byte of new Uint8Array(digest)) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/**
 * Compares two strings in time that depends only on the length of `expected`, so a forged header
 * learns nothing from how long the comparison took. Compares UTF-16 code units (equal strings have
 * equal units), so nothing is encoded per call.
 */
export function constantTimeEqual(received: string, expected: string): boolean {
  let diff = received.length ^ expected.length;
  // Lengths that differ already make diff non-zero (past the end of `received` charCodeAt is NaN, read as 0).
  for (let i = 0; i < expected.length; i++) diff |= received.charCodeAt(i) ^ expected.charCodeAt(i);
  return diff === 0;
}

/**
 * The Authorization header value a test should send to a webhook route configured with these
 * credentials — what PhonePe itself would send.
 *
 * @example
 * await fetch('http://localhost:3000/v1/payments/webhook', {
 *   method: 'POST', body, headers: { authorization: await createTestAuthorization('user', 'pass'), 'content-type': 'application/json' },
 * });
 */
export function createTestAuthorization(username: string, password: string): Promise<string> {
  return computeWebhookAuthorization({ username, password });
}
