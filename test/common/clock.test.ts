import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/common/clock.js';
import { defaultIdGenerator } from '../../src/common/id-generator.js';

describe('createManualClock', () => {
  it('moves only when told, never backwards', () => {
    const clock = createManualClock(1_000);
    expect(clock.now()).toBe(1_000);
    clock.advance(500);
    expect(clock.now()).toBe(1_500);
    clock.set(2_000);
    expect(clock.now()).toBe(2_000);
    expect(() => clock.set(1_999)).toThrow(/backwards/);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });
});

describe('defaultIdGenerator', () => {
  it('makes unique ids that PhonePe accepts as merchant ids', () => {
    const ids = new Set(Array.from({ length: 2_000 }, () => defaultIdGenerator('ord')));
    expect(ids.size).toBe(2_000);
    for (const id of ids) expect(id).toMatch(/^ord_[a-z0-9]{20,}$/);
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(63);
  });
});
