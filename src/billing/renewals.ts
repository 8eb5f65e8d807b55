import type { BillingTransaction } from '../storage/billing-store.js';
import { isLive, isOpen, type PaymentRecord, type PlanRecord, type SubscriptionRecord } from '../storage/records.js';
import {
  audit,
  auditEntry,
  type BillingContext,
  findPlan,
  inTransaction,
  mandatePhase,
  notify,
  planNotFound,
  SYSTEM_SCOPE,
} from './billing-context.js';
import type { SubscriptionEndReason } from './billing-hooks.js';
import { nextPeriod, subscriptionAnchor } from './billing-period.js';
import { mandateGatewayOf, newPaymentRecord, submitOrder } from './checkout.js';
import { BillingError, isBillingError } from './errors.js';
import { advanceDebit, DEBIT_CHECK_INTERVAL_MS, type DebitStep } from './renewal-debits.js';
import { cancelMandate, refreshMandate } from './subscriptions.js';

/** What the renewal worker did to one subscription. */
export const RENEWAL_ACTIONS = [
  'none',
  'reminded',
  'notified',
  'checked',
  'executed',
  'waiting',
  'renewed',
  'past_due',
  'expired',
  'ended',
  'switched_to_manual',
  'error',
] as const;
export type RenewalAction = (typeof RENEWAL_ACTIONS)[number];

/** One subscription's result in `runRenewals` (batch work never stops at the first failure). */
export interface RenewalItemResult {
  subscriptionId: string;
  workspaceId: string;
  action: RenewalAction;
  detail: string;
  /** When the worker will look at it again (`null`: nothing scheduled). */
  nextActionAt: number | null;
  error?: { code: string; message: string };
}

/** The summary `runRenewals` returns. */
export interface RenewalRunResult {
  workerId: string;
  claimed: number;
  items: RenewalItemResult[];
  /** Count per action. */
  summary: Partial<Record<RenewalAction, number>>;
}

/**
 * Ends a subscription for good: `cancelled` when it was cancelled at period end, `expired` otherwise
 * (unpaid after grace, trial over, mandate lost). Access ends; its mandate is cancelled at PhonePe.
 */
export async function endSubscription(
  ctx: BillingContext,
  subscriptionId: string,
  reason: SubscriptionEndReason,
): Promise<SubscriptionRecord | null> {
  return inTransaction(ctx, SYSTEM_SCOPE, async (tx, hooks) => {
    const sub = await tx.subscriptions.getById(subscriptionId);
    if (!sub || !isLive(sub)) return sub;
    const now = ctx.clock.now();
    const status = reason === 'cancelled' ? ('cancelled' as const) : ('expired' as const);
    const updated = await tx.subscriptions.update(
      sub.id,
      sub.version,
      {
        status,
        endedAt: Math.min(now, Math.max(sub.currentPeriodEnd, sub.graceEndsAt ?? 0)),
        nextActionAt: null,
        cancelAtPeriodEnd: false,
        pendingPlanId: null,
      },
      now,
    );
    await audit(ctx, tx, {
      workspaceId: sub.workspaceId,
      actor: 'system:renewals',
      action: `subscription.${status}`,
      entityType: 'subscription',
      entityId: sub.id,
      data: { reason },
    });
    hooks.afterCommit(`cancel mandate of ${sub.id}`, () => cancelMandate(ctx, updated, 'system:renewals'));
    hooks.add('subscriptionExpired', { subscription: updated, reason });
    return updated;
  });
}

/** PhonePe's upper bound for `expireAfter` (docs/phonepe-protocol.md#checkout-pay). */
const MAX_EXPIRE_AFTER_SECONDS = 3600;

/** One step's outcome; `nextActionAt` is stored on the subscription by the caller. */
export interface RenewalStep {
  action: RenewalAction;
  detail: string;
  nextActionAt: number | null;
}

