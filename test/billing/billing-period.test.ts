import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addIntervals, daysUntil, nextPeriod } from '../../src/billing/billing-period.js';
import { prorateUpgrade } from '../../src/billing/money.js';

describe('addIntervals / nextPeriod', () => {
  it('keeps the anchor day, clamping to short months without drifting', () => {
    const jan31 = Date.UTC(2026, 0, 31, 10, 30);
    expect(new Date(addIntervals(jan31, 'month', 1)).toISOString()).toBe('2026-02-28T10:30:00.000Z');
    expect(new Date(addIntervals(jan31, 'month', 2)).toISOString()).toBe('2026-03-31T10:30:00.000Z');
    expect(new Date(addIntervals(Date.UTC(2028, 0, 31), 'month', 1)).toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(new Date(addIntervals(Date.UTC(2028, 1, 29), 'year', 1)).toISOString()).toBe('2029-02-28T00:00:00.000Z');
    expect(new Date(addIntervals(Date.UTC(2026, 10, 15), 'month', 2)).toISOString()).toBe('2027-01-15T00:00:00.000Z');
    const p = nextPeriod({ anchorMs: jan31, periodEndMs: addIntervals(jan31, 'month', 1) }, 'month');
    expect(new Date(p.start).toISOString()).toBe('2026-02-28T10:30:00.000Z');
    expect(new Date(p.end).toISOString()).toBe('2026-03-31T10:30:00.000Z');
  });

  it('property: periods are contiguous, strictly increasing and between 28 and 31 days for months', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2090, 0, 1) }),
        fc.integer({ min: 1, max: 40 }),
        (anchor, n) => {
          let end = addIntervals(anchor, 'month', 1);
          for (let i = 0; i < n; i++) {
            const next = nextPeriod({ anchorMs: anchor, periodEndMs: end }, 'month');
            expect(next.start).toBe(end);
            const days = (next.end - next.start) / 86_400_000;
            expect(days).toBeGreaterThanOrEqual(28);
            expect(days).toBeLessThanOrEqual(31);
            end = next.end;
          }
        },
      ),
    );
  });

  it('counts days up', () => {
    expect(daysUntil(0, 1)).toBe(1);
    expect(daysUntil(0, 86_400_000)).toBe(1);
    expect(daysUntil(5, 5)).toBe(0);
  });
});

describe('prorateUpgrade', () => {
  it('charges the price difference for the unused share of the period', () => {
    expect(
      prorateUpgrade({ currentPricePaise: 99900, newPricePaise: 299900, periodStart: 0, periodEnd: 100, now: 50 }),
    ).toBe(100000);
    expect(
      prorateUpgrade({ currentPricePaise: 99900, newPricePaise: 299900, periodStart: 0, periodEnd: 100, now: 0 }),
    ).toBe(200000);
    expect(
      prorateUpgrade({ currentPricePaise: 99900, newPricePaise: 299900, periodStart: 0, periodEnd: 100, now: 100 }),
    ).toBe(0);
    expect(
      prorateUpgrade({ currentPricePaise: 299900, newPricePaise: 99900, periodStart: 0, periodEnd: 100, now: 10 }),
    ).toBe(0);
    // 1 paisa × 1/3 → 0.33 → 0; 2 × 1/3 → 0.67 → 1 (half up)
    expect(prorateUpgrade({ currentPricePaise: 0, newPricePaise: 1, periodStart: 0, periodEnd: 3, now: 2 })).toBe(0);
    expect(prorateUpgrade({ currentPricePaise: 0, newPricePaise: 2, periodStart: 0, periodEnd: 3, now: 2 })).toBe(1);
    expect(() =>
      prorateUpgrade({ currentPricePaise: 0.5, newPricePaise: 2, periodStart: 0, periodEnd: 3, now: 2 }),
    ).toThrow(RangeError);
  });

  it('property: never more than the full difference, never negative, monotone in time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 1, max: 400 * 86_400_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (a, b, length, share) => {
          const now = Math.floor(length * share);
          const amount = prorateUpgrade({
            currentPricePaise: a,
            newPricePaise: b,
            periodStart: 0,
            periodEnd: length,
            now,
          });
          expect(Number.isSafeInteger(amount)).toBe(true);
          expect(amount).toBeGreaterThanOrEqual(0);
          expect(amount).toBeLessThanOrEqual(Math.max(b - a, 0));
          const later = prorateUpgrade({
            currentPricePaise: a,
            newPricePaise: b,
            periodStart: 0,
            periodEnd: length,
            now: Math.min(now + 1000, length),
          });
          expect(later).toBeLessThanOrEqual(amount);
        },
      ),
    );
  });
});
