import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decidePayment,
  isTerminalPaymentState,
  type PaymentFacts,
  type PaymentSignal,
} from '../../src/billing/payment-state-machine.js';
import { signalFromCheckout } from '../../src/billing/payment-gateway.js';
import { phonePeCreated, phonePeSignal } from '../../src/billing/phonepe-gateway.js';

const signalFromCreated = (created: { orderId: string; state: string }) => signalFromCheckout(phonePeCreated(created));
import type { OrderStatus } from '../../src/client/responses.js';
import { PAYMENT_STATES, type PaymentState } from '../../src/storage/records.js';

/** What a PhonePe order status says, as PhonePe's answers carry it. */
interface PhonePeClaim {
  amount?: number;
  merchantOrderId?: string;
  phonepeOrderId?: string;
  errorCode?: string | null;
  detailedErrorCode?: string | null;
  /** Read from the order-status API (the judge), not a webhook payload. */
  authoritative?: boolean;
}

// The machine takes gateway-neutral signals; these tests feed it PhonePe's states through PhonePe's own
// translation (phonePeSignal / phonePeCreated), so the pinned decisions pin what PhonePe's words do.
const phonePeStatus = (state: string, { authoritative = false, phonepeOrderId, ...rest }: PhonePeClaim) =>
  phonePeSignal(
    { state, ...rest, ...(phonepeOrderId ? { orderId: phonepeOrderId } : {}) } as OrderStatus,
    authoritative,
  );

const base: PaymentFacts = { state: 'created', amountPaise: 299900, merchantOrderId: 'ord_1', phonepeOrderId: null };
const status = (state: string, extra: PhonePeClaim = {}): PaymentSignal =>
  phonePeStatus(state, { amount: 299900, merchantOrderId: 'ord_1', ...extra });

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

