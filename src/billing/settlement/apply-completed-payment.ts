import type { OrderStatus } from '../../client/schemas/order-status.js';
import type { BillingTransaction } from '../../storage/billing-store.js';
import type { PaymentRecord } from '../../storage/records/payment-record.js';
import type { SubscriptionRecord } from '../../storage/records/subscription-record.js';
import { addIntervals } from '../billing-period.js';
import { audit, requirePlan, type BillingContext } from '../billing-context.js';
import type { PendingHooks } from '../billing-hooks.js';
import { scheduleNextAction } from '../renewals/renewal-schedule.js';
import { mandateMaxAmount } from '../checkout/new-payment-record.js';
import { mandateFromOrder } from './order-facts.js';

/**
 * What a completed payment does to the workspace's subscription, inside the transaction that moved the
 * payment to `completed` (so it happens exactly once — the payment's compare-and-set admits one caller):
 * a new subscription starts (or a trial converts) with a period from now; a renewal extends the period it
 * paid for (never twice: a period already reached is left alone); an upgrade switches the plan.
 * An autopay setup also records the mandate. Returns the subscription as it now is.
 */
export async function applyCompletedPayment(ctx: BillingContext, tx: BillingTransaction, hooks: PendingHooks, payment: PaymentRecord, order?: OrderStatus): Promise<SubscriptionRecord | null> {
  const now = ctx.clock.now();
  const live = await tx.subscriptions.getLive(payment.workspaceId);
  const mandate = payment.method === 'autopay_setup' ? mandateFromOrder(order) : null;
  if (payment.purpose === 'upgrade' && live && live.id === payment.subscriptionId) return applyUpgrade(ctx, tx, hooks, payment, live, mandate);
  if (payment.purpose === 'renewal' && live && live.id === payment.subscriptionId && payment.periodEnd !== null) return applyRenewal(ctx, tx, hooks, payment, live);
  if (payment.purpose !== 'new_subscription') {
    // The subscription this payment was for ended (or changed) before the money arrived: start afresh.
    await audit(ctx, tx, { workspaceId: payment.workspaceId, actor: 'system:settlement', action: 'payment.late', entityType: 'payment', entityId: payment.id, data: { purpose: payment.purpose, subscriptionId: payment.subscriptionId } });
    hooks.add('anomaly', { kind: 'late_payment', detail: `payment ${payment.merchantOrderId} (${payment.purpose}) completed after its subscription ended or changed; a new period was started from now`, workspaceId: payment.workspaceId, subjectId: payment.merchantOrderId });
  }
  const plan = await requirePlan(ctx, tx, payment.planId);
  const start = now;
  const end = addIntervals(start, plan.interval, 1);
  const fields = {
    planId: plan.id,
    status: 'active' as const,
    renewalMode: mandate ? ('autopay' as const) : ('manual' as const),
    currentPeriodStart: start,
    currentPeriodEnd: end,
    cancelAtPeriodEnd: false,
    cancelledAt: null,
    cancellationReason: null,
    endedAt: null,
    pendingPlanId: null,
    merchantSubscriptionId: mandate ? payment.merchantSubscriptionId : null,
    phonepeSubscriptionId: mandate?.phonepeSubscriptionId ?? null,
    mandateState: mandate ? 'ACTIVE' : null,
    mandateMaxAmountPaise: mandate ? (mandate.maxAmount ?? mandateMaxAmount(payment)) : null,
    graceEndsAt: null,
    renewalAttempts: 0,
    metadata: { anchorAt: start },
  };
  const nextActionAt = scheduleNextAction(fields, ctx.config);
  const subscription = live
    ? await tx.subscriptions.update(live.id, live.version, { ...fields, nextActionAt }, now)
    : await tx.subscriptions.insert({ ...fields, nextActionAt, id: ctx.ids('sub'), workspaceId: payment.workspaceId, claimedBy: null, claimExpiresAt: null, createdBy: payment.userId, version: 1, createdAt: now, updatedAt: now });
  await tx.payments.update(payment.id, { subscriptionId: subscription.id, periodStart: start, periodEnd: end }, now);
  await audit(ctx, tx, { workspaceId: payment.workspaceId, actor: 'system:settlement', action: live ? 'subscription.reactivated' : 'subscription.activated', entityType: 'subscription', entityId: subscription.id, data: { planId: plan.id, paymentId: payment.id, periodEnd: end, renewalMode: subscription.renewalMode } });
  hooks.add('subscriptionActivated', { subscription, payment });
  return subscription;
}

async function applyRenewal(ctx: BillingContext, tx: BillingTransaction, hooks: PendingHooks, payment: PaymentRecord, live: SubscriptionRecord): Promise<SubscriptionRecord> {
  const now = ctx.clock.now();
  const periodEnd = payment.periodEnd as number;
  if (live.currentPeriodEnd >= periodEnd) return live; // this period is already paid for
  const patch = {
    status: 'active' as const,
    currentPeriodStart: payment.periodStart ?? live.currentPeriodEnd,
    currentPeriodEnd: periodEnd,
    graceEndsAt: null,
    renewalAttempts: 0,
    planId: payment.planId,
    pendingPlanId: null,
  };
  const subscription = await tx.subscriptions.update(live.id, live.version, { ...patch, nextActionAt: scheduleNextAction({ ...live, ...patch }, ctx.config) }, now);
  await audit(ctx, tx, { workspaceId: live.workspaceId, actor: 'system:settlement', action: 'subscription.renewed', entityType: 'subscription', entityId: live.id, data: { paymentId: payment.id, periodStart: patch.currentPeriodStart, periodEnd } });
  hooks.add('subscriptionRenewed', { subscription, payment });
  return subscription;
}

async function applyUpgrade(
  ctx: BillingContext,
  tx: BillingTransaction,
  hooks: PendingHooks,
  payment: PaymentRecord,
  live: SubscriptionRecord,
  mandate: { phonepeSubscriptionId: string | null; maxAmount: number | null } | null,
): Promise<SubscriptionRecord> {
  const now = ctx.clock.now();
  const toPlanId = typeof payment.metadata.toPlanId === 'string' ? payment.metadata.toPlanId : payment.planId;
  const mandatePatch = mandate
    ? { renewalMode: 'autopay' as const, merchantSubscriptionId: payment.merchantSubscriptionId, phonepeSubscriptionId: mandate.phonepeSubscriptionId, mandateState: 'ACTIVE', mandateMaxAmountPaise: mandate.maxAmount ?? mandateMaxAmount(payment) }
    : {};
  const patch = { planId: toPlanId, pendingPlanId: null, ...mandatePatch };
  const subscription = await tx.subscriptions.update(live.id, live.version, { ...patch, nextActionAt: scheduleNextAction({ ...live, ...patch }, ctx.config) }, now);
  await tx.payments.update(payment.id, { periodStart: now, periodEnd: live.currentPeriodEnd }, now);
  const replaced = live.merchantSubscriptionId;
  if (mandate && replaced && replaced !== payment.merchantSubscriptionId) {
    // The new mandate (with a higher maxAmount) replaces the old one: stop the old one at PhonePe.
    hooks.afterCommit(`cancel replaced mandate ${replaced}`, () => ctx.client.subscriptions.cancel(replaced));
  }
  await audit(ctx, tx, { workspaceId: live.workspaceId, actor: 'system:settlement', action: 'subscription.upgraded', entityType: 'subscription', entityId: live.id, data: { fromPlanId: live.planId, toPlanId, paymentId: payment.id } });
  hooks.add('subscriptionPlanChanged', { subscription, fromPlanId: live.planId, toPlanId });
  return subscription;
}
