import type { BillingTransaction, PaymentPatch, StoreScope } from '../storage/billing-store.js';
import {
  isLive,
  type PaymentRecord,
  type PaymentState,
  type PlanRecord,
  type SubscriptionRecord,
} from '../storage/records.js';
import {
  audit,
  auditEntry,
  type BillingContext,
  gatewayFor,
  inTransaction,
  mandateGatewayFor,
  mandateRef,
  paymentRef,
  requirePlan,
  SYSTEM_SCOPE,
} from './billing-context.js';
import type { AnomalyKind, PendingHooks } from './billing-hooks.js';
import { addIntervals, scheduleNextAction } from './billing-period.js';
import { BillingError, providerError } from './errors.js';
import { type GatewayOrder, signalFromOrder } from './payment-gateway.js';
import {
  decidePayment,
  isTerminalPaymentState,
  type PaymentSignal,
  type SignalSource,
} from './payment-state-machine.js';

/**
 * The facts a gateway's order adds to a payment row: the latest attempt's transaction id and mode, error
 * codes, when the order expires, and — for mandate debits — when the pre-debit notice was confirmed and the
 * window in which the debit may be executed.
 */
export function paymentPatchFromOrder(order: GatewayOrder): PaymentPatch {
  const patch: PaymentPatch = {};
  if (order.transactionId) patch.phonepeTransactionId = order.transactionId;
  if (order.paymentMode) patch.paymentMode = order.paymentMode;
  if (order.errorCode) patch.errorCode = order.errorCode;
  if (order.detailedErrorCode) patch.detailedErrorCode = order.detailedErrorCode;
  if (order.expiresAt !== null) patch.expiresAt = order.expiresAt;
  if (order.debitWindow.notifiedAt !== null) patch.notifiedAt = order.debitWindow.notifiedAt;
  if (order.debitWindow.from !== null) patch.redeemAfter = order.debitWindow.from;
  if (order.debitWindow.until !== null) patch.redeemBefore = order.debitWindow.until;
  return patch;
}

/** The mandate a completed set-up order carries, as far as the gateway's answer names it. */
export function mandateFromOrder(order: GatewayOrder | undefined): Mandate {
  return {
    phonepeSubscriptionId: order?.mandate.gatewayMandateId ?? null,
    maxAmount: order?.mandate.maxAmountPaise ?? null,
  };
}

type Mandate = { phonepeSubscriptionId: string | null; maxAmount: number | null };

type MandateFields = Pick<
  SubscriptionRecord,
  | 'merchantSubscriptionId'
  | 'phonepeSubscriptionId'
  | 'mandateState'
  | 'mandateMaxAmountPaise'
  | 'mandateGateway'
  | 'mandateGatewayAccount'
>;

/** A subscription's mandate fields when `payment` set one up: in force, on the payment's gateway and account. */
function mandateFields(ctx: BillingContext, payment: PaymentRecord, mandate: Mandate): MandateFields {
  return {
    merchantSubscriptionId: payment.merchantSubscriptionId,
    phonepeSubscriptionId: mandate.phonepeSubscriptionId,
    mandateState: gatewayFor(ctx, payment.gateway).activeMandateState,
    mandateMaxAmountPaise: mandate.maxAmount ?? mandateMaxAmount(payment),
    mandateGateway: payment.gateway,
    mandateGatewayAccount: payment.gatewayAccount,
  };
}

/** A subscription's mandate fields without a mandate. */
const NO_MANDATE: MandateFields = {
  merchantSubscriptionId: null,
  phonepeSubscriptionId: null,
  mandateState: null,
  mandateMaxAmountPaise: null,
  mandateGateway: null,
  mandateGatewayAccount: null,
};

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
  order?: GatewayOrder,
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
    ...(mandate ? mandateFields(ctx, payment, mandate) : NO_MANDATE),
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
  const mandatePatch = mandate ? { renewalMode: 'autopay' as const, ...mandateFields(ctx, payment, mandate) } : {};
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
      const replaced = mandateRef(live);
      if (mandate && replaced && replaced.merchantMandateId !== payment.merchantSubscriptionId) {
        // The new mandate (with a higher maxAmount) replaces the old one: stop the old one at its gateway.
        const gateway = mandateGatewayFor(ctx, live);
        hooks.afterCommit(`cancel replaced mandate ${replaced.merchantMandateId}`, () =>
          gateway.cancelMandate(replaced),
        );
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
        const gateway = gatewayFor(ctx, payment.gateway);
        const ref = { merchantMandateId: orphan, gatewayMandateId: mandate.phonepeSubscriptionId };
        hooks.afterCommit(`cancel unused mandate ${orphan}`, () => gateway.cancelMandate(ref));
      }
      return live;
    },
  };
}

/**
 * What a failed or expired payment does to its subscription: a failed renewal puts the subscription in
 * front of the renewal worker right away (it decides retry, past-due, grace and expiry); a failed first
 * checkout or upgrade changes nothing (the workspace keeps what it had).
 */
