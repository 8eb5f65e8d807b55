/**
 * Makes ids for rows and PhonePe merchant ids. Injectable so tests get predictable ids.
 * Results must be unique, at most 63 characters, and use only `[A-Za-z0-9_-]`
 * (PhonePe's rule for `merchantOrderId` / `merchantRefundId`, docs/phonepe-protocol.md#conventions).
 *
 * @example
 * const ids: IdGenerator = (prefix) => `${prefix}_${crypto.randomUUID().replaceAll('-', '')}`;
 */
export type IdGenerator = (prefix: string) => string;

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * The default generator: `<prefix>_<time base36><16 random base36 chars>`, sortable by creation
 * time and collision-resistant (Web Crypto randomness, no `node:` import).
 */
export const defaultIdGenerator: IdGenerator = (prefix) => {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  let random = '';
  for (const byte of bytes) random += ALPHABET[byte % ALPHABET.length];
  return `${prefix}_${Date.now().toString(36)}${random}`;
};
