import { describe, expect, it } from 'vitest';
import { isLive, SUBSCRIPTION_STATUSES } from '../../../src/storage/records.js';

describe('isLive', () => {
  it('is true for trialing, active and past_due, false for the final statuses', () => {
    const live = SUBSCRIPTION_STATUSES.filter((status) => isLive({ status }));
    expect(live).toEqual(['trialing', 'active', 'past_due']);
    expect(isLive({ status: 'cancelled' })).toBe(false);
    expect(isLive({ status: 'expired' })).toBe(false);
  });
});
