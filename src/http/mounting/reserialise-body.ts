import { MAX_JSON_DEPTH, valueNestsDeeperThan } from '../../common/json-nesting.js';
import { jsonTooDeepError } from '../read-body.js';

/**
 * The body to hand the billing handler when a framework (or the host's own body parser) already read
 * the request: raw bytes or text pass through; a parsed JSON value is serialised back to JSON.
 *
 * Why a parsed body is acceptable: PhonePe's webhook `Authorization` is SHA-256(username:password),
 * a static credential that does not sign the body, and the manager confirms every webhook with
 * PhonePe's status API before acting. So re-serialising loses nothing that is checked.
 * The raw body is still preferred (it is what was sent, and nothing has to round-trip through JSON).
 * A parsed value nested deeper than `MAX_JSON_DEPTH` is refused (`JSON_TOO_DEEP`) instead of being
 * handed to `JSON.stringify`, which would overflow the stack on it.
 */
export function reserialiseBody(parsed: unknown): string | Uint8Array | undefined {
  if (parsed === undefined || parsed === null) return undefined;
  if (parsed instanceof Uint8Array || typeof parsed === 'string') return parsed;
  if (valueNestsDeeperThan(parsed, MAX_JSON_DEPTH)) throw jsonTooDeepError('The request body');
  return JSON.stringify(parsed);
}