interface Loaded {
  sub: SubscriptionRecord;
  nextPlan: PlanRecord;
  /** Payments for the period after the current one (renewal attempts), newest first. */
  renewals: PaymentRecord[];
  /** An autopay upgrade debit still in flight. */
  openUpgrade: PaymentRecord | undefined;
  returnUrl: string | null;
}

/** A claimed subscription as the renewal worker loads it, with its claim: its recent payments and the plan it renews on. */
export interface ClaimedRenewal {
  sub: SubscriptionRecord;
  /** The subscription's payments, newest first (the most recent 50). */
  recent: PaymentRecord[];
  /** The plan the next period is on (`pendingPlanId ?? planId`); `null` when it exists nowhere. */
  nextPlan: PlanRecord | null;
}

/**
 * Where the renewal worker stores a step's outcome when the step's last transaction can carry it:
 * called inside that transaction (the worker then has nothing left to write for the step).
 */
export type RenewalFinish = (tx: BillingTransaction, step: RenewalStep) => Promise<void>;

/** What the worker needs of a claimed subscription (see {@link ClaimedRenewal}), read inside `tx`. */
export async function loadRenewal(
  ctx: BillingContext,
  tx: BillingTransaction,
  sub: SubscriptionRecord,
): Promise<ClaimedRenewal> {
  const recent = await tx.payments.listBySubscription(sub.id, { limit: 50 });
  return { sub, recent, nextPlan: await findPlan(ctx, tx, sub.pendingPlanId ?? sub.planId) };
}

/**
 * Takes the next renewal step for one subscription (claimed by this worker), following the rules in the
 * docs/billing.md#renewals: end a cancelled subscription at period end; end a trial; expire a past-due subscription after
 * its grace period; mark it past due when the due date passes unpaid; then either remind and create a
 * renewal checkout (manual renewal) or send the pre-debit notice, wait ≥ 24 h, execute and confirm the
 * debit (autopay), retrying failed debits up to `renewal.maxAttempts` within the grace period. An autopay
 * debit step hands its outcome to `finish` inside the transaction that settles it.
 */
export async function renewSubscription(
  ctx: BillingContext,
  claimed: ClaimedRenewal,
  finish?: RenewalFinish,
): Promise<RenewalStep> {
  let loaded = loadedOf(claimed);
  if (!loaded) return { action: 'none', detail: 'no longer live', nextActionAt: null };
  if (mandateMayHaveChanged(ctx, loaded.sub)) {
    // A stored pause may be stale (PhonePe's webhook lost or delayed): before a step that skips the debit
    // or expires the subscription because of it, ask PhonePe. A failed check fails the step (retried later).
    await refreshMandate(ctx, loaded.sub.merchantSubscriptionId as string, 'system:renewals');
    loaded = await load(ctx, loaded.sub.id);
    if (!loaded) return { action: 'none', detail: 'no longer live', nextActionAt: null };
  }
  const { sub } = loaded;
  const now = ctx.clock.now();
  if (sub.cancelAtPeriodEnd) {
    if (now < sub.currentPeriodEnd)
      return { action: 'none', detail: 'cancelled; ends at period end', nextActionAt: sub.currentPeriodEnd };
    await endSubscription(ctx, sub.id, 'cancelled');
    return { action: 'ended', detail: 'cancelled at period end', nextActionAt: null };
  }
  if (sub.status === 'trialing') return trialStep(ctx, loaded, now);
  if (sub.status === 'past_due' && sub.graceEndsAt !== null && now >= sub.graceEndsAt) {
    await endSubscription(ctx, sub.id, 'payment_failed');
    return { action: 'expired', detail: 'unpaid after the grace period', nextActionAt: null };
  }
  // Past due when the due date passes unpaid — but an autopay debit already in flight at PhonePe is given
  // its chance first (PhonePe settles a redemption within 48 h); if it fails, the next step marks it.
  const debitInFlight = sub.renewalMode === 'autopay' && loaded.renewals.some(isOpen);
  if (
    sub.status === 'active' &&
    now >= sub.currentPeriodEnd &&
    loaded.renewals[0]?.state !== 'completed' &&
    !debitInFlight
  ) {
    return markPastDue(ctx, sub, now);
  }
  return sub.renewalMode === 'autopay' ? autopayStep(ctx, loaded, now, finish) : manualStep(ctx, loaded, now);
}

