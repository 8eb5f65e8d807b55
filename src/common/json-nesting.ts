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
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

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
  // Text with no more brackets than the limit, strings included, cannot nest deeper: counted with
  // native searches, that settles every ordinary body without reading it character by character.
  if (countUpTo(text, '[', limit + 1) + countUpTo(text, '{', limit + 1) <= limit) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      i = closingQuote(text, i);
      if (i < 0) return false;
    } else if (code === OPEN_ARRAY || code === OPEN_OBJECT) {
      if (++depth > limit) return true;
    } else if (code === CLOSE_ARRAY || code === CLOSE_OBJECT) {
      depth--;
    }
  }
  return false;
}

// How many times `char` occurs in `text`, counting no further than `max`.
function countUpTo(text: string, char: string, max: number): number {
  let count = 0;
  for (let at = text.indexOf(char); at !== -1 && count < max; at = text.indexOf(char, at + 1)) count++;
  return count;
}

// The index of the quote that ends the string opened at `open`, or -1 when it never ends. A quote
// after an odd run of backslashes is escaped. indexOf jumps over the string's text natively.
function closingQuote(text: string, open: number): number {
  let quote = text.indexOf('"', open + 1);
  while (quote > 0) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
    quote = text.indexOf('"', quote + 1);
  }
  return -1;
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
    for (const entry of Array.isArray(item.value) ? item.value : Object.values(item.value))
      stack.push({ value: entry, depth });
  }
  return false;
}
