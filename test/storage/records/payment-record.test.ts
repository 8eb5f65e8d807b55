import { describe, expect, it } from 'vitest';
import { isOpen, PAYMENT_STATES, TERMINAL_PAYMENT_STATES } from '../../../src/storage/records.js';

describe('isOpen', () => {
  it('is true for created and pending, false for every terminal state', () => {
    const open = PAYMENT_STATES.filter((state) => isOpen({ state }));
    expect(open).toEqual(['created', 'pending']);
    for (const state of TERMINAL_PAYMENT_STATES) expect(isOpen({ state })).toBe(false);
  });
});