// An autopay mandate stored in a phase other than active that the gateway can bring back (paused, not in
// force yet, being cancelled): the renewal worker re-reads it rather than skip or expire on what may be an
// old state. An ended or failed mandate never comes back.
function mandateMayHaveChanged(ctx: BillingContext, sub: SubscriptionRecord): boolean {
  if (sub.renewalMode !== 'autopay' || sub.merchantSubscriptionId === null) return false;
  const phase = mandatePhase(ctx, sub);
  return phase !== null && phase !== 'active' && phase !== 'ended' && phase !== 'failed';
}

async function load(ctx: BillingContext, subscriptionId: string): Promise<Loaded | null> {
  return inTransaction(ctx, SYSTEM_SCOPE, async (tx) => {
    const sub = await tx.subscriptions.getById(subscriptionId);
    return sub ? loadedOf(await loadRenewal(ctx, tx, sub)) : null;
  });
}

// The step's view of a claimed subscription; null when it is no longer live.
function loadedOf({ sub, recent, nextPlan }: ClaimedRenewal): Loaded | null {
  if (!isLive(sub)) return null;
  if (!nextPlan) throw planNotFound(sub.pendingPlanId ?? sub.planId);
  const renewals = recent.filter((p) => p.purpose === 'renewal' && p.periodStart === sub.currentPeriodEnd);
  const openUpgrade = recent.find((p) => p.purpose === 'upgrade' && p.method === 'autopay_redemption' && isOpen(p));
  const returnUrl = recent.find((p) => p.returnUrl !== null)?.returnUrl ?? null;
  return { sub, nextPlan, renewals, openUpgrade, returnUrl };
}

async function trialStep(ctx: BillingContext, { sub, nextPlan }: Loaded, now: number): Promise<RenewalStep> {
  const remindAt = sub.currentPeriodEnd - ctx.config.renewal.reminderLeadMs;
  if (now < remindAt) return { action: 'none', detail: 'trial running', nextActionAt: remindAt };
  if (now >= sub.currentPeriodEnd) {
    await endSubscription(ctx, sub.id, 'trial_ended');
    return { action: 'expired', detail: 'trial ended without payment', nextActionAt: null };
  }
  if (sub.metadata.reminderSentFor === sub.currentPeriodEnd)
    return { action: 'none', detail: 'trial reminder sent', nextActionAt: sub.currentPeriodEnd };
  await remind(ctx, sub, nextPlan, null);
  return { action: 'reminded', detail: 'trial ends soon', nextActionAt: sub.currentPeriodEnd };
}

async function markPastDue(ctx: BillingContext, sub: SubscriptionRecord, now: number): Promise<RenewalStep> {
  const graceEndsAt = sub.currentPeriodEnd + ctx.config.renewal.graceMs;
  await inTransaction(ctx, SYSTEM_SCOPE, async (tx, hooks) => {
    const fresh = await tx.subscriptions.getById(sub.id);
    if (fresh?.status !== 'active') return;
    const updated = await tx.subscriptions.update(fresh.id, fresh.version, { status: 'past_due', graceEndsAt }, now);
    await audit(ctx, tx, {
      workspaceId: fresh.workspaceId,
      actor: 'system:renewals',
      action: 'subscription.past_due',
      entityType: 'subscription',
      entityId: fresh.id,
      data: { periodEnd: fresh.currentPeriodEnd, graceEndsAt },
    });
    hooks.add('subscriptionPastDue', {
      subscription: updated,
      reason: 'the renewal payment has not completed by the due date',
    });
  });
  return {
    action: 'past_due',
    detail: `unpaid at the due date; grace until ${new Date(graceEndsAt).toISOString()}`,
    nextActionAt: now,
  };
}

