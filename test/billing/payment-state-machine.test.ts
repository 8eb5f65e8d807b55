import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decidePayment,
  isTerminalPaymentState,
  type PaymentFacts,
  type PaymentSignal,
} from '../../src/billing/payment-state-machine.js';
import type { PaymentState } from '../../src/storage/records/payment-record.js';

const base: PaymentFacts = { state: 'created', amountPaise: 299900, merchantOrderId: 'ord_1', phonepeOrderId: null };
const status = (
  state: string,
  extra: Partial<Extract<PaymentSignal, { type: 'order_status' }>> = {},
): PaymentSignal => ({
  type: 'order_status',
  state,
  amount: 299900,
  merchantOrderId: 'ord_1',
  ...extra,
});

describe('decidePayment', () => {
  it('moves created -> pending when PhonePe accepts the order', () => {
    expect(decidePayment(base, { type: 'order_created', phonepeOrderId: 'OMO1' })).toEqual({
      action: 'transition',
      from: 'created',
      to: 'pending',
      effects: [],
    });
  });

  it('completes a pending payment exactly on COMPLETED, with the completion effect', () => {
    const facts = { ...base, state: 'pending' as const, phonepeOrderId: 'OMO1' };
    expect(decidePayment(facts, status('COMPLETED', { phonepeOrderId: 'OMO1' }))).toEqual({
      action: 'transition',
      from: 'pending',
      to: 'completed',
      effects: ['payment_completed'],
    });
    expect(decidePayment(facts, status('PENDING'))).toEqual({ action: 'none', reason: 'still_pending' });
    expect(decidePayment(facts, status('NOTIFIED'))).toEqual({ action: 'none', reason: 'still_pending' });
  });

  it('tells an expired order from a failed one by PhonePe error codes', () => {
    const facts = { ...base, state: 'pending' as const };
    expect(
      decidePayment(facts, status('FAILED', { errorCode: 'OTHERS', detailedErrorCode: 'INTENT_EXPIRED' })),
    ).toMatchObject({ to: 'expired', effects: ['payment_failed'] });
    expect(
      decidePayment(facts, status('FAILED', { errorCode: 'INSUFFICIENT_BALANCE', detailedErrorCode: 'Z9' })),
    ).toMatchObject({ to: 'failed' });
    expect(decidePayment(base, { type: 'order_rejected', errorCode: 'BAD_REQUEST' })).toMatchObject({ to: 'failed' });
    expect(decidePayment(base, { type: 'abandoned' })).toMatchObject({ to: 'expired' });
  });

  it('refuses a signal whose amount or ids disagree with the stored row, whatever the state', () => {
    const facts = { ...base, state: 'pending' as const, phonepeOrderId: 'OMO1' };
    expect(decidePayment(facts, status('COMPLETED', { amount: 100 }))).toMatchObject({
      action: 'refuse',
      reason: 'amount_mismatch',
    });
    expect(decidePayment(facts, status('COMPLETED', { merchantOrderId: 'ord_2' }))).toMatchObject({
      action: 'refuse',
      reason: 'order_id_mismatch',
    });
    expect(decidePayment(facts, status('COMPLETED', { phonepeOrderId: 'OMO2' }))).toMatchObject({
      action: 'refuse',
      reason: 'order_id_mismatch',
    });
    expect(decidePayment(facts, { type: 'order_created', phonepeOrderId: 'OMO9' })).toMatchObject({
      action: 'refuse',
      reason: 'order_id_mismatch',
    });
  });

  it('never moves a terminal payment; a contradiction is refused as an anomaly', () => {
    const completed = { ...base, state: 'completed' as const };
    expect(decidePayment(completed, status('COMPLETED'))).toEqual({ action: 'none', reason: 'already_terminal' });
    expect(decidePayment(completed, status('PENDING'))).toEqual({ action: 'none', reason: 'already_terminal' });
    expect(decidePayment(completed, status('FAILED'))).toMatchObject({
      action: 'refuse',
      reason: 'contradicts_terminal',
    });
    const failed = { ...base, state: 'failed' as const };
    expect(decidePayment(failed, status('FAILED', { detailedErrorCode: 'INTENT_EXPIRED' }))).toEqual({
      action: 'none',
      reason: 'already_terminal',
    });
    expect(decidePayment(failed, status('COMPLETED'))).toMatchObject({
      action: 'refuse',
      reason: 'contradicts_terminal',
    });
  });

  it("honours PhonePe's order-status API when it says a failed or expired payment was completed", () => {
    for (const state of ['failed', 'expired'] as const) {
      expect(decidePayment({ ...base, state }, status('COMPLETED', { authoritative: true }))).toEqual({
        action: 'transition',
        from: state,
        to: 'completed',
        effects: ['payment_completed'],
        corrected: true,
      });
    }
    // …but never the other way round, and never from a webhook payload alone.
    expect(decidePayment({ ...base, state: 'completed' }, status('FAILED', { authoritative: true }))).toMatchObject({
      action: 'refuse',
      reason: 'contradicts_terminal',
    });
    expect(decidePayment({ ...base, state: 'failed' }, status('COMPLETED', { authoritative: false }))).toMatchObject({
      action: 'refuse',
    });
  });

  it('abandons only a row that never reached PhonePe', () => {
    expect(decidePayment({ ...base, state: 'pending', phonepeOrderId: 'OMO1' }, { type: 'abandoned' })).toEqual({
      action: 'none',
      reason: 'still_pending',
    });
    expect(decidePayment({ ...base, state: 'completed' }, { type: 'abandoned' })).toEqual({
      action: 'none',
      reason: 'already_terminal',
    });
  });
});

