import { TERMINAL_PAYMENT_STATES, type PaymentState } from '../storage/records/payment-record.js';

/** Where a settlement signal came from. All of them go through {@link decidePayment}. */
export const SIGNAL_SOURCES = ['create', 'webhook', 'redirect', 'refresh', 'reconcile', 'renewal'] as const;
export type SignalSource = (typeof SIGNAL_SOURCES)[number];

/** The stored facts a decision depends on. */
export interface PaymentFacts {
  state: PaymentState;
  amountPaise: number;
  merchantOrderId: string;
  phonepeOrderId: string | null;
}

/**
 * Something that may move a payment:
 * - `order_created`: PhonePe accepted the create call (checkout, mandate setup or pre-debit notice);
 * - `order_rejected`: PhonePe refused the create call for good (a 4xx), so no order exists;
 * - `order_status`: PhonePe's view of the order — from a webhook payload, or (`authoritative: true`)
 *   from PhonePe's order-status API, the judge when signals disagree (docs/architecture.md);
 * - `abandoned`: our row never reached PhonePe (e.g. a crash before the call) and PhonePe confirms it
 *   has no such order, after the order could have expired. Only a `created` row can be abandoned: a
 *   `pending` one has reached PhonePe.
 */
export type PaymentSignal =
  | { type: 'order_created'; phonepeOrderId: string; state?: string }
  | { type: 'order_rejected'; errorCode: string }
  | {
      type: 'order_status';
      state: string;
      amount?: number;
      merchantOrderId?: string;
      phonepeOrderId?: string;
      errorCode?: string | null;
      detailedErrorCode?: string | null;
      /** True when read from PhonePe's order-status API (not a webhook payload). */
      authoritative?: boolean;
    }
  | { type: 'abandoned' };

/** What the caller must do after a transition, inside the same store transaction. */
export type PaymentEffect = 'payment_completed' | 'payment_failed';

export type PaymentDecision =
  | { action: 'transition'; from: PaymentState; to: PaymentState; effects: PaymentEffect[]; corrected?: true }
  | { action: 'none'; reason: 'already_terminal' | 'still_pending' }
  | { action: 'refuse'; reason: 'amount_mismatch' | 'order_id_mismatch' | 'contradicts_terminal'; detail: string };

const TERMINAL: ReadonlySet<PaymentState> = new Set(TERMINAL_PAYMENT_STATES);

// An order that failed because nobody paid before expireAfter ran out is "expired", not "failed".
// PhonePe reports it as FAILED with e.g. errorCode OTHERS / detailedErrorCode INTENT_EXPIRED
// (docs/phonepe-protocol.md#order-status order states); the codes below are the ones documented for expiry.
const EXPIRY_CODES: ReadonlySet<string> = new Set(['INTENT_EXPIRED', 'ORDER_EXPIRED', 'EXPIRED', 'TXN_EXPIRED']);

/** Whether a payment state is terminal (never changes again). */
export function isTerminalPaymentState(state: PaymentState): boolean {
  return TERMINAL.has(state);
}

/**
 * The payment state machine: one pure function, used by every signal (create, webhook, redirect,
 * status refresh, reconciliation, renewals). `created -> pending -> completed | failed | expired`;
 * a completed payment never changes; a failed or expired one changes only when PhonePe's order-status API
 * (the judge) reports it COMPLETED — the money was taken, so it is honoured (`corrected`); any other
 * contradiction of a terminal row is refused as an anomaly (the caller audits it). A signal whose amount
 * or order id disagrees with the stored row is refused. Only a transition into `completed` carries
 * `payment_completed`, and `completed` is never left, so a payment can activate or extend a subscription
 * at most once (the caller applies it with a compare-and-set on the state).
 *
 * @example
 * decidePayment({ state: 'pending', amountPaise: 299900, merchantOrderId: 'ord_1', phonepeOrderId: 'OMO1' },
 *   { type: 'order_status', state: 'COMPLETED', amount: 299900, merchantOrderId: 'ord_1' });
 * // { action: 'transition', from: 'pending', to: 'completed', effects: ['payment_completed'] }
 */