export async function applyFailedPayment(
  ctx: BillingContext,
  tx: BillingTransaction,
  payment: PaymentRecord,
): Promise<SubscriptionRecord | null> {
  if (payment.purpose !== 'renewal' || !payment.subscriptionId) return null;
  const sub = await tx.subscriptions.getById(payment.subscriptionId);
  if (!sub || !isLive(sub)) return sub;
  const now = ctx.clock.now();
  return tx.subscriptions.update(
    sub.id,
    sub.version,
    { nextActionAt: now, renewalAttempts: sub.renewalAttempts + 1 },
    now,
  );
}

/** How a settlement signal came in, and what else it tells us. */
export interface SignalDetails {
  source: SignalSource;
  /** Audit actor, e.g. `phonepe:webhook`, `phonepe:redirect`, `user:<id>`. */
  actor: string;
  /** The full order status, when the signal came from it (adds transaction id, mode, mandate, notice window). */
  order?: GatewayOrder;
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
  const instruments = ctx.instruments;
  if (!instruments) return decideAndWrite(ctx, tx, hooks, merchantOrderId, payment, signal, details);
  // The span covers the decision and the writes (the commit is the caller's); the count waits for the commit.
  return instruments.tracing.inSpan(
    'billing.settlement',
    { kind: 'internal', attributes: { 'billing.source': details.source, 'billing.signal': signal.type } },
    async (span) => {
      const result = await decideAndWrite(ctx, tx, hooks, merchantOrderId, payment, signal, details);
      span.setAttribute('billing.outcome', result.outcome);
      if (result.from) span.setAttribute('billing.payment.from', result.from);
      if (result.to) span.setAttribute('billing.payment.to', result.to);
      hooks.afterCommit('settlement metrics', async () => instruments.settlement(details.source, result));
      return result;
    },
  );
}