async function manualStep(
  ctx: BillingContext,
  { sub, nextPlan, renewals, returnUrl }: Loaded,
  now: number,
): Promise<RenewalStep> {
  const remindAt = sub.currentPeriodEnd - ctx.config.renewal.reminderLeadMs;
  const waitUntil = sub.status === 'past_due' && sub.graceEndsAt !== null ? sub.graceEndsAt : sub.currentPeriodEnd;
  if (now < remindAt) return { action: 'none', detail: 'not due yet', nextActionAt: remindAt };
  if (sub.metadata.reminderSentFor === sub.currentPeriodEnd)
    return { action: 'none', detail: 'reminder sent; waiting for payment', nextActionAt: waitUntil };
  const open = renewals.find(isOpen) ?? null;
  const payment = open ?? (await createRenewalCheckout(ctx, sub, nextPlan, returnUrl));
  await remind(ctx, sub, nextPlan, payment);
  return {
    action: 'reminded',
    detail: payment?.paymentUrl ? 'reminder with a renewal checkout' : 'reminder sent',
    nextActionAt: waitUntil,
  };
}

async function autopayStep(
  ctx: BillingContext,
  loaded: Loaded,
  now: number,
  finish?: RenewalFinish,
): Promise<RenewalStep> {
  const { sub, nextPlan, renewals } = loaded;
  const graceOrDue = sub.status === 'past_due' && sub.graceEndsAt !== null ? sub.graceEndsAt : sub.currentPeriodEnd;
  // Each debit step below becomes the renewal step these give, in the debit's settling transaction too.
  const advance = (
    payment: PaymentRecord,
    notBefore: number,
    toStep: (step: DebitStep) => RenewalStep,
    fresh = false,
  ) =>
    advanceDebit(ctx, payment, notBefore, {
      fresh,
      ...(finish ? { finish: (tx, step) => finish(tx, toStep(step)) } : {}),
    }).then(toStep);
  if (loaded.openUpgrade) {
    return advance(loaded.openUpgrade, now, (step) => ({
      action: debitAction(step.action),
      detail: `upgrade debit ${step.payment.merchantOrderId} is ${step.payment.state}`,
      nextActionAt: step.nextCheckAt ?? now,
    }));
  }
  const notifyAt = sub.currentPeriodEnd - ctx.config.autopay.notifyLeadMs;
  if (now < notifyAt) return { action: 'none', detail: 'not due yet', nextActionAt: notifyAt };
  if (mandatePhase(ctx, sub) !== 'active') {
    // Look again when it falls due, or in a while — never at a time already past (that would spin).
    const next = Math.min(graceOrDue, now + Math.max(ctx.config.renewal.retryDelayMs, DEBIT_CHECK_INTERVAL_MS));
    return {
      action: 'waiting',
      detail: `mandate is ${sub.mandateState}; cannot debit`,
      nextActionAt: next > now ? next : now + DEBIT_CHECK_INTERVAL_MS,
    };
  }
  const renewalStep = (step: DebitStep): RenewalStep => {
    const renewed = step.payment.state === 'completed';
    return {
      action: renewed ? 'renewed' : debitAction(step.action),
      detail: `renewal debit ${step.payment.merchantOrderId} is ${step.payment.state}`,
      nextActionAt: renewed ? null : (step.nextCheckAt ?? now),
    };
  };
  const open = renewals.find(isOpen);
  if (open) return advance(open, sub.currentPeriodEnd, renewalStep);
  const failed = renewals.filter((p) => p.state === 'failed' || p.state === 'expired');
  if (failed.length >= ctx.config.renewal.maxAttempts)
    return {
      action: 'waiting',
      detail: `${failed.length} debit attempts failed; waiting out the grace period`,
      nextActionAt: graceOrDue,
    };
  const retryAt = (failed[0]?.settledAt ?? 0) + ctx.config.renewal.retryDelayMs;
  if (failed.length > 0 && now < retryAt)
    return { action: 'waiting', detail: 'waiting to retry the debit', nextActionAt: Math.min(retryAt, graceOrDue) };
  if (sub.mandateMaxAmountPaise !== null && nextPlan.pricePaise > sub.mandateMaxAmountPaise)
    return switchToManual(ctx, sub, now);
  // A debit created here has never been sent: no lost notice to look up before sending it.
  const payment = await createRenewalDebit(ctx, sub, nextPlan);
  return advance(
    payment,
    sub.currentPeriodEnd,
    (step) => ({
      action: debitAction(step.action),
      detail: `renewal debit ${payment.merchantOrderId} is ${step.payment.state}`,
      nextActionAt: step.nextCheckAt ?? now,
    }),
    true,
  );
}