// Every (state, signal) pair and today's decision, written out by hand (not derived from the code under test)
// so a refactor of decidePayment cannot change a single decision unnoticed. One representative signal per
// distinct shape: each create outcome, a rejection, abandonment, each PhonePe order state from a webhook
// payload and from the order-status API (authoritative), and signals that disagree with the stored row.
describe('decidePayment: every (state, signal) pair', () => {
  const stored: Omit<PaymentFacts, 'state'> = { amountPaise: 299900, merchantOrderId: 'ord_1', phonepeOrderId: 'OMO1' };
  const order = (state: string, extra: PhonePeClaim = {}): PaymentSignal =>
    phonePeStatus(state, { amount: 299900, merchantOrderId: 'ord_1', phonepeOrderId: 'OMO1', ...extra });
  const judge = { authoritative: true } as const;
  const signals: Record<string, PaymentSignal> = {
    created: { type: 'order_created', phonepeOrderId: 'OMO1' },
    created_COMPLETED: signalFromCreated({ orderId: 'OMO1', state: 'COMPLETED' }),
    created_FAILED: signalFromCreated({ orderId: 'OMO1', state: 'FAILED' }),
    created_EXPIRED: signalFromCreated({ orderId: 'OMO1', state: 'EXPIRED' }),
    rejected: { type: 'order_rejected', errorCode: 'BAD_REQUEST' },
    abandoned: { type: 'abandoned' },
    PENDING: order('PENDING'),
    PENDING_judge: order('PENDING', judge),
    NOTIFIED: order('NOTIFIED'),
    SOMETHING_NEW: order('SOMETHING_NEW'),
    COMPLETED: order('COMPLETED'),
    completed_lowercase: order('completed'),
    COMPLETED_judge: order('COMPLETED', judge),
    FAILED: order('FAILED', { errorCode: 'INSUFFICIENT_BALANCE' }),
    FAILED_judge: order('FAILED', { errorCode: 'INSUFFICIENT_BALANCE', ...judge }),
    FAILED_expiry: order('FAILED', { errorCode: 'OTHERS', detailedErrorCode: 'INTENT_EXPIRED' }),
    FAILED_expiry_judge: order('FAILED', { errorCode: 'TXN_EXPIRED', ...judge }),
    EXPIRED: order('EXPIRED'),
    COMPLETED_other_amount: order('COMPLETED', { amount: 100, ...judge }),
    COMPLETED_other_merchant_order: order('COMPLETED', { merchantOrderId: 'ord_2', ...judge }),
    COMPLETED_other_phonepe_order: order('COMPLETED', { phonepeOrderId: 'OMO2', ...judge }),
    created_other_phonepe_order: { type: 'order_created', phonepeOrderId: 'OMO2' },
  };
  // The decisions, minus `from` (always the stored state) and the refusal `detail` (a message).
  const toPending = { action: 'transition', to: 'pending', effects: [] };
  const toCompleted = { action: 'transition', to: 'completed', effects: ['payment_completed'] };
  const corrected = { action: 'transition', to: 'completed', effects: ['payment_completed'], corrected: true };
  const toFailed = { action: 'transition', to: 'failed', effects: ['payment_failed'] };
  const toExpired = { action: 'transition', to: 'expired', effects: ['payment_failed'] };
  const stillPending = { action: 'none', reason: 'still_pending' };
  const terminal = { action: 'none', reason: 'already_terminal' };
  const contradicts = { action: 'refuse', reason: 'contradicts_terminal' };
  const amountMismatch = { action: 'refuse', reason: 'amount_mismatch' };
  const idMismatch = { action: 'refuse', reason: 'order_id_mismatch' };
  // biome-ignore format: a table, aligned by column
  const expected: Record<string, Record<PaymentState, object>> = {
    created:                        { created: toPending,   pending: stillPending, completed: terminal,    failed: terminal,    expired: terminal },
    created_COMPLETED:              { created: toCompleted, pending: toCompleted,  completed: terminal,    failed: contradicts, expired: contradicts },
    created_FAILED:                 { created: toFailed,    pending: toFailed,     completed: contradicts, failed: terminal,    expired: terminal },
    created_EXPIRED:                { created: toExpired,   pending: toExpired,    completed: contradicts, failed: terminal,    expired: terminal },
    rejected:                       { created: toFailed,    pending: toFailed,     completed: contradicts, failed: terminal,    expired: terminal },
    abandoned:                      { created: toExpired,   pending: stillPending, completed: terminal,    failed: terminal,    expired: terminal },
    PENDING:                        { created: toPending,   pending: stillPending, completed: terminal,    failed: terminal,    expired: terminal },
    PENDING_judge:                  { created: toPending,   pending: stillPending, completed: terminal,    failed: terminal,    expired: terminal },
    NOTIFIED:                       { created: toPending,   pending: stillPending, completed: terminal,    failed: terminal,    expired: terminal },
    SOMETHING_NEW:                  { created: toPending,   pending: stillPending, completed: terminal,    failed: terminal,    expired: terminal },
    COMPLETED:                      { created: toCompleted, pending: toCompleted,  completed: terminal,    failed: contradicts, expired: contradicts },
    completed_lowercase:            { created: toCompleted, pending: toCompleted,  completed: terminal,    failed: contradicts, expired: contradicts },
    COMPLETED_judge:                { created: toCompleted, pending: toCompleted,  completed: terminal,    failed: corrected,   expired: corrected },
    FAILED:                         { created: toFailed,    pending: toFailed,     completed: contradicts, failed: terminal,    expired: terminal },
    FAILED_judge:                   { created: toFailed,    pending: toFailed,     completed: contradicts, failed: terminal,    expired: terminal },
    FAILED_expiry:                  { created: toExpired,   pending: toExpired,    completed: contradicts, failed: terminal,    expired: terminal },
    FAILED_expiry_judge:            { created: toExpired,   pending: toExpired,    completed: contradicts, failed: terminal,    expired: terminal },
    EXPIRED:                        { created: toExpired,   pending: toExpired,    completed: contradicts, failed: terminal,    expired: terminal },
    COMPLETED_other_amount:         { created: amountMismatch, pending: amountMismatch, completed: amountMismatch, failed: amountMismatch, expired: amountMismatch },
    COMPLETED_other_merchant_order: { created: idMismatch,  pending: idMismatch,   completed: idMismatch,  failed: idMismatch,  expired: idMismatch },
    COMPLETED_other_phonepe_order:  { created: idMismatch,  pending: idMismatch,   completed: idMismatch,  failed: idMismatch,  expired: idMismatch },
    created_other_phonepe_order:    { created: idMismatch,  pending: idMismatch,   completed: idMismatch,  failed: idMismatch,  expired: idMismatch },
  };

  it('lists every signal and every state', () => {
    expect(Object.keys(expected)).toEqual(Object.keys(signals));
    for (const row of Object.values(expected)) expect(Object.keys(row).sort()).toEqual([...PAYMENT_STATES].sort());
  });

  for (const [name, signal] of Object.entries(signals)) {
    for (const state of PAYMENT_STATES) {
      it(`${state} + ${name}`, () => {
        const want = expected[name]![state] as { action: string };
        const decision = decidePayment({ ...stored, state }, signal);
        if (want.action === 'transition') expect(decision).toEqual({ ...want, from: state });
        else if (want.action === 'refuse') expect(decision).toEqual({ ...want, detail: expect.any(String) });
        else expect(decision).toEqual(want);
      });
    }
  }

  it('refuses a contradiction of a terminal row naming the payment, its state and what PhonePe reported', () => {
    expect(decidePayment({ ...stored, state: 'completed' }, signals.FAILED!)).toEqual({
      ...contradicts,
      detail: 'payment ord_1 is completed but PhonePe now reports state FAILED',
    });
    expect(decidePayment({ ...stored, state: 'completed' }, signals.rejected!)).toEqual({
      ...contradicts,
      detail: 'payment ord_1 is completed but PhonePe now reports a rejected create (BAD_REQUEST)',
    });
    expect(decidePayment({ ...stored, state: 'failed' }, signals.created_COMPLETED!)).toEqual({
      ...contradicts,
      detail: 'payment ord_1 is failed but PhonePe now reports a newly created order',
    });
  });

  it('matches a PhonePe order id only once one is stored', () => {
    const unsent = { ...stored, state: 'created' as const, phonepeOrderId: null };
    expect(decidePayment(unsent, signals.created_other_phonepe_order!)).toEqual({ ...toPending, from: 'created' });
    expect(decidePayment(unsent, signals.COMPLETED_other_phonepe_order!)).toEqual({ ...toCompleted, from: 'created' });
  });
});