async function decideAndWrite(
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
    signal.type === 'order_created' ? signal.phonepeOrderId : (details.order?.gatewayOrderId ?? payment.phonepeOrderId);
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

/** The payment's order as its gateway sees it now; `null` when the gateway has no such order. */
export function fetchOrderStatus(
  ctx: BillingContext,
  payment: Pick<PaymentRecord, 'merchantOrderId' | 'phonepeOrderId' | 'method' | 'expiresAt' | 'gateway'>,
): Promise<GatewayOrder | null> {
  return gatewayFor(ctx, payment.gateway).getOrder(paymentRef(payment));
}

// A row still `created` (PhonePe never confirmed it) is given up only after PhonePe would have expired
// the order anyway: expireAfter plus a margin for clock skew and slow networks.
const ABANDON_MARGIN_MS = 5 * 60 * 1000;

/**
 * Brings a payment up to date with PhonePe: a terminal payment is returned as stored; otherwise the
 * order status is fetched and settled through the state machine. A row PhonePe has never heard of is
 * expired once its order could no longer be paid.
 */
export async function refreshPayment(
  ctx: BillingContext,
  scope: StoreScope,
  merchantOrderId: string,
  details: Omit<SignalDetails, 'order'>,
): Promise<SettlementResult> {
  const payment = await inTransaction(ctx, scope, (tx) => tx.payments.getByMerchantOrderId(merchantOrderId));
  if (!payment)
    throw new BillingError(
      'PAYMENT_NOT_FOUND',
      `No payment with order id ${merchantOrderId} was found in this workspace.`,
      { details: { orderId: merchantOrderId } },
    );
  return refreshLoadedPayment(ctx, scope, payment, details);
}

/**
 * {@link refreshPayment} for a row the caller has just read (the renewal worker loads them with its
 * claim): no second read. The row may be a moment old; the settlement locks and decides on the
 * current one. `details.within` runs only when something is settled.
 */
export async function refreshLoadedPayment(
  ctx: BillingContext,
  scope: StoreScope,
  payment: PaymentRecord,
  details: Omit<SignalDetails, 'order'>,
): Promise<SettlementResult> {
  const merchantOrderId = payment.merchantOrderId;
  if (isTerminalPaymentState(payment.state))
    return { outcome: 'unchanged', payment, subscription: null, reason: 'already_terminal' };
  let order: GatewayOrder | null;
  try {
    order = await fetchOrderStatus(ctx, payment);
  } catch (error) {
    throw providerError(gatewayFor(ctx, payment.gateway), error, `checking payment ${merchantOrderId}`);
  }
  if (order)
    return applyPaymentSignal(ctx, scope, merchantOrderId, signalFromOrder(order, true), { ...details, order });
  const deadline = payment.createdAt + ctx.config.orderExpireAfterSeconds * 1000 + ABANDON_MARGIN_MS;
  if (payment.state === 'created' && ctx.clock.now() > deadline) {
    return applyPaymentSignal(ctx, scope, merchantOrderId, { type: 'abandoned' }, details);
  }
  return { outcome: 'unchanged', payment, subscription: null, reason: 'not_at_phonepe_yet' };
}

/** Where to send the payer's browser after PhonePe's redirect, and what we know by then. */
export interface RedirectOutcome {
  /** The stored, allowlisted return URL with `payment_status` and `order_id` appended; `null` if unknown. */
  redirectUrl: string | null;
  status: 'completed' | 'failed' | 'expired' | 'pending' | 'unknown';
  payment: PaymentRecord | null;
}

/** A merchant order id as we make them: 1–63 of letters, digits, `_` and `-`. */
export const ORDER_ID = /^[A-Za-z0-9_-]{1,63}$/;

/**
 * Handles the payer's return from PhonePe. The query is never trusted: the order status is asked from
 * PhonePe and settled through the state machine, then the browser goes to the return URL stored (and
 * allowlist-checked) when the checkout was created — never to a URL taken from the request. If PhonePe
 * cannot be reached the payer is still sent back, with `payment_status=pending`.
 */
export async function handleRedirect(ctx: BillingContext, merchantOrderId: string): Promise<RedirectOutcome> {
  if (typeof merchantOrderId !== 'string' || !ORDER_ID.test(merchantOrderId))
    return { redirectUrl: null, status: 'unknown', payment: null };
  let payment = await inTransaction(ctx, SYSTEM_SCOPE, (tx) => tx.payments.getByMerchantOrderId(merchantOrderId));
  if (!payment) return { redirectUrl: null, status: 'unknown', payment: null };
  try {
    payment =
      (await refreshPayment(ctx, SYSTEM_SCOPE, merchantOrderId, { source: 'redirect', actor: 'phonepe:redirect' }))
        .payment ?? payment;
  } catch (error) {
    ctx.logger.warn(
      { merchantOrderId, err: error instanceof Error ? error.message : String(error) },
      'could not confirm the payment on redirect; sending the payer back as pending',
    );
  }
  const status = payment.state === 'created' ? 'pending' : payment.state;
  const allowed = payment.returnUrl ? ctx.allowlist.check(payment.returnUrl) : null;
  if (!allowed?.ok) return { redirectUrl: null, status, payment };
  const url = new URL(allowed.url);
  url.searchParams.set('payment_status', status);
  url.searchParams.set('order_id', merchantOrderId);
  return { redirectUrl: url.href, status, payment };
}

interface Flight {
  running: Promise<unknown>;
  /** A run that starts once `running` ends, shared by everyone who asked for it meanwhile. */
  queued: Promise<unknown> | null;
}

/**
 * Coalesces work on one key within this process, so a storm of copies of one webhook does the work once
 * instead of once per copy (PhonePe redelivers when an answer takes longer than its 3–5 s timeout, which
 * a storm of parallel re-processing causes in turn).
 *
 * - `join`: run, or share the run already going on — for facts that never flip back (an order or refund
 *   reaching a state), where a read made during the copy's arrival is as good as its own.
 * - `after`: share the next run that starts after the current one ends — for states that go back and
 *   forth (a mandate: active, paused, active), where each arrival needs a read made after it arrived.
 *
 * @example
 * const flights = new InFlight();
 * const { result, joined } = flights.join('checkout.order.completed:ord_1:COMPLETED', () => settle());
 */
export class InFlight {
  readonly #flights = new Map<string, Flight>();

  /** Starts `run`, or returns the promise of the run already going on for `key` (`joined: true`). */
  join<T>(key: string, run: () => Promise<T>): { result: Promise<T>; joined: boolean } {
    const flight = this.#flights.get(key);
    if (flight) return { result: (flight.queued ?? flight.running) as Promise<T>, joined: true };
    return { result: this.#start(key, run), joined: false };
  }

  /** Runs `run` now if nothing runs for `key`, else once the current run ends (one run for all who wait). */
  after<T>(key: string, run: () => Promise<T>): Promise<T> {
    const flight = this.#flights.get(key);
    if (!flight) return this.#start(key, run);
    flight.queued ??= flight.running.then(ignore, ignore).then(() => this.#start(key, run));
    return flight.queued as Promise<T>;
  }

  /** How many keys have work going on (for tests and metrics). */
  get size(): number {
    return this.#flights.size;
  }

  #start<T>(key: string, run: () => Promise<T>): Promise<T> {
    const flight: Flight = { running: Promise.resolve(), queued: null };
    this.#flights.set(key, flight);
    const running = (async () => {
      try {
        return await run();
      } finally {
        // A queued run takes the key over when it starts; until then later arrivals join the queue.
        if (this.#flights.get(key) === flight && flight.queued === null) this.#flights.delete(key);
      }
    })();
    flight.running = running;
    return running;
  }
}

function ignore(): void {}

/** The per-debit cap of a mandate set up by this payment: the plan price (an upgrade's first debit is only the prorated part). */
export function mandateMaxAmount(payment: PaymentRecord): number {
  const fromMetadata = payment.metadata.mandateMaxAmountPaise;
  return typeof fromMetadata === 'number' ? fromMetadata : payment.amountPaise;
}