function debitAction(action: DebitStep['action']): RenewalAction {
  return action === 'settled' ? 'checked' : action;
}

async function createRenewalDebit(
  ctx: BillingContext,
  sub: SubscriptionRecord,
  plan: PlanRecord,
): Promise<PaymentRecord> {
  const period = nextPeriod({ anchorMs: subscriptionAnchor(sub), periodEndMs: sub.currentPeriodEnd }, plan.interval);
  const payment = newPaymentRecord(ctx, {
    workspaceId: sub.workspaceId,
    userId: null,
    planId: plan.id,
    method: 'autopay_redemption',
    purpose: 'renewal',
    amountPaise: plan.pricePaise,
    subscriptionId: sub.id,
    merchantSubscriptionId: sub.merchantSubscriptionId,
    ...mandateGatewayOf(ctx, sub),
    periodStart: period.start,
    periodEnd: period.end,
  });
  const logged = auditEntry(ctx, {
    workspaceId: sub.workspaceId,
    actor: 'system:renewals',
    action: 'payment.created',
    entityType: 'payment',
    entityId: payment.id,
    data: { purpose: 'renewal', method: 'autopay_redemption', amountPaise: payment.amountPaise, periodEnd: period.end },
  });
  await inTransaction(ctx, SYSTEM_SCOPE, (tx) => tx.payments.insert(payment, { audit: logged }));
  return payment;
}

async function createRenewalCheckout(
  ctx: BillingContext,
  sub: SubscriptionRecord,
  plan: PlanRecord,
  returnUrl: string | null,
): Promise<PaymentRecord | null> {
  if (!plan.active && plan.id !== sub.planId) return null;
  const period = nextPeriod({ anchorMs: subscriptionAnchor(sub), periodEndMs: sub.currentPeriodEnd }, plan.interval);
  const payment = newPaymentRecord(ctx, {
    workspaceId: sub.workspaceId,
    userId: null,
    planId: plan.id,
    method: 'checkout',
    purpose: 'renewal',
    amountPaise: plan.pricePaise,
    subscriptionId: sub.id,
    periodStart: period.start,
    periodEnd: period.end,
    returnUrl,
  });
  await inTransaction(ctx, SYSTEM_SCOPE, (tx) => tx.payments.insert(payment));
  try {
    // A reminder's link is read later than a checkout page: give it PhonePe's longest order life (1 h,
    // docs/phonepe-protocol.md#checkout-pay). Past that the host creates a fresh one (createCheckout renews in the window).
    return await submitOrder(ctx, SYSTEM_SCOPE, payment, plan, 'system:renewals', {
      expireAfterSeconds: MAX_EXPIRE_AFTER_SECONDS,
    });
  } catch (error) {
    ctx.logger.warn(
      { subscriptionId: sub.id, err: error instanceof Error ? error.message : String(error) },
      'renewal checkout could not be created; the reminder goes out without a payment link',
    );
    return null;
  }
}

