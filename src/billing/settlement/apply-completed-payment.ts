import type { OrderStatus } from '../../client/responses.js';
import type { BillingTransaction, PaymentPatch } from '../../storage/billing-store.js';
import type { PaymentRecord, PlanRecord, SubscriptionRecord } from '../../storage/records.js';
import { addIntervals } from '../billing-period.js';
import { audit, auditEntry, requirePlan, type BillingContext } from '../billing-context.js';
import type { AnomalyKind, PendingHooks } from '../billing-hooks.js';
import { mandateMaxAmount } from '../checkout/new-payment-record.js';
import { scheduleNextAction } from '../renewals/renewal-schedule.js';
import { mandateCalls } from '../autopay/mandate-calls.js';
import { mandateFromOrder } from './order-facts.js';

type Mandate = { phonepeSubscriptionId: string | null; maxAmount: number | null };

interface Completed {
  ctx: BillingContext;
  tx: BillingTransaction;
  hooks: PendingHooks;
  /** The payment as locked, before its move to `completed`. */
  payment: PaymentRecord;
  /** The mandate this payment set up, if it was an autopay setup. */
  mandate: Mandate | null;
}

/** What a completed payment will do, worked out before the payment row moves (see {@link planCompletedPayment}). */
export interface CompletionPlan {
  /** Fields the payment row gets with its move to `completed`: the subscription and period it paid for. */
  paymentPatch: PaymentPatch;
  /** Applies it once the payment moved (subscription write, audit, hooks); returns the subscription. */
  apply(completed: PaymentRecord): Promise<SubscriptionRecord | null>;
}

const ACTOR = 'system:settlement';

/**
 * What a completed payment does to the workspace's subscription, inside the transaction that moves the
 * payment to `completed` (so it happens exactly once — the payment's compare-and-set admits one caller):
 * - a new subscription starts (or a trial converts) with a period from now;
 * - a renewal extends the subscription to the period it paid for, on the plan it was meant for;
 * - an upgrade switches the plan, if the subscription is still on the plan the upgrade was priced from.
 * Money is never swallowed silently: a payment that no longer fits (a second checkout for what is already
 * paid, an upgrade overtaken by another, a renewal for a period already paid, a part payment after the
 * subscription ended) changes nothing, is audited as `payment.unapplied` and reported through the
 * `anomaly` hook so the host can refund it; a mandate it set up is cancelled.
 *
 * It is planned from the locked payment before the payment row moves, so that the fields the payment
 * gets (its subscription and period) travel with that move instead of a second write of the row; the
 * plan reads only (the live subscription, the plan) and `apply` writes, after the move.
 */
export async function planCompletedPayment(
  ctx: BillingContext,
  tx: BillingTransaction,
  hooks: PendingHooks,
  payment: PaymentRecord,
  order?: OrderStatus,
): Promise<CompletionPlan> {
  const c: Completed = {
    ctx,
    tx,
    hooks,
    payment,
    mandate: payment.method === 'autopay_setup' ? mandateFromOrder(order) : null,
  };
  const live = await tx.subscriptions.getLive(payment.workspaceId);
  const own = live !== null && live.id === payment.subscriptionId;
  if (payment.purpose === 'upgrade' && own) return planUpgrade(c, live);
  if (payment.purpose === 'renewal' && own && payment.periodEnd !== null) return planRenewal(c, live);
  if (payment.purpose === 'new_subscription' && (!live || live.status === 'trialing'))
    return planActivation(c, live, await requirePlan(ctx, tx, payment.planId));
  if (live) {
    const kind = payment.purpose === 'upgrade' ? 'stale_upgrade' : 'duplicate_payment';
    return unapplied(
      c,
      live,
      kind,
      `${payment.purpose} payment ${payment.merchantOrderId} completed while the workspace already has a live ${live.planId} subscription it does not fit`,
    );
  }
  // The subscription this payment was for ended before the money arrived. A full price buys a fresh
  // period (the payer paid for one); anything less (a prorated upgrade) does not.
  const plan = await requirePlan(ctx, tx, payment.planId);
  if (payment.amountPaise !== plan.pricePaise)
    return unapplied(
      c,
      null,
      'late_payment',
      `${payment.purpose} payment ${payment.merchantOrderId} of ${payment.amountPaise} paise completed after the subscription ended; it does not buy a period of "${plan.id}"`,
    );
  const activation = planActivation(c, null, plan);
  return {
    paymentPatch: activation.paymentPatch,
    apply: async (completed) => {
      hooks.add('anomaly', {
        kind: 'late_payment',
        detail: `payment ${payment.merchantOrderId} (${payment.purpose}) completed after its subscription ended; a new period was started from now`,
        workspaceId: payment.workspaceId,
        subjectId: payment.merchantOrderId,
      });
      return activation.apply(completed);
    },
  };
}

