import type { OrderStatus } from '../../client/responses.js';
import type { BillingTransaction, PaymentPatch, StoreScope } from '../../storage/billing-store.js';
import type { PaymentRecord, PaymentState, SubscriptionRecord } from '../../storage/records.js';
import { audit, auditEntry, inTransaction, type BillingContext } from '../billing-context.js';
import type { PendingHooks } from '../billing-hooks.js';
import {
  decidePayment,
  isTerminalPaymentState,
  type PaymentSignal,
  type SignalSource,
} from '../payment-state-machine.js';
import { planCompletedPayment } from './apply-completed-payment.js';
import { applyFailedPayment } from './apply-failed-payment.js';
import { paymentPatchFromOrder } from './order-facts.js';

/** How a settlement signal came in, and what else it tells us. */
export interface SignalDetails {
  source: SignalSource;
  /** Audit actor, e.g. `phonepe:webhook`, `phonepe:redirect`, `user:<id>`. */
  actor: string;
  /** The full order status, when the signal came from it (adds transaction id, mode, mandate, notice window). */
  order?: OrderStatus;
  /** Extra fields to store with the transition (e.g. the payment URL on create). */
  patch?: PaymentPatch;
  /**
   * More work for the same transaction, after the settlement (e.g. the renewal worker storing when the
   * subscription is due next): it commits, or rolls back, with it.
   */
  within?: (tx: BillingTransaction, result: SettlementResult) => Promise<void>;
}

/** What a settlement signal did. */
export interface SettlementResult {
  /** `changed`: the state moved; `unchanged`: nothing new; `refused`: the signal disagreed with the row (audited); `unknown_order`: no such payment. */
  outcome: 'changed' | 'unchanged' | 'refused' | 'unknown_order';
  payment: PaymentRecord | null;
  subscription: SubscriptionRecord | null;
  from?: PaymentState;
  to?: PaymentState;
  reason?: string;
}

/**
 * Applies one signal to a payment through the state machine, in one store transaction with the row
 * locked: the transition, its effect on the subscription (exactly once), audit rows, and hooks after the
 * commit. Every path — create, webhook, redirect, refresh, reconcile, renewals — settles through here.
 */
export async function applyPaymentSignal(
  ctx: BillingContext,
  scope: StoreScope,
  merchantOrderId: string,
  signal: PaymentSignal,
  details: SignalDetails,
): Promise<SettlementResult> {
  return inTransaction(ctx, scope, async (tx, hooks) => {
    const payment = await tx.payments.getForUpdateByMerchantOrderId(merchantOrderId);
    const result = await settlePayment(ctx, tx, hooks, merchantOrderId, payment, signal, details);
    await details.within?.(tx, result);
    return result;
  });
}

/**
 * {@link applyPaymentSignal} inside the caller's transaction, on the payment row it has locked
 * (`getForUpdateByMerchantOrderId`; `null` when there is none). The row is written once: the fields a
 * completion gives it (its subscription and period) travel with the move to `completed`, and each
 * change's audit row with the change.
 */
export async function settlePayment(
  ctx: BillingContext,
  tx: BillingTransaction,
  hooks: PendingHooks,
  merchantOrderId: string,
  payment: PaymentRecord | null,
  signal: PaymentSignal,
  details: SignalDetails,
): Promise<SettlementResult> {
  if (!payment) {
    hooks.add('anomaly', {
      kind: 'unknown_order',
      detail: `a ${details.source} signal named order ${merchantOrderId}, which is not ours`,
      workspaceId: null,
      subjectId: merchantOrderId,
    });
    return { outcome: 'unknown_order', payment: null, subscription: null };
  }
  const now = ctx.clock.now();
  const decision = decidePayment(payment, signal);
  const orderPatch = details.order ? paymentPatchFromOrder(details.order) : {};
  const firstSignal =
    payment.firstSignalAt === null && (details.source === 'webhook' || details.source === 'redirect')
      ? { firstSignalAt: now }
      : {};
  if (decision.action === 'refuse') {
    await audit(ctx, tx, {
      workspaceId: payment.workspaceId,
      actor: details.actor,
      action: 'payment.signal_refused',
      entityType: 'payment',
      entityId: payment.id,
      data: { reason: decision.reason, detail: decision.detail, source: details.source },
    });
    hooks.add('anomaly', {
      kind: decision.reason,
      detail: decision.detail,
      workspaceId: payment.workspaceId,
      subjectId: merchantOrderId,
    });
    return { outcome: 'refused', payment, subscription: null, reason: decision.reason };
  }
  if (decision.action === 'none') {
    const patch = isTerminalPaymentState(payment.state)
      ? firstSignal
      : { ...orderPatch, ...details.patch, ...firstSignal };
    const updated =
      Object.keys(patch).length > 0 ? ((await tx.payments.update(payment.id, patch, now)) ?? payment) : payment;
    return { outcome: 'unchanged', payment: updated, subscription: null, reason: decision.reason };
  }
  const terminal = isTerminalPaymentState(decision.to);
  const completion = decision.effects.includes('payment_completed')
    ? await planCompletedPayment(ctx, tx, hooks, payment, details.order)
    : null;
  const phonepeOrderId =
    signal.type === 'order_created' ? signal.phonepeOrderId : (details.order?.orderId ?? payment.phonepeOrderId);
  const patch: PaymentPatch = {
    ...orderPatch,
    ...details.patch,
    ...firstSignal,
    phonepeOrderId,
    ...(terminal ? { settledAt: now } : {}),
    ...completion?.paymentPatch,
  };
  if (signal.type === 'order_rejected') patch.errorCode = signal.errorCode;
  const errorCode = patch.errorCode !== undefined ? patch.errorCode : payment.errorCode;
  const logged = auditEntry(ctx, {
    workspaceId: payment.workspaceId,
    actor: details.actor,
    action: decision.corrected ? 'payment.corrected' : `payment.${decision.to}`,
    entityType: 'payment',
    entityId: payment.id,
    data: { from: decision.from, source: details.source, errorCode },
  });
  const moved = await tx.payments.transition(payment.id, {
    from: [payment.state],
    to: decision.to,
    patch,
    now,
    audit: logged,
  });
  if (!moved) return { outcome: 'unchanged', payment, subscription: null, reason: 'lost_race' };
  if (decision.corrected) {
    hooks.add('anomaly', {
      kind: 'payment_corrected',
      detail: `payment ${merchantOrderId} was ${decision.from} here but PhonePe's order status says COMPLETED; it is honoured as paid`,
      workspaceId: moved.workspaceId,
      subjectId: merchantOrderId,
    });
  }
  if (completion) {
    const subscription = await completion.apply(moved);
    hooks.add('paymentCompleted', { payment: moved });
    return { outcome: 'changed', payment: moved, subscription, from: decision.from, to: decision.to };
  }
  let subscription: SubscriptionRecord | null = null;
  if (decision.effects.includes('payment_failed')) {
    subscription = await applyFailedPayment(ctx, tx, moved);
    hooks.add('paymentFailed', { payment: moved });
  }
  return { outcome: 'changed', payment: moved, subscription, from: decision.from, to: decision.to };
}
