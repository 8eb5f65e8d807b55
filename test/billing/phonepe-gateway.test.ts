import { describe, expect, it } from 'vitest';
import { phonePeMandatePhase, phonePeRefund, phonePeReportedState } from '../../src/billing/phonepe-gateway.js';

// PhonePe's words mapped to the billing core's gateway-neutral terms (src/billing/phonepe-gateway.ts). The
// decisions made on them are pinned in payment-state-machine.test.ts and exercised end to end elsewhere.
describe('PhonePe’s words in the billing core’s terms', () => {
  it('PhonePe’s words: COMPLETED, FAILED (expired by its expiry codes), everything else in progress', () => {
    expect(phonePeReportedState('COMPLETED', null, null)).toBe('completed');
    expect(phonePeReportedState('completed', null, null)).toBe('completed');
    expect(phonePeReportedState('FAILED', 'INSUFFICIENT_BALANCE', 'Z9')).toBe('failed');
    expect(phonePeReportedState('FAILED', 'OTHERS', 'INTENT_EXPIRED')).toBe('expired');
    expect(phonePeReportedState('FAILED', 'TXN_EXPIRED', null)).toBe('expired');
    expect(phonePeReportedState('EXPIRED', null, null)).toBe('expired');
    for (const state of ['PENDING', 'CREATED', 'NOTIFICATION_IN_PROGRESS', 'NOTIFIED', 'SOMETHING_NEW'])
      expect(phonePeReportedState(state, 'OTHERS', 'INTENT_EXPIRED')).toBe('pending');
  });

  it('PhonePe’s mandate words by phase: only ACTIVE is debitable; REVOKED, CANCELLED, EXPIRED never come back', () => {
    expect(
      [
        'ACTIVE',
        'active',
        'PAUSED',
        'CANCEL_IN_PROGRESS',
        'REVOKED',
        'CANCELLED',
        'EXPIRED',
        'FAILED',
        'PENDING',
        'NEW',
      ].map(phonePeMandatePhase),
    ).toEqual(['active', 'active', 'paused', 'cancelling', 'ended', 'ended', 'ended', 'failed', 'pending', 'pending']);
  });

  it('refund states: PENDING → CONFIRMED → COMPLETED | FAILED; a word we do not know changes nothing', () => {
    expect(
      ['PENDING', 'confirmed', 'COMPLETED', 'FAILED', 'REVERSED'].map((state) => phonePeRefund({ state }).reported),
    ).toEqual(['pending', 'confirmed', 'completed', 'failed', null]);
    expect(phonePeRefund({ state: 'FAILED', refundId: 'OMR1', errorCode: 'X' })).toEqual({
      reported: 'failed',
      gatewayState: 'FAILED',
      gatewayRefundId: 'OMR1',
      errorCode: 'X',
    });
  });
});
