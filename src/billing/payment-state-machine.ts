import { TERMINAL_PAYMENT_STATES, type PaymentState } from '../storage/records.js';

/** Where a settlement signal came from. All of them go through {@link decidePayment}. */
export const SIGNAL_SOURCES = ['create', 'webhook', 'redirect', 'refresh', 'reconcile', 'renewal'] as const;
/** One of {@link SIGNAL_SOURCES}. */
export type SignalSource = (typeof SIGNAL_SOURCES)[number];

/** The stored facts a decision depends on (a `PaymentRecord` has them). */
export interface PaymentFacts {
  state: PaymentState;
  amountPaise: number;
  merchantOrderId: string;
  /** The gateway's own id for the order, once it answered (`PaymentRecord.phonepeOrderId`). */
  phonepeOrderId: string | null;
}

/**
 * What a gateway says about an order, in the machine's terms: still in progress (`pending`), paid
 * (`completed`), refused or failed (`failed`), or run out before anyone paid (`expired`). Each gateway maps its
 * own order states to these (PhonePe's: `phonePeReportedState` in settlement.ts); the machine knows no
 * gateway's vocabulary.
 */
export type ReportedPaymentState = Exclude<PaymentState, 'created'>;

/**
 * Something that may move a payment, in gateway-neutral terms (the gateway's states already mapped to a
 * {@link ReportedPaymentState}):
 * - `order_created`: the gateway accepted the create call (checkout, mandate setup or pre-debit notice);
 * - `order_rejected`: the gateway refused the create call for good (a 4xx), so no order exists;
 * - `order_status`: the gateway's view of the order — from a webhook payload, or (`authoritative: true`)
 *   from its order-status API, the judge when signals disagree (docs/architecture.md); `gatewayState` is
 *   the gateway's own word for it, for the audit trail;
 * - `abandoned`: our row never reached the gateway (e.g. a crash before the call) and the gateway confirms it
 *   has no such order, after the order could have expired. Only a `created` row can be abandoned: a
 *   `pending` one has reached the gateway.
 */
export type PaymentSignal =
  | { type: 'order_created'; phonepeOrderId: string; reported?: ReportedPaymentState }
  | { type: 'order_rejected'; errorCode: string }
  | {
      type: 'order_status';
      reported: ReportedPaymentState;
      gatewayState?: string;
      amount?: number;
      merchantOrderId?: string;
      phonepeOrderId?: string;
      errorCode?: string | null;
      detailedErrorCode?: string | null;
      /** True when read from the gateway's order-status API (not a webhook payload). */
      authoritative?: boolean;
    }
  | { type: 'abandoned' };

/** What the caller must do after a transition, inside the same store transaction. */
export type PaymentEffect = 'payment_completed' | 'payment_failed';

/**
 * What {@link decidePayment} decided: move the payment (`transition`, with the effects to apply; `corrected`
 * when the gateway's order-status API overrode a failed or expired row), leave it (`none`), or refuse the signal
 * as an anomaly the caller audits (`refuse`, with a `detail` for the audit log).
 */
export type PaymentDecision =
  | { action: 'transition'; from: PaymentState; to: PaymentState; effects: PaymentEffect[]; corrected?: true }
  | { action: 'none'; reason: 'already_terminal' | 'still_pending' }
  | { action: 'refuse'; reason: 'amount_mismatch' | 'order_id_mismatch' | 'contradicts_terminal'; detail: string };

const TERMINAL: ReadonlySet<PaymentState> = new Set(TERMINAL_PAYMENT_STATES);

/** Whether a payment state is terminal (never changes again). */
export function isTerminalPaymentState(state: PaymentState): boolean {
  return TERMINAL.has(state);
}

type Reported = ReportedPaymentState;

/** A decision of the table, before `from` (the stored state) and a refusal's `detail` are filled in. */
type Rule =
  | { action: 'transition'; to: PaymentState; effects: readonly PaymentEffect[] }
  | { action: 'none'; reason: 'already_terminal' | 'still_pending' }
  | { action: 'refuse'; reason: 'contradicts_terminal' };

const toPending: Rule = { action: 'transition', to: 'pending', effects: [] };
const toCompleted: Rule = { action: 'transition', to: 'completed', effects: ['payment_completed'] };
const toFailed: Rule = { action: 'transition', to: 'failed', effects: ['payment_failed'] };
const toExpired: Rule = { action: 'transition', to: 'expired', effects: ['payment_failed'] };
const stillPending: Rule = { action: 'none', reason: 'still_pending' };
const alreadyTerminal: Rule = { action: 'none', reason: 'already_terminal' };
const contradicts: Rule = { action: 'refuse', reason: 'contradicts_terminal' };

/**
 * The payment state machine as a table: (stored state, what the signal reports) → decision. Every signal
 * reports one state ({@link targetState}): an order still in progress reports `pending`, a rejected create
 * `failed`, an abandoned row `expired`. A completed payment never changes; a failed or expired one ignores
 * anything that also says "unpaid" and refuses a claim that it was paid. The two {@link OVERRIDES} below are
 * the only exceptions, and they are checked first.
 */
