import { describe, expect, it } from 'vitest';
import {
  isOpen,
  PAYMENT_STATES,
  TERMINAL_PAYMENT_STATES,
  isLive,
  SUBSCRIPTION_STATUSES,
} from '../../src/storage/records.js';

describe('isOpen', () => {
  it('is true for created and pending, false for every terminal state', () => {
    const open = PAYMENT_STATES.filter((state) => isOpen({ state }));
    expect(open).toEqual(['created', 'pending']);
    for (const state of TERMINAL_PAYMENT_STATES) expect(isOpen({ state })).toBe(false);
  });
});

describe('isLive', () => {
  it('is true for trialing, active and past_due, false for the final statuses', () => {
    const live = SUBSCRIPTION_STATUSES.filter((status) => isLive({ status }));
    expect(live).toEqual(['trialing', 'active', 'past_due']);
    expect(isLive({ status: 'cancelled' })).toBe(false);
    expect(isLive({ status: 'expired' })).toBe(false);
  });
});