function planActivation(
  { ctx, tx, hooks, payment, mandate }: Completed,
  live: SubscriptionRecord | null,
  plan: PlanRecord,
): CompletionPlan {
  const now = ctx.clock.now();
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
  const subscriptionId = live?.id ?? ctx.ids('sub');
  return {
    paymentPatch: { subscriptionId, periodStart: start, periodEnd: end },
    async apply(completed) {
      const logged = {
        audit: auditEntry(ctx, {
          workspaceId: payment.workspaceId,
          actor: ACTOR,
          action: live ? 'subscription.reactivated' : 'subscription.activated',
          entityType: 'subscription',
          entityId: subscriptionId,
          data: { planId: plan.id, paymentId: payment.id, periodEnd: end, renewalMode: fields.renewalMode },
        }),
      };
      const subscription = live
        ? await tx.subscriptions.update(live.id, live.version, { ...fields, nextActionAt }, now, logged)
        : await tx.subscriptions.insert(
            {
              ...fields,
              nextActionAt,
              id: subscriptionId,
              workspaceId: payment.workspaceId,
              claimedBy: null,
              claimExpiresAt: null,
              createdBy: payment.userId,
              version: 1,
              createdAt: now,
              updatedAt: now,
            },
            logged,
          );
      hooks.add('subscriptionActivated', { subscription, payment: completed });
      return subscription;
    },
  };
}

function planRenewal(c: Completed, live: SubscriptionRecord): CompletionPlan {
  const { ctx, tx, hooks, payment } = c;
  const periodEnd = payment.periodEnd as number;
  if (live.currentPeriodEnd >= periodEnd)
    return unapplied(
      c,
      live,
      'duplicate_payment',
      `renewal payment ${payment.merchantOrderId} completed for a period that is already paid`,
    );
  // The plan the payment was made for is the one to renew on — unless the plan changed after the payment
  // was created (an upgrade, or a downgrade scheduled since): then the current plan (and any scheduled
  // downgrade) stand, and the difference in price is reported for the host to settle.
  const intended = live.pendingPlanId ?? live.planId;
  const matches = payment.planId === intended;
  const patch = {
    status: 'active' as const,
    currentPeriodStart: payment.periodStart ?? live.currentPeriodEnd,
    currentPeriodEnd: periodEnd,
    graceEndsAt: null,
    renewalAttempts: 0,
    ...(matches ? { planId: payment.planId, pendingPlanId: null } : {}),
  };
  return {
    paymentPatch: {},
    async apply(completed) {
      const now = ctx.clock.now();
      const planId = matches ? payment.planId : live.planId;
      const logged = {
        audit: auditEntry(ctx, {
          workspaceId: live.workspaceId,
          actor: ACTOR,
          action: 'subscription.renewed',
          entityType: 'subscription',
          entityId: live.id,
          data: {
            paymentId: payment.id,
            periodStart: patch.currentPeriodStart,
            periodEnd,
            planId,
            paidForPlanId: payment.planId,
          },
        }),
      };
      const subscription = await tx.subscriptions.update(
        live.id,
        live.version,
        { ...patch, nextActionAt: scheduleNextAction({ ...live, ...patch }, ctx.config) },
        now,
        logged,
      );
      if (!matches) {
        hooks.add('anomaly', {
          kind: 'plan_changed_since_payment',
          detail: `renewal payment ${payment.merchantOrderId} was made for plan "${payment.planId}" but the subscription is now on "${subscription.planId}"${subscription.pendingPlanId ? ` (moving to "${subscription.pendingPlanId}")` : ''}; the period was renewed on the current plan`,
          workspaceId: live.workspaceId,
          subjectId: payment.merchantOrderId,
        });
      }
      hooks.add('subscriptionRenewed', { subscription, payment: completed });
      return subscription;
    },
  };
}