// biome-ignore format: a table, aligned by column
const TABLE: Readonly<Record<PaymentState, Readonly<Record<Reported, Rule>>>> = {
  // stored  what the signal reports
  created:   { pending: toPending,       completed: toCompleted,     failed: toFailed,        expired: toExpired },
  pending:   { pending: stillPending,    completed: toCompleted,     failed: toFailed,        expired: toExpired },
  completed: { pending: alreadyTerminal, completed: alreadyTerminal, failed: contradicts,     expired: contradicts },
  failed:    { pending: alreadyTerminal, completed: contradicts,     failed: alreadyTerminal, expired: alreadyTerminal },
  expired:   { pending: alreadyTerminal, completed: contradicts,     failed: alreadyTerminal, expired: alreadyTerminal },
};

/** A named exception to {@link TABLE}: the decision when it applies, otherwise `null`. */
type Override = (facts: PaymentFacts, signal: PaymentSignal) => PaymentDecision | null;

/**
 * Only a `created` row can be abandoned: a `pending` one has reached the gateway, so "no such order" is not
 * believed and the row stays pending (the table would expire it); a terminal row stays as it is (the table
 * would refuse the contradiction on a completed one).
 */
const abandonOnlyUnsentOrders: Override = (facts, signal) => {
  if (signal.type !== 'abandoned' || facts.state === 'created') return null;
  return TERMINAL.has(facts.state)
    ? { action: 'none', reason: 'already_terminal' }
    : { action: 'none', reason: 'still_pending' };
};

/**
 * The gateway's order-status API (the judge) says the money was taken for an order we had given up (e.g. it
 * expired here while the gateway still accepted the payment): the judge wins, the payer gets what they paid for,
 * and the decision is marked `corrected` (the table refuses the same claim from a webhook payload). The
 * opposite — completed then failed — never moves: a completed payment is final.
 */
const honourLatePaymentConfirmedByJudge: Override = (facts, signal) => {
  if (signal.type !== 'order_status' || signal.authoritative !== true) return null;
  if (!isUnpaid(facts.state) || targetState(signal) !== 'completed') return null;
  return { action: 'transition', from: facts.state, to: 'completed', effects: ['payment_completed'], corrected: true };
};

/** The exceptions to {@link TABLE}, in the order they are checked (they never both apply). */
const OVERRIDES: readonly Override[] = [abandonOnlyUnsentOrders, honourLatePaymentConfirmedByJudge];

/**
 * The payment state machine: one pure function, used by every signal (create, webhook, redirect,
 * status refresh, reconciliation, renewals). `created -> pending -> completed | failed | expired`;
 * a completed payment never changes; a failed or expired one changes only when the gateway's order-status API
 * (the judge) reports it COMPLETED — the money was taken, so it is honoured (`corrected`); any other
 * contradiction of a terminal row is refused as an anomaly (the caller audits it). A signal whose amount
 * or order id disagrees with the stored row is refused. Only a transition into `completed` carries
 * `payment_completed`, and `completed` is never left, so a payment can activate or extend a subscription
 * at most once (the caller applies it with a compare-and-set on the state).
 *
 * In order: a signal that disagrees with the stored row is refused; then the two named overrides
 * (abandon only unsent orders; honour a late payment the judge confirms); then the table of
 * (stored state, what the signal reports).
 *
 * @example
 * decidePayment({ state: 'pending', amountPaise: 299900, merchantOrderId: 'ord_1', phonepeOrderId: 'OMO1' },
 *   { type: 'order_status', reported: 'completed', amount: 299900, merchantOrderId: 'ord_1' });
 * // { action: 'transition', from: 'pending', to: 'completed', effects: ['payment_completed'] }
 */
export function decidePayment(facts: PaymentFacts, signal: PaymentSignal): PaymentDecision {
  const mismatch = findMismatch(facts, signal);
  if (mismatch) return mismatch;
  for (const override of OVERRIDES) {
    const decision = override(facts, signal);
    if (decision) return decision;
  }
  const rule = TABLE[facts.state][targetState(signal)];
  switch (rule.action) {
    case 'transition':
      return { action: 'transition', from: facts.state, to: rule.to, effects: [...rule.effects] };
    case 'none':
      return { action: 'none', reason: rule.reason };
    case 'refuse':
      return {
        action: 'refuse',
        reason: rule.reason,
        detail: `payment ${facts.merchantOrderId} is ${facts.state} but PhonePe now reports ${describe(signal)}`,
      };
  }
}

/** The state a signal reports; `pending` when it says the order is still in progress. */
function targetState(signal: PaymentSignal): Reported {
  switch (signal.type) {
    case 'order_created':
      return signal.reported ?? 'pending';
    case 'order_rejected':
      return 'failed';
    case 'abandoned':
      return 'expired';
    case 'order_status':
      return signal.reported;
  }
}

function isUnpaid(state: PaymentState): boolean {
  return state === 'failed' || state === 'expired';
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
      return `state ${signal.gatewayState ?? signal.reported.toUpperCase()}`;
    case 'order_created':
      return 'a newly created order';
    case 'order_rejected':
      return `a rejected create (${signal.errorCode})`;
    case 'abandoned':
      return 'no such order';
  }
}
