import { z } from 'zod';
import type { BillingTransaction } from '../storage/billing-store.js';
import type { PaymentRecord, PlanRecord, SubscriptionRecord } from '../storage/records.js';
import {
  audit,
  type BillingContext,
  mandateGatewayFor,
  inTransaction,
  mandatePhase,
  requirePlan,
  workspaceScope,
} from './billing-context.js';
import type { PendingHooks } from './billing-hooks.js';
import { mandateGatewayOf, newPaymentRecord, storedCustomer, submitOrder } from './checkout.js';
import type { GatewayCustomer } from './payment-gateway.js';
import { BillingError, parseInput } from './errors.js';
import { prorateUpgrade } from './money.js';
import { advanceDebit } from './renewal-debits.js';
import { usagePeriodStart } from './usage.js';

const changePlanInputSchema = z.strictObject({
  planId: z.string().min(1).max(128),
  userId: z.string().max(128).nullable().default(null),
  /** Downgrade even when current usage is above the new plan's limits. */
  force: z.boolean().default(false),
  /** Where the payer returns after paying an upgrade by checkout (must match the allowlist). */
  returnUrl: z.string().optional(),
});

/** The input of `billing.changePlan()`: the new plan, who asked, `force` for a downgrade over the new limits, and where an upgrade's payer returns. */
export type ChangePlanInput = z.input<typeof changePlanInputSchema>;

/** What `changePlan` did. */
export interface ChangePlanResult {
  /**
   * `upgraded`: applied now (nothing to pay, or a trial); `payment_required`: applies once `payment`
   * completes — pay at `payment.paymentUrl` (checkout) or wait for the autopay debit (≥ 24 h notice);
   * `downgrade_scheduled`: applies at period end; `change_cancelled`: a scheduled downgrade was withdrawn.
   */
  kind: 'upgraded' | 'payment_required' | 'downgrade_scheduled' | 'change_cancelled';
  subscription: SubscriptionRecord;
  payment: PaymentRecord | null;
  /** The prorated amount charged for the rest of the period, in paise. */
  amountPaise: number;
}

/**
 * Moves a workspace to another plan. Upgrades charge the prorated difference for the rest of the period
 * — by an autopay debit when the mandate's maxAmount allows it, otherwise by checkout (with autopay, a new
 * mandate for the new price) — and apply when paid (under ₹1 they apply at once). Downgrades apply at
 * period end and are refused while usage is above the new limits, unless `force`.
 */