export function decidePayment(facts: PaymentFacts, signal: PaymentSignal): PaymentDecision {
  const mismatch = findMismatch(facts, signal);
  if (mismatch) return mismatch;
  const target = targetState(signal);
  if (signal.type === 'abandoned' && facts.state !== 'created')
    return TERMINAL.has(facts.state)
      ? { action: 'none', reason: 'already_terminal' }
      : { action: 'none', reason: 'still_pending' };
  if (TERMINAL.has(facts.state)) {
    if (target === null || target === 'pending' || isUnpaid(target) === isUnpaid(facts.state)) {
      return { action: 'none', reason: 'already_terminal' };
    }
    // PhonePe's order-status API says the money was taken for an order we had given up (e.g. it expired
    // here while PhonePe still accepted the payment): the judge wins, the payer gets what they paid for.
    // The opposite — completed then failed — never moves: a completed payment is final.
    if (target === 'completed' && signal.type === 'order_status' && signal.authoritative === true) {
      return {
        action: 'transition',
        from: facts.state,
        to: 'completed',
        effects: ['payment_completed'],
        corrected: true,
      };
    }
    return {
      action: 'refuse',
      reason: 'contradicts_terminal',
      detail: `payment ${facts.merchantOrderId} is ${facts.state} but PhonePe now reports ${describe(signal)}`,
    };
  }
  if (target === null || target === facts.state) return { action: 'none', reason: 'still_pending' };
  const effects: PaymentEffect[] =
    target === 'completed' ? ['payment_completed'] : target === 'pending' ? [] : ['payment_failed'];
  return { action: 'transition', from: facts.state, to: target, effects };
}

/** The state a signal points to, or `null` when it says nothing new (still in progress). */
function targetState(signal: PaymentSignal): PaymentState | null {
  switch (signal.type) {
    case 'order_created':
      return statusTarget(signal.state ?? 'PENDING', null, null) ?? 'pending';
    case 'order_rejected':
      return 'failed';
    case 'abandoned':
      return 'expired';
    case 'order_status':
      return statusTarget(signal.state, signal.errorCode ?? null, signal.detailedErrorCode ?? null);
  }
}

/**
 * The payment state a PhonePe order state amounts to: `completed`, `failed`, `expired` (FAILED with an
 * expiry code), or `pending` for everything still in progress.
 *
 * @example
 * paymentStateFromOrder('FAILED', 'OTHERS', 'INTENT_EXPIRED'); // 'expired'
 */
export function paymentStateFromOrder(
  state: string,
  errorCode: string | null,
  detailedErrorCode: string | null,
): PaymentState {
  return statusTarget(state, errorCode, detailedErrorCode);
}

// PhonePe order states: COMPLETED and FAILED are terminal; everything else (PENDING, CREATED,
// NOTIFICATION_IN_PROGRESS, NOTIFIED, unknown future states) means "in progress" (docs/phonepe-protocol.md#order-status).
function statusTarget(state: string, errorCode: string | null, detailedErrorCode: string | null): PaymentState {
  const upper = state.toUpperCase();
  if (upper === 'COMPLETED') return 'completed';
  if (upper === 'FAILED') return isExpiry(errorCode, detailedErrorCode) ? 'expired' : 'failed';
  if (upper === 'EXPIRED') return 'expired';
  return 'pending';
}

function isUnpaid(state: PaymentState): boolean {
  return state === 'failed' || state === 'expired';
}

function isExpiry(errorCode: string | null, detailedErrorCode: string | null): boolean {
  return (
    (detailedErrorCode !== null && EXPIRY_CODES.has(detailedErrorCode)) ||
    (errorCode !== null && EXPIRY_CODES.has(errorCode))
  );
}

function findMismatch(facts: PaymentFacts, signal: PaymentSignal): PaymentDecision | null {
  if (signal.type === 'order_status') {
    if (signal.merchantOrderId !== undefined && signal.merchantOrderId !== facts.merchantOrderId) {
      return refuseMismatch(
        'order_id_mismatch',
        `merchantOrderId ${signal.merchantOrderId} does not match the stored ${facts.merchantOrderId}`,
      );
    }
    if (
      signal.phonepeOrderId !== undefined &&
      facts.phonepeOrderId !== null &&
      signal.phonepeOrderId !== facts.phonepeOrderId
    ) {
      return refuseMismatch(
        'order_id_mismatch',
        `PhonePe orderId ${signal.phonepeOrderId} does not match the stored ${facts.phonepeOrderId} for ${facts.merchantOrderId}`,
      );
    }
    if (signal.amount !== undefined && signal.amount !== facts.amountPaise) {
      return refuseMismatch(
        'amount_mismatch',
        `amount ${signal.amount} paise does not match the stored ${facts.amountPaise} paise for ${facts.merchantOrderId}`,
      );
    }
  }
  if (
    signal.type === 'order_created' &&
    facts.phonepeOrderId !== null &&
    signal.phonepeOrderId !== facts.phonepeOrderId
  ) {
    return refuseMismatch(
      'order_id_mismatch',
      `PhonePe orderId ${signal.phonepeOrderId} does not match the stored ${facts.phonepeOrderId} for ${facts.merchantOrderId}`,
    );
  }
  return null;
}

function refuseMismatch(reason: 'amount_mismatch' | 'order_id_mismatch', detail: string): PaymentDecision {
  return { action: 'refuse', reason, detail };
}

function describe(signal: PaymentSignal): string {
  switch (signal.type) {
    case 'order_status':
      return `state ${signal.state}`;
    case 'order_created':
      return 'a newly created order';
    case 'order_rejected':
      return `a rejected create (${signal.errorCode})`;
    case 'abandoned':
      return 'no such order';
  }
}
