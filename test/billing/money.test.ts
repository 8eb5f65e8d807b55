import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPaise, formatRupeesForDisplay, parseRupeeAmount } from '../../src/billing/money.js';

describe('parseRupeeAmount', () => {
  it.each([
    ['2999.00', 299900],
    ['2999', 299900],
    ['2999.5', 299950],
    ['0.01', 1],
    ['0', 0],
    [2999, 299900],
    [2999.99, 299999],
    [0.07, 7],
    [1.1, 110],
  ])('parses %j as %i paise', (input, paise) => {
    expect(parseRupeeAmount(input)).toEqual({ ok: true, paise });
  });

  it.each([
    ['2999.001', 'too_many_decimals'],
    [0.1 + 0.2, 'too_many_decimals'],
    ['-1.00', 'negative'],
    [-5, 'negative'],
    ['1e3', 'not_a_decimal'],
    [1e21, 'not_a_decimal'],
    ['', 'not_a_decimal'],
    [' 1.00', 'not_a_decimal'],
    ['1,000.00', 'not_a_decimal'],
    ['.5', 'not_a_decimal'],
    ['1.', 'not_a_decimal'],
    ['0x10', 'not_a_decimal'],
    ['१००', 'not_a_decimal'],
    [Number.NaN, 'not_a_decimal'],
    [Number.POSITIVE_INFINITY, 'not_a_decimal'],
    [null, 'not_a_decimal'],
    [{ amount: 1 }, 'not_a_decimal'],
    ['99999999999999999999.00', 'too_large'],
  ])('refuses %j (%s)', (input, problem) => {
    const result = parseRupeeAmount(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem).toBe(problem);
      expect(result.message).toMatch(/amount/);
    }
  });

  it('property: every integer paise value round-trips through its rupee string, exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (paise) => {
        expect(parseRupeeAmount(formatPaise(paise))).toEqual({ ok: true, paise });
      }),
    );
  });

  it('property: a JSON number with ≤ 2 decimals parses to exactly the paise its digits say', () => {
    // Up to ₹10^13 (15 significant digits with the paise): the range where a double keeps the digits.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_000_000_000 - 1 }), (paise) => {
        const json = formatPaise(paise);
        expect(parseRupeeAmount(JSON.parse(json))).toEqual({ ok: true, paise });
      }),
    );
  });

  it('property: anything accepted is a safe integer that formats back to the same value', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.double(), fc.stringMatching(/^-?\d{0,20}(\.\d{0,4})?$/)), (input) => {
        const result = parseRupeeAmount(input);
        if (!result.ok) return;
        expect(Number.isSafeInteger(result.paise)).toBe(true);
        expect(result.paise).toBeGreaterThanOrEqual(0);
        expect(parseRupeeAmount(formatPaise(result.paise))).toEqual(result);
        // What was accepted denotes exactly that many paise: compare as decimal strings, no floats.
        const text = typeof input === 'number' ? String(input) : input;
        const [whole, fraction = ''] = text.split('.');
        expect(BigInt(whole!) * 100n + BigInt(fraction.padEnd(2, '0') || '0')).toBe(BigInt(result.paise));
      }),
    );
  });
});

describe('formatPaise / formatRupeesForDisplay', () => {
  it('formats with exactly two places and Indian grouping', () => {
    expect(formatPaise(299900)).toBe('2999.00');
    expect(formatPaise(5)).toBe('0.05');
    expect(formatPaise(-150)).toBe('-1.50');
    expect(formatRupeesForDisplay(299900)).toBe('₹2,999.00');
    expect(formatRupeesForDisplay(10_000_000)).toBe('₹1,00,000.00');
    expect(formatRupeesForDisplay(1_234_567_890)).toBe('₹1,23,45,678.90');
    expect(formatRupeesForDisplay(99)).toBe('₹0.99');
    expect(() => formatPaise(1.5)).toThrow(RangeError);
  });
});