export async function changePlan(
  ctx: BillingContext,
  workspaceId: string,
  raw: ChangePlanInput,
): Promise<ChangePlanResult> {
  const input = parseInput(changePlanInputSchema, raw, 'changePlan');
  const actor = input.userId ? `user:${input.userId}` : 'system:api';
  const returnUrl = input.returnUrl === undefined ? null : ctx.allowlist.check(input.returnUrl);
  if (returnUrl && !returnUrl.ok) throw new BillingError('RETURN_URL_NOT_ALLOWED', returnUrl.message);
  const decided = await inTransaction(ctx, workspaceScope(workspaceId), async (tx, hooks) => {
    const sub = await tx.subscriptions.getLive(workspaceId);
    if (!sub)
      throw new BillingError(
        'SUBSCRIPTION_NOT_FOUND',
        `Workspace ${workspaceId} has no active subscription; subscribe with a checkout instead.`,
      );
    const current = await requirePlan(ctx, tx, sub.planId);
    const target = await requirePlan(ctx, tx, input.planId);
    if (target.id === current.id) return withdrawDowngrade(ctx, tx, sub, actor);
    if (!target.active) throw new BillingError('PLAN_INACTIVE', `Plan "${target.id}" is no longer offered.`);
    if (sub.status !== 'active' && sub.status !== 'trialing')
      throw new BillingError(
        'PLAN_CHANGE_NOT_ALLOWED',
        `The subscription is ${sub.status}; settle the renewal before changing plans.`,
      );
    if (sub.cancelAtPeriodEnd)
      throw new BillingError(
        'PLAN_CHANGE_NOT_ALLOWED',
        'The subscription is cancelled at period end; resume it before changing plans.',
      );
    const now = ctx.clock.now();
    if (target.pricePaise <= current.pricePaise)
      return scheduleDowngrade(ctx, tx, sub, current, target, input.force, actor);
    const amount =
      sub.status === 'trialing'
        ? 0
        : prorateUpgrade({
            currentPricePaise: current.pricePaise,
            newPricePaise: target.pricePaise,
            periodStart: sub.currentPeriodStart,
            periodEnd: sub.currentPeriodEnd,
            now,
          });
    if (amount < 100) return applyNow(ctx, tx, hooks, sub, target, actor);
    const byDebit =
      sub.renewalMode === 'autopay' &&
      mandatePhase(ctx, sub) === 'active' &&
      sub.mandateMaxAmountPaise !== null &&
      amount <= sub.mandateMaxAmountPaise &&
      target.pricePaise <= sub.mandateMaxAmountPaise;
    // An upgrade paid by checkout stays on the gateway of the subscription's mandate (the default without one);
    // a new mandate there needs what that gateway needs for one (Razorpay: the payer stored at set-up).
    const gateway = mandateGatewayFor(ctx, sub);
    const customer = gateway.capabilities.mandateNeedsCustomer ? await setupCustomer(tx, sub) : null;
    const newMandate =
      !byDebit &&
      sub.renewalMode === 'autopay' &&
      target.autopay &&
      target.pricePaise <= ctx.config.autopay.maxAmountPaise &&
      gateway.capabilities.mandates &&
      (!gateway.capabilities.mandateNeedsCustomer || (customer?.email != null && customer.contact != null));
    if (!byDebit && !returnUrl)
      throw new BillingError(
        'INVALID_INPUT',
        'changePlan: a return URL (returnUrl, or return_url over HTTP) is required for an upgrade paid by checkout: the payer comes back to it after paying.',
      );
    const payment = newPaymentRecord(ctx, {
      workspaceId,
      userId: input.userId,
      planId: target.id,
      amountPaise: amount,
      purpose: 'upgrade',
      subscriptionId: sub.id,
      method: byDebit ? 'autopay_redemption' : newMandate ? 'autopay_setup' : 'checkout',
      merchantSubscriptionId: byDebit ? sub.merchantSubscriptionId : newMandate ? ctx.ids('mnd') : null,
      ...(byDebit ? mandateGatewayOf(ctx, sub) : { gateway: gateway.name, gatewayAccount: gateway.account }),
      returnUrl: returnUrl?.ok ? returnUrl.url : null,
      metadata: {
        fromPlanId: current.id,
        toPlanId: target.id,
        mandateMaxAmountPaise: newMandate ? target.pricePaise : null,
        ...(newMandate && customer ? { customer } : {}),
      },
    });
    await tx.payments.insert(payment);
    await audit(ctx, tx, {
      workspaceId,
      actor,
      action: 'payment.created',
      entityType: 'payment',
      entityId: payment.id,
      data: { purpose: 'upgrade', method: payment.method, amountPaise: amount, toPlanId: target.id },
    });
    return { kind: 'payment_required' as const, subscription: sub, payment, amountPaise: amount, target };
  });
  if (decided.kind !== 'payment_required' || !decided.payment) return decided;
  if (decided.payment.method !== 'autopay_redemption') {
    const payment = await submitOrder(
      ctx,
      workspaceScope(workspaceId),
      decided.payment,
      (decided as { target: PlanRecord }).target,
      actor,
    );
    return { kind: 'payment_required', subscription: decided.subscription, payment, amountPaise: decided.amountPaise };
  }
  // An upgrade debit follows PhonePe's notice → 24 h → execute sequence: the renewal worker carries it on,
  // so bring the subscription forward in its queue to when the debit next needs a look.
  const step = await advanceDebit(ctx, decided.payment, ctx.clock.now());
  const subscription = await inTransaction(ctx, workspaceScope(workspaceId), async (tx) => {
    const sub = await tx.subscriptions.getById(decided.subscription.id);
    const due = step.nextCheckAt ?? ctx.clock.now();
    if (!sub || (sub.nextActionAt !== null && sub.nextActionAt <= due)) return sub ?? decided.subscription;
    return tx.subscriptions.update(sub.id, sub.version, { nextActionAt: due }, ctx.clock.now());
  });
  return { kind: 'payment_required', subscription, payment: step.payment, amountPaise: decided.amountPaise };
}

