import { createHash } from 'node:crypto';

/**
 * The `Authorization` header PhonePe puts on every webhook: lowercase hex SHA-256 of
 * `username:password`, no scheme prefix (docs/phonepe-protocol.md#webhook-auth).
 */
export function webhookAuthorization(username: string, password: string): string {
  return createHash('sha256').update(`${username}:${password}`, 'utf8').digest('hex');
}