async function remind(
  ctx: BillingContext,
  sub: SubscriptionRecord,
  plan: PlanRecord,
  payment: PaymentRecord | null,
): Promise<void> {
  await inTransaction(ctx, SYSTEM_SCOPE, async (tx, hooks) => {
    const fresh = await tx.subscriptions.getById(sub.id);
    if (!fresh) return;
    const updated = await tx.subscriptions.update(
      fresh.id,
      fresh.version,
      { metadata: { ...fresh.metadata, reminderSentFor: fresh.currentPeriodEnd } },
      ctx.clock.now(),
    );
    await audit(ctx, tx, {
      workspaceId: fresh.workspaceId,
      actor: 'system:renewals',
      action: 'subscription.renewal_reminder',
      entityType: 'subscription',
      entityId: fresh.id,
      data: { dueAt: fresh.currentPeriodEnd, paymentId: payment?.id ?? null },
    });
    // Never PhonePe's link in a reminder: it is opened from an e-mail, without the referrer PhonePe wants.
    const billingPageUrl = ctx.config.renewal.billingPageUrl;
    hooks.add('renewalReminder', {
      subscription: updated,
      plan,
      dueAt: fresh.currentPeriodEnd,
      billingPageUrl,
      payment: payment && { ...payment, paymentUrl: null },
    });
  });
}

async function switchToManual(ctx: BillingContext, sub: SubscriptionRecord, now: number): Promise<RenewalStep> {
  await inTransaction(ctx, SYSTEM_SCOPE, async (tx) => {
    const fresh = await tx.subscriptions.getById(sub.id);
    if (!fresh) return;
    await tx.subscriptions.update(fresh.id, fresh.version, { renewalMode: 'manual' }, now);
    await audit(ctx, tx, {
      workspaceId: fresh.workspaceId,
      actor: 'system:renewals',
      action: 'subscription.autopay_ended',
      entityType: 'subscription',
      entityId: fresh.id,
      data: { reason: 'price above the mandate maxAmount' },
    });
  });
  return {
    action: 'switched_to_manual',
    detail: 'the renewal price is above the mandate limit; renewing manually',
    nextActionAt: now,
  };
}

// A subscription whose step failed unexpectedly is looked at again after this long.
const ERROR_RETRY_MS = 5 * 60 * 1000;

/** Options of `runRenewals`. */
export interface RunRenewalsOptions {
  /** Most subscriptions to work on in this run. @default 50 */
  limit?: number;
  /** Identifies this worker in claims and audit rows. @default a generated id */
  workerId?: string;
  /**
   * How many subscriptions this worker takes a step on at the same time. A step spends most of its
   * time waiting for PhonePe, so several at once multiply what one worker gets done; the worker claims
   * only as many as it can start, so other workers share the due ones. @default 8
   */
  concurrency?: number;
  /** Called as each subscription's step ends, with its result and how many ended so far (for a progress display). */
  onItem?: (item: RenewalItemResult, progress: { done: number; limit: number }) => void;
}

interface Claimed extends ClaimedRenewal {
  /** Its place in this run's results (claim order). */
  index: number;
}

/**
 * One pass of the renewal worker: claims due subscriptions (a lease in the store, so several workers on
 * several machines never work one subscription at once), takes each one step further, stores when it is
 * due next, and releases it. Up to `concurrency` steps run at once; the worker claims due subscriptions
 * (with what their step needs to read) only as lanes fall free, so workers that start together split
 * the due set. Failures are reported per item and never stop the run; a claim that fails (the database
 * down) stops claiming, lets the steps under way finish, and is thrown.
 */