async function applyNow(
  ctx: BillingContext,
  tx: BillingTransaction,
  hooks: PendingHooks,
  sub: SubscriptionRecord,
  target: PlanRecord,
  actor: string,
): Promise<ChangePlanResult> {
  const updated = await tx.subscriptions.update(
    sub.id,
    sub.version,
    { planId: target.id, pendingPlanId: null },
    ctx.clock.now(),
  );
  await audit(ctx, tx, {
    workspaceId: sub.workspaceId,
    actor,
    action: 'subscription.upgraded',
    entityType: 'subscription',
    entityId: sub.id,
    data: { fromPlanId: sub.planId, toPlanId: target.id, chargedPaise: 0 },
  });
  hooks.add('subscriptionPlanChanged', { subscription: updated, fromPlanId: sub.planId, toPlanId: target.id });
  return { kind: 'upgraded', subscription: updated, payment: null, amountPaise: 0 };
}

async function scheduleDowngrade(
  ctx: BillingContext,
  tx: BillingTransaction,
  sub: SubscriptionRecord,
  current: PlanRecord,
  target: PlanRecord,
  force: boolean,
  actor: string,
): Promise<ChangePlanResult> {
  const counters = await tx.usage.get(sub.workspaceId, usagePeriodStart(sub));
  const over = Object.entries(target.limits).filter(
    ([metric, limit]) => limit !== null && (counters[metric] ?? 0) > limit,
  );
  if (over.length > 0 && !force) {
    const list = over.map(([metric, limit]) => `${metric} ${counters[metric]} > ${limit}`).join(', ');
    throw new BillingError(
      'DOWNGRADE_BELOW_USAGE',
      `Current usage is above the limits of plan "${target.id}" (${list}); reduce usage or pass force to downgrade anyway.`,
      { details: { over: Object.fromEntries(over.map(([m, l]) => [m, { current: counters[m], limit: l }])) } },
    );
  }
  const updated = await tx.subscriptions.update(sub.id, sub.version, { pendingPlanId: target.id }, ctx.clock.now());
  await audit(ctx, tx, {
    workspaceId: sub.workspaceId,
    actor,
    action: 'subscription.downgrade_scheduled',
    entityType: 'subscription',
    entityId: sub.id,
    data: { fromPlanId: current.id, toPlanId: target.id, at: sub.currentPeriodEnd, forced: over.length > 0 },
  });
  return { kind: 'downgrade_scheduled', subscription: updated, payment: null, amountPaise: 0 };
}

async function withdrawDowngrade(
  ctx: BillingContext,
  tx: BillingTransaction,
  sub: SubscriptionRecord,
  actor: string,
): Promise<ChangePlanResult> {
  if (sub.pendingPlanId === null)
    throw new BillingError('PLAN_CHANGE_NOT_ALLOWED', `The workspace is already on plan "${sub.planId}".`);
  const updated = await tx.subscriptions.update(sub.id, sub.version, { pendingPlanId: null }, ctx.clock.now());
  await audit(ctx, tx, {
    workspaceId: sub.workspaceId,
    actor,
    action: 'subscription.downgrade_withdrawn',
    entityType: 'subscription',
    entityId: sub.id,
    data: { pendingPlanId: sub.pendingPlanId },
  });
  return { kind: 'change_cancelled', subscription: updated, payment: null, amountPaise: 0 };
}

/** The payer stored with the subscription's latest mandate set-up (what a gateway like Razorpay needs for a new one). */
async function setupCustomer(tx: BillingTransaction, sub: SubscriptionRecord): Promise<GatewayCustomer | null> {
  const payments = await tx.payments.listBySubscription(sub.id, { limit: 50 });
  for (const payment of payments) {
    const customer = payment.method === 'autopay_setup' ? storedCustomer(payment) : null;
    if (customer) return customer;
  }
  return null;
}
