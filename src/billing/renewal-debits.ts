import type { BillingTransaction } from '../storage/billing-store.js';
import type { PaymentRecord } from '../storage/records.js';
import { type BillingContext, gatewayFor, inTransaction, paymentRef, SYSTEM_SCOPE } from './billing-context.js';
import { explicitRefusal, providerError } from './errors.js';
import {
  applyPaymentSignal,
  fetchOrderStatus,
  refreshLoadedPayment,
  type SettlementResult,
  type SignalDetails,
} from './settlement.js';
import { type MandateRef, signalFromCheckout, signalFromOrder } from './payment-gateway.js';

const ACTOR = 'system:renewals';
// Execute a little after the 24 h pre-debit window opens, so a clock a few seconds off is not refused.
export const REDEEM_MARGIN_MS = 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Sends the pre-debit notice for an autopay debit (`created` payment row → `pending`): PhonePe's
 * checkout-family notify (`SUBSCRIPTION_CHECKOUT_REDEMPTION`, STANDARD retries, no auto-debit: we execute
 * it ourselves ≥ 24 h later; docs/phonepe-protocol.md#notify). Only PhonePe's explicit refusal fails the payment; a
 * lost or unreadable answer leaves it `created` for the next run, which looks it up first and sends the
 * same merchantOrderId again only if PhonePe has none (so the payer is never notified twice).
 */
export async function sendDebitNotice(
  ctx: BillingContext,
  payment: PaymentRecord,
  within?: SignalDetails['within'],
): Promise<SettlementResult> {
  const also = within ? { within } : {};
  const gateway = gatewayFor(ctx, payment.gateway);
  const mandate = await mandateOfDebit(ctx, payment);
  try {
    const notice = await gateway.notifyDebit({
      merchantOrderId: payment.merchantOrderId,
      amountPaise: payment.amountPaise,
      mandate,
      references: { paymentId: payment.id, workspaceId: payment.workspaceId, planId: payment.planId },
    });
    return await applyPaymentSignal(ctx, SYSTEM_SCOPE, payment.merchantOrderId, signalFromCheckout(notice), {
      source: 'renewal',
      actor: ACTOR,
      patch: { expiresAt: notice.expiresAt },
      ...also,
    });
  } catch (error) {
    const refusal = explicitRefusal(gateway, error);
    if (refusal) {
      return applyPaymentSignal(
        ctx,
        SYSTEM_SCOPE,
        payment.merchantOrderId,
        { type: 'order_rejected', errorCode: refusal.code },
        { source: 'renewal', actor: ACTOR, ...also },
      );
    }
    throw providerError(gateway, error, `notifying debit ${payment.merchantOrderId}`);
  }
}

// The mandate a debit row draws on, with the gateway's own reference to it (kept on the subscription).
async function mandateOfDebit(ctx: BillingContext, payment: PaymentRecord): Promise<MandateRef> {
  const merchantMandateId = payment.merchantSubscriptionId as string;
  const sub = await inTransaction(ctx, SYSTEM_SCOPE, (tx) =>
    tx.subscriptions.getByMerchantSubscriptionId(merchantMandateId),
  );
  return { merchantMandateId, gatewayMandateId: sub?.phonepeSubscriptionId ?? null };
}

/** When a notified debit may be executed: PhonePe's `validAfter`, else 24 h after the notice (docs/phonepe-protocol.md#redeem). */
export function redeemableAt(payment: Pick<PaymentRecord, 'redeemAfter' | 'notifiedAt'>): number | null {
  if (payment.redeemAfter !== null) return payment.redeemAfter + REDEEM_MARGIN_MS;
  if (payment.notifiedAt !== null) return payment.notifiedAt + DAY_MS + REDEEM_MARGIN_MS;
  return null;
}

/**
 * Executes a notified autopay debit (redeem). The call is counted first; PhonePe's answer
 * (`PENDING` + transaction id) is recorded; the outcome arrives by webhook or the next status check.
 * A call that fails in transit leaves no transaction id, so the next pass calls again. A refusal with no
 * attempt at PhonePe (outside the window, mandate no longer active) fails the payment for good.
 */
export async function executeDebit(
  ctx: BillingContext,
  payment: PaymentRecord,
  within?: SignalDetails['within'],
): Promise<SettlementResult> {
  const also = within ? { within } : {};
  const now = ctx.clock.now();
  await inTransaction(ctx, SYSTEM_SCOPE, (tx) =>
    tx.payments.update(payment.id, { attempts: payment.attempts + 1 }, now),
  );
  const gateway = gatewayFor(ctx, payment.gateway);
  const mandate = await mandateOfDebit(ctx, payment);
  try {
    const response = await gateway.executeDebit({ ...paymentRef(payment), amountPaise: payment.amountPaise, mandate });
    // The redeem answer describes the attempt; the order's own state is the truth (an attempt can fail
    // while PhonePe retries the order), so settle from the order status.
    const order = await fetchOrderStatus(ctx, payment);
    // PhonePe's redeem answer may omit the transaction id (its Go SDK's fixture does): take the attempt's.
    const transactionId = response.transactionId ?? order?.transactionId ?? null;
    const patch = transactionId === null ? {} : { phonepeTransactionId: transactionId };
    if (!order)
      return await applyPaymentSignal(
        ctx,
        SYSTEM_SCOPE,
        payment.merchantOrderId,
        { type: 'order_status', reported: 'pending', gatewayState: 'PENDING' },
        { source: 'renewal', actor: ACTOR, patch, ...also },
      );
    return await applyPaymentSignal(ctx, SYSTEM_SCOPE, payment.merchantOrderId, signalFromOrder(order, true), {
      source: 'renewal',
      actor: ACTOR,
      order,
      patch,
      ...also,
    });
  } catch (error) {
    const refusal = explicitRefusal(gateway, error);
    if (refusal) {
      // Refused. If PhonePe shows an attempt anyway (an earlier call did execute it), its order status
      // decides; with no attempt at all the debit cannot happen any more (window closed, mandate gone).
      const order = await fetchOrderStatus(ctx, payment).catch(() => null);
      if (order && order.attempts > 0)
        return applyPaymentSignal(ctx, SYSTEM_SCOPE, payment.merchantOrderId, signalFromOrder(order, true), {
          source: 'renewal',
          actor: ACTOR,
          order,
          ...also,
        });
      return applyPaymentSignal(
        ctx,
        SYSTEM_SCOPE,
        payment.merchantOrderId,
        { type: 'order_rejected', errorCode: refusal.code },
        { source: 'renewal', actor: ACTOR, ...also },
      );
    }
    throw providerError(gateway, error, `executing debit ${payment.merchantOrderId}`);
  }
}

/** Most redeem calls for one debit (a call that fails in transit is tried again on the next pass). */
export const MAX_EXECUTE_CALLS = 3;

/** How often an in-flight autopay debit (notice or execution) is checked when no webhook arrived. */
export const DEBIT_CHECK_INTERVAL_MS = 15 * 60 * 1000;

/** One step taken on an autopay debit, and when to look again. */
export interface DebitStep {
  action: 'notified' | 'checked' | 'executed' | 'waiting' | 'settled';
  payment: PaymentRecord;
  nextCheckAt: number | null;
}

/** How `advanceDebit` is called. */
export interface DebitOptions {
  /** The row was created by this very step and never sent: there is no lost answer to look up first. */
  fresh?: boolean;
  /**
   * Runs in the transaction that settles PhonePe's answer, with the step it amounts to (the renewal
   * worker stores when the subscription is due next there, instead of in a transaction of its own).
   * Not called when the step settles nothing.
   */
  finish?: (tx: BillingTransaction, step: DebitStep) => Promise<void>;
}

/**
 * Moves one autopay debit (an `autopay_redemption` payment) a step along PhonePe's sequence:
 * notice sent → notice confirmed (NOTIFIED, with its window) → executed no sooner than 24 h after the
 * notice and not before `notBefore` (the due date) → settled. Each call does at most one PhonePe write.
 * A `created` row is first looked up at PhonePe (a lost notify answer must not be re-sent as a duplicate),
 * unless it is `fresh`. `payment` is the row as just read; settling locks and re-reads it.
 */
export async function advanceDebit(
  ctx: BillingContext,
  payment: PaymentRecord,
  notBefore: number,
  options: DebitOptions = {},
): Promise<DebitStep> {
  const now = ctx.clock.now();
  const later = now + DEBIT_CHECK_INTERVAL_MS;
  const details = (toStep: (fresh: PaymentRecord) => DebitStep) => ({
    source: 'renewal' as const,
    actor: 'system:renewals',
    ...(options.finish
      ? {
          within: (tx: BillingTransaction, result: SettlementResult) =>
            options.finish!(tx, toStep(result.payment ?? payment)),
        }
      : {}),
  });
  const refresh = (toStep: (fresh: PaymentRecord) => DebitStep) =>
    refreshLoadedPayment(ctx, SYSTEM_SCOPE, payment, details(toStep));
  if (payment.state === 'created') {
    if (!options.fresh) {
      const looked = await refreshLoadedPayment(ctx, SYSTEM_SCOPE, payment, {
        source: 'renewal',
        actor: 'system:renewals',
      });
      if (looked.payment && looked.payment.state !== 'created')
        return { action: 'checked', payment: looked.payment, nextCheckAt: now };
    }
    const notified = (fresh: PaymentRecord): DebitStep => ({ action: 'notified', payment: fresh, nextCheckAt: later });
    const sent = await sendDebitNotice(ctx, payment, details(notified).within);
    return notified(sent.payment ?? payment);
  }
  if (payment.state !== 'pending') return { action: 'settled', payment, nextCheckAt: null };
  // A gateway that notifies the payer itself (Razorpay) is asked for the debit at once: it waits its own day.
  const selfNotifying = gatewayFor(ctx, payment.gateway).capabilities.preDebitNotice === 'gateway';
  if (!selfNotifying && redeemableAt(payment) === null) {
    const checked = (fresh: PaymentRecord): DebitStep => {
      const at = redeemableAt(fresh);
      return {
        action: 'checked',
        payment: fresh,
        nextCheckAt: fresh.state !== 'pending' ? null : at === null ? later : Math.max(at, notBefore),
      };
    };
    return checked((await refresh(checked)).payment ?? payment);
  }
  const at = selfNotifying ? now : Math.max(redeemableAt(payment) as number, notBefore);
  if (now < at) return { action: 'waiting', payment, nextCheckAt: at };
  // Not executed yet (no PhonePe transaction): execute — again, too, when an earlier call failed in transit
  // without reaching PhonePe. A few tries at most; after that PhonePe's expiry of the order decides.
  // Never once the debit's order has expired: a payment asked for now could be charged after the row is
  // settled expired and a retry debit was charged too (Razorpay's orders expire only by our say).
  const expired = payment.expiresAt !== null && now >= payment.expiresAt;
  if (payment.phonepeTransactionId === null && payment.attempts < MAX_EXECUTE_CALLS && !expired) {
    const executed = (fresh: PaymentRecord): DebitStep => ({
      action: 'executed',
      payment: fresh,
      nextCheckAt: fresh.state === 'pending' ? later : null,
    });
    return executed((await executeDebit(ctx, payment, details(executed).within)).payment ?? payment);
  }
  const settled = (fresh: PaymentRecord): DebitStep => ({
    action: fresh.state === 'pending' ? 'checked' : 'settled',
    payment: fresh,
    nextCheckAt: fresh.state === 'pending' ? later : null,
  });
  return settled((await refresh(settled)).payment ?? payment);
}
