import { latestPaymentAttempt } from '../../client/responses.js';
import type { PaymentRecord } from '../../storage/records.js';
import { inTransaction, SYSTEM_SCOPE, type BillingContext } from '../billing-context.js';
import { mandateCalls } from '../autopay/mandate-calls.js';
import { isExplicitRefusal, providerError } from '../errors/provider-error.js';
import { applyPaymentSignal, type SettlementResult, type SignalDetails } from '../settlement/apply-payment-signal.js';
import { fetchOrderStatus } from '../settlement/fetch-order-status.js';
import { signalFromOrder } from '../settlement/order-facts.js';

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
  try {
    const response = await mandateCalls(ctx).notify({
      merchantOrderId: payment.merchantOrderId,
      amount: payment.amountPaise,
      paymentFlow: {
        merchantSubscriptionId: payment.merchantSubscriptionId as string,
        redemptionRetryStrategy: 'STANDARD',
        autoDebit: false,
      },
    });
    return await applyPaymentSignal(
      ctx,
      SYSTEM_SCOPE,
      payment.merchantOrderId,
      { type: 'order_created', phonepeOrderId: response.orderId, state: response.state },
      { source: 'renewal', actor: ACTOR, patch: { expiresAt: response.expireAt ?? null }, ...also },
    );
  } catch (error) {
    if (isExplicitRefusal(error)) {
      return applyPaymentSignal(
        ctx,
        SYSTEM_SCOPE,
        payment.merchantOrderId,
        { type: 'order_rejected', errorCode: error.code },
        { source: 'renewal', actor: ACTOR, ...also },
      );
    }
    throw providerError(error, `notifying debit ${payment.merchantOrderId}`);
  }
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
  try {
    const response = await mandateCalls(ctx).redeem(payment.merchantOrderId);
    // The redeem answer describes the attempt; the order's own state is the truth (an attempt can fail
    // while PhonePe retries the order), so settle from the order status.
    const order = await fetchOrderStatus(ctx, payment);
    // PhonePe's redeem answer may omit the transaction id (its Go SDK's fixture does): take the attempt's.
    const transactionId = response.transactionId ?? (order ? latestPaymentAttempt(order)?.transactionId : null) ?? null;
    const patch = transactionId === null ? {} : { phonepeTransactionId: transactionId };
    if (!order)
      return await applyPaymentSignal(
        ctx,
        SYSTEM_SCOPE,
        payment.merchantOrderId,
        { type: 'order_status', state: 'PENDING' },
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
    if (isExplicitRefusal(error)) {
      // Refused. If PhonePe shows an attempt anyway (an earlier call did execute it), its order status
      // decides; with no attempt at all the debit cannot happen any more (window closed, mandate gone).
      const order = await fetchOrderStatus(ctx, payment).catch(() => null);
      if (order && (order.paymentDetails ?? []).length > 0)
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
        { type: 'order_rejected', errorCode: error.code },
        { source: 'renewal', actor: ACTOR, ...also },
      );
    }
    throw providerError(error, `executing debit ${payment.merchantOrderId}`);
  }
}
