import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonNestsDeeperThan } from '../../src/common/json-nesting.js';
import { findUnstorableValue, textMayHoldUnstorable } from '../../src/common/unstorable-text.js';

// The rule jsonNestsDeeperThan implements, read one character at a time: brackets outside strings
// count, a backslash in a string escapes the next character.
function nestsDeeperByTheRule(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '[' || char === '{') {
      if (++depth > limit) return true;
    } else if (char === ']' || char === '}') depth--;
  }
  return false;
}

describe('jsonNestsDeeperThan', () => {
  it('agrees with the character-by-character rule on any mix of brackets, quotes and backslashes', () => {
    const text = fc
      .array(fc.constantFrom('[', ']', '{', '}', '"', '\\', 'a', ',', ':'), { maxLength: 60 })
      .map((chars) => chars.join(''));
    fc.assert(
      fc.property(
        text,
        fc.integer({ min: 0, max: 6 }),
        (t, limit) => jsonNestsDeeperThan(t, limit) === nestsDeeperByTheRule(t, limit),
      ),
      { numRuns: 20_000, seed: 11 },
    );
    fc.assert(
      fc.property(
        fc.jsonValue().map((v) => JSON.stringify(v)),
        fc.integer({ min: 0, max: 6 }),
        (t, limit) => jsonNestsDeeperThan(t, limit) === nestsDeeperByTheRule(t, limit),
      ),
      { numRuns: 5_000, seed: 12 },
    );
  });

  it('counts depth, not brackets: many siblings are shallow, and brackets in strings are text', () => {
    expect(jsonNestsDeeperThan(`[${'[],'.repeat(500)}[]]`, 2)).toBe(false);
    expect(jsonNestsDeeperThan(`{"a":"${'['.repeat(500)}\\"${'{'.repeat(500)}"}`, 1)).toBe(false);
    expect(jsonNestsDeeperThan(`{"a":"\\\\"${'['.repeat(3)}`, 3)).toBe(true);
    expect(jsonNestsDeeperThan('['.repeat(65) + ']'.repeat(65), 64)).toBe(true);
    expect(jsonNestsDeeperThan('['.repeat(64) + ']'.repeat(64), 64)).toBe(false);
  });
});

describe('textMayHoldUnstorable', () => {
  it('is true whenever the parsed value holds a NUL or a lone surrogate in a key or a string', () => {
    const odd = fc
      .array(fc.constantFrom('\u0000', '\ud800', '\udfff', '\ud83d\ude00', 'a', '\\', 'u', '"'), { maxLength: 4 })
      .map((chars) => chars.join(''));
    let unstorable = 0;
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), odd, (value, text) => {
        const json = JSON.stringify({ value, text, [text]: 1 });
        const found = findUnstorableValue(JSON.parse(json), 1_000);
        if (found === null) return true;
        unstorable += 1;
        return textMayHoldUnstorable(json);
      }),
      { numRuns: 5_000, seed: 13 },
    );
    expect(unstorable).toBeGreaterThan(1_000);
  });

  it('is false for ordinary text, emoji included, and true for escapes of NUL and surrogates in any case', () => {
    expect(textMayHoldUnstorable('{"a":"b","c":[1,2]}')).toBe(false);
    expect(textMayHoldUnstorable('{"a":"😀"}')).toBe(false);
    expect(textMayHoldUnstorable('{"a":"\\n\\u00e9"}')).toBe(false);
    for (const sequence of ['\\u0000', '\\ud800', '\\uDC00', '\\uDbFf'])
      expect(textMayHoldUnstorable(`{"a":"${sequence}"}`)).toBe(true);
    expect(textMayHoldUnstorable('{"a":"\ud800"}')).toBe(true);
  });
});
