import type { EmulatorCore } from './emulator-core.js';
import { defaultPaymentMode, failOrder, KNOWN_FAILURES } from './order-transitions.js';
import { findSubscription } from './orders.js';
import type { OrderRecord } from './records.js';
import { executeRedemption, expireUnexecutedRedemption, markNotified } from './redemptions.js';
import { completeRefund, confirmRefund } from './refunds.js';
import { changeSubscriptionState, completeCancel, expireSubscription } from './subscription-transitions.js';

interface DueTransition {
  at: number;
  apply(): void;
}

/**
 * Applies every time-based transition that is due on the virtual clock, earliest first, so one big
 * `advanceTime` plays out in the order the events would have happened: order expiry, notification,
 * auto-debit, redemption expiry, refund progress, pause end, cancel completion, mandate expiry.
 */
export function sweep(core: EmulatorCore): void {
  const now = core.clock.now();
  // Nothing changed since the last sweep and nothing falls due before `at`: a status call on an emulator
  // holding 10,000 orders costs what it costs on one holding 100.
  const cached = core.nextDue;
  if (cached && cached.generation === core.generation && cached.counts === storedCounts(core) && now < cached.at)
    return;
  for (const [token, record] of core.state.tokens) if (record.expiresAt <= now) core.state.tokens.delete(token);
  for (let guard = 0; guard < 100_000; guard += 1) {
    const due = dueTransitions(core, now);
    if (due.length === 0) break;
    due.reduce((a, b) => (b.at < a.at ? b : a)).apply();
  }
  const upcoming = dueTransitions(core, Number.POSITIVE_INFINITY).reduce(
    (at, t) => Math.min(at, t.at),
    Number.POSITIVE_INFINITY,
  );
  core.nextDue = { generation: core.generation, counts: storedCounts(core), at: upcoming };
}

// Records created straight through the core (tests, benchmarks) change the counts, which invalidates too.
function storedCounts(core: EmulatorCore): number {
  return core.state.orders.size + core.state.refunds.size * 1_000_003 + core.state.subscriptions.size * 2_000_029;
}

function dueTransitions(core: EmulatorCore, now: number): DueTransition[] {
  const due: DueTransition[] = [];
  for (const order of core.state.orders.values()) {
    const transition = orderTransition(core, order, now);
    if (transition) due.push(transition);
  }
  for (const refund of core.state.refunds.values()) {
    if (refund.state === 'PENDING' && refund.confirmAt <= now)
      due.push({ at: refund.confirmAt, apply: () => confirmRefund(core, refund, refund.confirmAt) });
    if (refund.state === 'CONFIRMED' && refund.settleAt <= now)
      due.push({ at: refund.settleAt, apply: () => completeRefund(core, refund, refund.settleAt) });
  }
  for (const sub of core.state.subscriptions.values()) {
    if ((sub.state === 'ACTIVE' || sub.state === 'PAUSED') && sub.expireAt <= now) {
      due.push({ at: sub.expireAt, apply: () => expireSubscription(sub) });
    } else if (sub.state === 'PAUSED' && sub.pauseEndDate !== null && sub.pauseEndDate <= now) {
      due.push({ at: sub.pauseEndDate, apply: () => changeSubscriptionState(core, sub, 'unpaused') });
    } else if (
      sub.state === 'CANCEL_IN_PROGRESS' &&
      sub.cancelCompletesAt !== undefined &&
      sub.cancelCompletesAt <= now
    ) {
      due.push({ at: sub.cancelCompletesAt, apply: () => completeCancel(core, sub) });
    }
  }
  return due;
}

function orderTransition(core: EmulatorCore, order: OrderRecord, now: number): DueTransition | undefined {
  const expire = { withAttempt: false, paymentMode: defaultPaymentMode(order), at: order.expireAt };
  if (order.state === 'PENDING' && order.expireAt <= now) {
    return { at: order.expireAt, apply: () => failOrder(core, order, KNOWN_FAILURES.expired, expire) };
  }
  const r = order.redemption;
  if (!r) return undefined;
  if (order.state === 'NOTIFICATION_IN_PROGRESS')
    return { at: order.createdAt, apply: () => markNotified(core, order) };
  if (order.state !== 'NOTIFIED') return undefined;
  const sub = order.merchantSubscriptionId
    ? findSubscription(core, order.merchantId, order.merchantSubscriptionId)
    : undefined;
  const autoDebitAt = r.autoDebit && sub?.state === 'ACTIVE' ? r.validAfter : undefined;
  if (autoDebitAt !== undefined && autoDebitAt <= now && autoDebitAt < order.expireAt) {
    return { at: autoDebitAt, apply: () => executeRedemption(core, order, autoDebitAt) };
  }
  if (order.expireAt <= now)
    return { at: order.expireAt, apply: () => expireUnexecutedRedemption(core, order, KNOWN_FAILURES.expired) };
  return undefined;
}