function planUpgrade(c: Completed, live: SubscriptionRecord): CompletionPlan {
  const { ctx, tx, hooks, payment, mandate } = c;
  const now = ctx.clock.now();
  const fromPlanId = typeof payment.metadata.fromPlanId === 'string' ? payment.metadata.fromPlanId : live.planId;
  const toPlanId = typeof payment.metadata.toPlanId === 'string' ? payment.metadata.toPlanId : payment.planId;
  // The price difference was computed from `fromPlanId`: if another change happened since, it no longer holds.
  if (live.planId !== fromPlanId)
    return unapplied(
      c,
      live,
      'stale_upgrade',
      `upgrade payment ${payment.merchantOrderId} (${fromPlanId} → ${toPlanId}) completed after the subscription moved to "${live.planId}"`,
    );
  const mandatePatch = mandate
    ? {
        renewalMode: 'autopay' as const,
        merchantSubscriptionId: payment.merchantSubscriptionId,
        phonepeSubscriptionId: mandate.phonepeSubscriptionId,
        mandateState: 'ACTIVE',
        mandateMaxAmountPaise: mandate.maxAmount ?? mandateMaxAmount(payment),
      }
    : {};
  const patch = { planId: toPlanId, pendingPlanId: null, ...mandatePatch };
  return {
    paymentPatch: { periodStart: now, periodEnd: live.currentPeriodEnd },
    async apply() {
      const logged = {
        audit: auditEntry(ctx, {
          workspaceId: live.workspaceId,
          actor: ACTOR,
          action: 'subscription.upgraded',
          entityType: 'subscription',
          entityId: live.id,
          data: { fromPlanId, toPlanId, paymentId: payment.id },
        }),
      };
      const subscription = await tx.subscriptions.update(
        live.id,
        live.version,
        { ...patch, nextActionAt: scheduleNextAction({ ...live, ...patch }, ctx.config) },
        now,
        logged,
      );
      const replaced = live.merchantSubscriptionId;
      if (mandate && replaced && replaced !== payment.merchantSubscriptionId) {
        // The new mandate (with a higher maxAmount) replaces the old one: stop the old one at PhonePe.
        hooks.afterCommit(`cancel replaced mandate ${replaced}`, () => mandateCalls(ctx).cancel(replaced));
      }
      hooks.add('subscriptionPlanChanged', { subscription, fromPlanId, toPlanId });
      return subscription;
    },
  };
}

/** A completed payment that changes nothing (see planCompletedPayment): audited, reported, and a mandate it set up stopped. */
function unapplied(
  { ctx, tx, hooks, payment, mandate }: Completed,
  live: SubscriptionRecord | null,
  kind: AnomalyKind,
  detail: string,
): CompletionPlan {
  return {
    paymentPatch: {},
    async apply() {
      await audit(ctx, tx, {
        workspaceId: payment.workspaceId,
        actor: ACTOR,
        action: 'payment.unapplied',
        entityType: 'payment',
        entityId: payment.id,
        data: { kind, purpose: payment.purpose, amountPaise: payment.amountPaise, subscriptionId: live?.id ?? null },
      });
      hooks.add('anomaly', {
        kind,
        detail: `${detail}; nothing was changed — refund it with billing.refund('${payment.merchantOrderId}') if it was not meant`,
        workspaceId: payment.workspaceId,
        subjectId: payment.merchantOrderId,
      });
      const orphan = payment.merchantSubscriptionId;
      if (mandate && orphan && orphan !== live?.merchantSubscriptionId) {
        hooks.afterCommit(`cancel unused mandate ${orphan}`, () => mandateCalls(ctx).cancel(orphan));
      }
      return live;
    },
  };
}
