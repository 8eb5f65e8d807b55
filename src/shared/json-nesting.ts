/**
 * The deepest nesting of arrays and objects the library accepts in JSON: request bodies, webhook
 * bodies and the JSON values a store writes (metadata, audit data, webhook payloads). PhonePe's own
 * payloads nest about six levels; the limit is far above that and far below the depth at which
 * `JSON.stringify`, structured cloning or PostgreSQL's jsonb parser run out of stack.
 *
 * @example
 * if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) refuse();
 */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPENERS = new Set([0x5b, 0x7b]); // [ {
const CLOSERS = new Set([0x5d, 0x7d]); // ] }

/**
 * True when the JSON text opens more than `limit` arrays or objects inside one another. One pass
 * over the characters, no parsing and no recursion, so it is safe on any input, and it runs before
 * anything else looks at the text. Malformed JSON is left for `JSON.parse` to refuse.
 *
 * @example
 * jsonNestsDeeperThan('[[1]]', 1); // true
 * jsonNestsDeeperThan('{"a": "[[[["}', 1); // false: brackets inside strings do not count
 */
export function jsonNestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === BACKSLASH) i++;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) {
      inString = true;
    } else if (OPENERS.has(code)) {
      if (++depth > limit) return true;
    } else if (CLOSERS.has(code)) {
      depth--;
    }
  }
  return false;
}

/**
 * True when an already-parsed value nests arrays or objects more than `limit` levels (the value
 * itself is level 1). Walks with an explicit stack, so it is safe where `JSON.stringify` would
 * overflow — e.g. before re-serialising a body a host's own JSON parser already read.
 *
 * @example
 * valueNestsDeeperThan({ a: [[]] }, 2); // true
 */
export function valueNestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    if (typeof item.value !== 'object' || item.value === null) continue;
    const depth = item.depth + 1;
    if (depth > limit) return true;
    for (const entry of Array.isArray(item.value) ? item.value : Object.values(item.value)) stack.push({ value: entry, depth });
  }
  return false;
}
