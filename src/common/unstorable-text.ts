import { MAX_JSON_DEPTH } from './json-nesting.js';

/**
 * Why a value cannot be stored: a string with a NUL character (U+0000, which no PostgreSQL `text`
 * or `jsonb` value can hold), a string with a lone UTF-16 surrogate (not Unicode: the driver would
 * silently turn it into U+FFFD in text columns, and jsonb refuses its `\ud800` escape), or arrays and
 * objects nested deeper than `MAX_JSON_DEPTH`.
 */
export type UnstorableProblem = 'nul_character' | 'lone_surrogate' | 'too_deep';

/** Where (a dotted path; `(value)` for the value itself) and what. */
export interface UnstorableValue {
  path: string;
  problem: UnstorableProblem;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding NUL is the point.
const NUL = /\u0000/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The problem with one string, or null when PostgreSQL can store it as it is.
 *
 * @example
 * textProblem('a\u0000b'); // 'nul_character'
 * textProblem('\ud83d');   // 'lone_surrogate' (half of an emoji)
 */
export function textProblem(text: string): Exclude<UnstorableProblem, 'too_deep'> | null {
  if (NUL.test(text)) return 'nul_character';
  if (LONE_SURROGATE.test(text)) return 'lone_surrogate';
  return null;
}

/** A sentence about `problem` at `path`, for error messages. */
export function describeUnstorable({ path, problem }: UnstorableValue, maxDepth = MAX_JSON_DEPTH): string {
  if (problem === 'too_deep') return `${path} nests arrays or objects more than ${maxDepth} levels deep`;
  if (problem === 'nul_character') return `${path} contains a NUL character (U+0000)`;
  return `${path} contains a lone UTF-16 surrogate (half of a character, not valid Unicode)`;
}

// In JSON text a NUL can only be written `\u0000` (a raw control character is not JSON), and a
// surrogate raw or as `\uD800`–`\uDFFF` in any letter case.
const UNSTORABLE_ESCAPE = /\\u0000|\\u[dD][89a-fA-F]/;

/**
 * False when the JSON text `text` cannot hold a string {@link findUnstorableValue} would refuse — no
 * `\u0000` escape, no escaped surrogate, no lone raw surrogate — so the walk over its parsed value
 * can be skipped. True means "walk it" (an escaped backslash before `u0000` is fine but still makes
 * it true). Says nothing about nesting.
 *
 * @example
 * textMayHoldUnstorable('{"a":"b 😀"}');      // false
 * textMayHoldUnstorable('{"a":"\\u0000"}'); // true
 */
export function textMayHoldUnstorable(text: string): boolean {
  if (text.indexOf('\\u') !== -1 && UNSTORABLE_ESCAPE.test(text)) return true;
  return !isWellFormed(text);
}

// String.prototype.isWellFormed (ES2024) where the runtime has it: no lone surrogate in the text.
function isWellFormed(text: string): boolean {
  const native = (text as { isWellFormed?: () => boolean }).isWellFormed;
  return typeof native === 'function' ? native.call(text) : !LONE_SURROGATE.test(text);
}

// Path segments are field names we show back to the caller: odd ones are quoted (and escaped) as JSON.
const PLAIN_SEGMENT = /^[A-Za-z0-9_$-]{1,64}$/;
const segment = (key: string): string => (PLAIN_SEGMENT.test(key) ? key : JSON.stringify(key).slice(0, 66));
const join = (path: string, key: string): string => (path === '' ? segment(key) : `${path}.${segment(key)}`);

/**
 * A string (value or object key) in `value` that PostgreSQL could not store, or a place where arrays
 * and objects nest deeper than `maxDepth` (the value itself is level 1 when it is an array or
 * object); null when there is none. Walks with an explicit stack, never recursion, so any depth is
 * safe to inspect.
 *
 * @example
 * findUnstorableValue({ reason: 'a\u0000' });        // { path: 'reason', problem: 'nul_character' }
 * findUnstorableValue([[[]]], 2);                    // { path: '0.0', problem: 'too_deep' }
 */
export function findUnstorableValue(value: unknown, maxDepth = MAX_JSON_DEPTH): UnstorableValue | null {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: '', depth: 0 }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const at = item.path || '(value)';
    if (typeof item.value === 'string') {
      const problem = textProblem(item.value);
      if (problem) return { path: at, problem };
      continue;
    }
    if (typeof item.value !== 'object' || item.value === null) continue;
    const depth = item.depth + 1;
    if (depth > maxDepth) return { path: at, problem: 'too_deep' };
    const entries = Array.isArray(item.value)
      ? item.value.map((entry, index) => [String(index), entry] as const)
      : Object.entries(item.value);
    // Pushed in reverse so the walk reports problems in document order.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, entry] = entries[i] as readonly [string, unknown];
      const keyProblem = textProblem(key);
      if (keyProblem) return { path: join(item.path, key), problem: keyProblem };
      stack.push({ value: entry, path: join(item.path, key), depth });
    }
  }
  return null;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: replacing NUL is the point.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `text` with what PostgreSQL cannot hold (NUL, a lone surrogate) replaced by U+FFFD. */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE, '\uFFFD');
}

/**
 * `text` cut to `max` UTF-16 units and made storable — in that order: a cut inside a surrogate pair leaves half a
 * character, which no store holds (an error message with an emoji at the cut once made a row unwritable).
 */
export function storableCut(text: string, max: number): string {
  return storableText(text.slice(0, max));
}