const signalArb: fc.Arbitrary<PaymentSignal> = fc.oneof(
  fc.record({ type: fc.constant('order_created' as const), phonepeOrderId: fc.constantFrom('OMO1', 'OMO2') }),
  fc.record({
    type: fc.constant('order_rejected' as const),
    errorCode: fc.constantFrom('BAD_REQUEST', 'INVALID_TRANSACTION_ID'),
  }),
  fc.constant({ type: 'abandoned' as const }),
  fc
    .record(
      {
        state: fc.constantFrom('PENDING', 'COMPLETED', 'FAILED', 'CREATED', 'NOTIFIED', 'SOMETHING_NEW', 'completed'),
        amount: fc.constantFrom(299900, 299900, 299900, 100),
        merchantOrderId: fc.constantFrom('ord_1', 'ord_1', 'ord_2'),
        phonepeOrderId: fc.constantFrom('OMO1', 'OMO2'),
        errorCode: fc.constantFrom(null, 'OTHERS', 'INSUFFICIENT_BALANCE'),
        detailedErrorCode: fc.constantFrom(null, 'INTENT_EXPIRED', 'Z9'),
        authoritative: fc.boolean(),
      },
      { requiredKeys: ['state'] },
    )
    .map(({ state, ...claim }) => phonePeStatus(state, claim)),
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

describe('the machine speaks no gateway’s language', () => {
  it('decides on the reported state alone: a gateway maps its own words to it', () => {
    const pending = { ...base, state: 'pending' as const };
    const reported = (state: 'pending' | 'completed' | 'failed' | 'expired'): PaymentSignal => ({
      type: 'order_status',
      reported: state,
      amount: 299900,
    });
    expect(decidePayment(pending, reported('completed'))).toMatchObject({ to: 'completed' });
    expect(decidePayment(pending, reported('expired'))).toMatchObject({ to: 'expired', effects: ['payment_failed'] });
    expect(decidePayment(pending, reported('pending'))).toEqual({ action: 'none', reason: 'still_pending' });
    expect(decidePayment({ ...base, state: 'completed' }, reported('failed'))).toMatchObject({
      action: 'refuse',
      reason: 'contradicts_terminal',
    });
  });
});