export async function runRenewals(ctx: BillingContext, options: RunRenewalsOptions = {}): Promise<RenewalRunResult> {
  const workerId = options.workerId ?? ctx.ids('worker');
  const limit = options.limit ?? 50;
  const concurrency = options.concurrency ?? 8;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1)
    throw new BillingError(
      'INVALID_INPUT',
      `runRenewals: concurrency must be a whole number of at least 1, not ${String(concurrency)}.`,
    );
  const items: RenewalItemResult[] = [];
  const queue: Claimed[] = [];
  let claimedCount = 0;
  let finished = 0;
  let busy = 0;
  let exhausted = false;
  let claimError: { error: unknown } | null = null;
  let claiming: Promise<void> | null = null;

  /** Claims as many due subscriptions as there are free lanes, and loads what their steps read, in one transaction. */
  const claim = async (): Promise<void> => {
    const want = Math.min(concurrency - busy, limit - claimedCount);
    if (want <= 0) return;
    const batch = await inTransaction(ctx, SYSTEM_SCOPE, async (tx) => {
      const subs = await tx.renewals.claimDue({
        now: ctx.clock.now(),
        limit: want,
        workerId,
        leaseMs: ctx.config.renewal.leaseMs,
      });
      const loaded: ClaimedRenewal[] = [];
      for (const sub of subs) loaded.push(await loadRenewal(ctx, tx, sub));
      return loaded;
    });
    for (const claimed of batch) queue.push({ ...claimed, index: claimedCount++ });
    if (batch.length < want) exhausted = true;
  };

  const lane = async (): Promise<void> => {
    for (;;) {
      let next = queue.shift();
      while (!next) {
        if (exhausted || claimError || claimedCount >= limit) return;
        claiming ??= claim()
          .catch((error: unknown) => {
            claimError = { error };
          })
          .finally(() => {
            claiming = null;
          });
        await claiming;
        next = queue.shift();
      }
      busy += 1;
      try {
        const item = await renewOne(ctx, next, workerId);
        items[next.index] = item;
        finished += 1;
        notify(ctx, () => options.onItem?.(item, { done: finished, limit }));
      } finally {
        busy -= 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, limit) }, () => lane()));
  if (claimError && items.length === 0) throw (claimError as { error: unknown }).error;
  if (claimError)
    ctx.logger.error(
      { workerId, err: errorMessage((claimError as { error: unknown }).error) },
      'renewal claim failed; the run stopped early',
    );

  const summary: RenewalRunResult['summary'] = {};
  for (const item of items) summary[item.action] = (summary[item.action] ?? 0) + 1;
  return { workerId, claimed: claimedCount, items, summary };
}

/** Takes one claimed subscription a step further and ends the claim (in the step's own last transaction when it can). */
async function renewOne(ctx: BillingContext, claimed: Claimed, workerId: string): Promise<RenewalItemResult> {
  const { sub } = claimed;
  const finishing = { subscriptionId: sub.id, workerId, claimedAt: sub.nextActionAt };
  let stored: { nextActionAt: number | null } | null = null;
  let step: RenewalStep;
  let error: RenewalItemResult['error'];
  try {
    step = await renewSubscription(ctx, claimed, async (tx, outcome) => {
      stored = {
        nextActionAt: await tx.renewals.finish({
          ...finishing,
          nextActionAt: outcome.nextActionAt,
          now: ctx.clock.now(),
        }),
      };
    });
  } catch (caught) {
    const code = isBillingError(caught) ? caught.code : caught instanceof Error ? caught.name : 'ERROR';
    const message = errorMessage(caught);
    error = { code, message };
    step = { action: 'error', detail: message, nextActionAt: ctx.clock.now() + ERROR_RETRY_MS };
    stored = null; // the transaction that stored it may have rolled back: store it again
    ctx.logger.error({ subscriptionId: sub.id, workerId, code }, `renewal step failed: ${message}`);
  }
  const nextActionAt = stored
    ? (stored as { nextActionAt: number | null }).nextActionAt
    : await inTransaction(ctx, SYSTEM_SCOPE, (tx) =>
        tx.renewals.finish({ ...finishing, nextActionAt: step.nextActionAt, now: ctx.clock.now() }),
      );
  return {
    subscriptionId: sub.id,
    workspaceId: sub.workspaceId,
    action: step.action,
    detail: step.detail,
    nextActionAt,
    ...(error ? { error } : {}),
  };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