const signalArb: fc.Arbitrary<PaymentSignal> = fc.oneof(
  fc.record({ type: fc.constant('order_created' as const), phonepeOrderId: fc.constantFrom('OMO1', 'OMO2') }),
  fc.record({
    type: fc.constant('order_rejected' as const),
    errorCode: fc.constantFrom('BAD_REQUEST', 'INVALID_TRANSACTION_ID'),
  }),
  fc.constant({ type: 'abandoned' as const }),
  fc.record(
    {
      type: fc.constant('order_status' as const),
      state: fc.constantFrom('PENDING', 'COMPLETED', 'FAILED', 'CREATED', 'NOTIFIED', 'SOMETHING_NEW', 'completed'),
      amount: fc.constantFrom(299900, 299900, 299900, 100),
      merchantOrderId: fc.constantFrom('ord_1', 'ord_1', 'ord_2'),
      phonepeOrderId: fc.constantFrom('OMO1', 'OMO2'),
      errorCode: fc.constantFrom(null, 'OTHERS', 'INSUFFICIENT_BALANCE'),
      detailedErrorCode: fc.constantFrom(null, 'INTENT_EXPIRED', 'Z9'),
      authoritative: fc.boolean(),
    },
    { requiredKeys: ['type', 'state'] },
  ),
);

describe('decidePayment properties', () => {
  it('for any sequence of signals: only moves forward, never leaves completed, completes at most once', () => {
    // created < pending < failed/expired < completed: an unpaid terminal state may only become completed,
    // and only when PhonePe's order-status API says so.
    const rank: Record<PaymentState, number> = { created: 0, pending: 1, failed: 2, expired: 2, completed: 3 };
    fc.assert(
      fc.property(fc.array(signalArb, { maxLength: 40 }), (signals) => {
        let facts: PaymentFacts = { ...base };
        let completions = 0;
        for (const signal of signals) {
          const decision = decidePayment(facts, signal);
          if (decision.action !== 'transition') continue;
          expect(decision.from).toBe(facts.state);
          expect(rank[decision.to]).toBeGreaterThan(rank[decision.from]);
          expect(facts.state).not.toBe('completed');
          if (isTerminalPaymentState(facts.state))
            expect(signal.type === 'order_status' && signal.authoritative).toBe(true);
          completions += decision.effects.filter((e) => e === 'payment_completed').length;
          expect(decision.effects.includes('payment_completed')).toBe(decision.to === 'completed');
          const phonepeOrderId =
            signal.type === 'order_created'
              ? signal.phonepeOrderId
              : signal.type === 'order_status'
                ? (signal.phonepeOrderId ?? facts.phonepeOrderId)
                : facts.phonepeOrderId;
          facts = { ...facts, state: decision.to, phonepeOrderId };
        }
        expect(completions).toBeLessThanOrEqual(1);
      }),
      { numRuns: 2000 },
    );
  });

  it('a signal that names another amount or order never changes anything', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<PaymentState>('created', 'pending', 'completed', 'failed', 'expired'),
        signalArb,
        (state, signal) => {
          const decision = decidePayment({ ...base, state, phonepeOrderId: 'OMO1' }, signal);
          const disagrees =
            signal.type === 'order_status' &&
            ((signal.amount !== undefined && signal.amount !== 299900) ||
              (signal.merchantOrderId !== undefined && signal.merchantOrderId !== 'ord_1') ||
              (signal.phonepeOrderId !== undefined && signal.phonepeOrderId !== 'OMO1'));
          if (disagrees) expect(decision.action).toBe('refuse');
        },
      ),
      { numRuns: 2000 },
    );
  });
});
