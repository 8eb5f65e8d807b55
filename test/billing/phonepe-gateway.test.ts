import { describe, expect, it } from 'vitest';
import {
  phonePeFailure,
  phonePeMandatePhase,
  phonePeRefund,
  phonePeReportedState,
} from '../../src/billing/phonepe-gateway.js';
import {
  PhonePeBadRequestError,
  PhonePeConflictError,
  PhonePeOutcomeUnknownError,
  PhonePeServerError,
} from '../../src/client/errors.js';
import { StoreUnavailableError } from '../../src/storage/errors.js';

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

  it('failures: an explicit refusal, a lost answer (with the order the lookup found), PhonePe down, the rest', () => {
    const refused = new PhonePeBadRequestError({
      message: 'bad',
      code: 'BAD_REQUEST',
      status: 400,
      phonePeMessage: 'no',
    });
    expect(phonePeFailure(refused)).toEqual({
      kind: 'refused',
      code: 'BAD_REQUEST',
      gatewayMessage: 'no',
      existing: null,
    });
    const down = new PhonePeServerError({
      message: 'down',
      code: 'INTERNAL_SERVER_ERROR',
      status: 503,
      retryable: true,
    });
    expect(phonePeFailure(down)).toMatchObject({ kind: 'unavailable', code: 'INTERNAL_SERVER_ERROR' });
    const lost = new PhonePeOutcomeUnknownError({
      message: 'lost',
      operation: 'pay',
      merchantOrderId: 'ord_1',
      created: true,
      existing: { orderId: 'OMO1', state: 'PENDING', amount: 29_900, merchantOrderId: 'ord_1' } as never,
      cause: down,
    });
    expect(phonePeFailure(lost)).toMatchObject({
      kind: 'outcome_unknown',
      existing: { gatewayOrderId: 'OMO1', reported: 'pending', amountPaise: 29_900, merchantOrderId: 'ord_1' },
    });
    expect(
      phonePeFailure(new PhonePeOutcomeUnknownError({ message: 'x', operation: 'pay', created: null, cause: down })),
    ).toMatchObject({ kind: 'outcome_unknown', existing: null });
    // "Already used" that the client's lookup did not explain: neither a refusal nor retryable.
    const duplicate = new PhonePeConflictError({ message: 'dup', code: 'DUPLICATE_REQUEST_ID', status: 409 });
    expect(phonePeFailure(duplicate)).toMatchObject({ kind: 'unexpected', code: 'DUPLICATE_REQUEST_ID' });
    expect(phonePeFailure(new StoreUnavailableError('db down'))).toBeNull();
    expect(phonePeFailure(new Error('bug'))).toBeNull();
  });
});
