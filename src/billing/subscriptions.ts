import { z } from 'zod';
import type { SubscriptionPatch } from '../storage/billing-store.js';
import { isStoreConflictError } from '../storage/errors.js';
import {
  isLive,
  type PlanRecord,
  type RenewalMode,
  type SubscriptionRecord,
  type SubscriptionRecordStatus,
} from '../storage/records.js';
import {
  audit,
  type BillingContext,
  emitEvent,
  mandateGatewayFor,
  inTransaction,
  mandatePhase,
  mandateRef,
  requirePlan,
  SYSTEM_SCOPE,
  workspaceScope,
} from './billing-context.js';
import { DAY_MS, scheduleNextAction } from './billing-period.js';
import { BillingError, parseInput } from './errors.js';
import type { GatewayMandate, MandateRef } from './payment-gateway.js';

/** Most read-then-write rounds before a mandate refresh gives up (another writer kept winning). */
const MAX_ROUNDS = 5;

/**
 * Brings a subscription's mandate state to PhonePe's current truth: reads the subscription's version,
 * then PhonePe's subscription-status API, then writes under a compare-and-set on that version — always,
 * even when nothing changed, so that any read older than the write is refused and read again. Whatever
 * the order or overlap of `subscription.*` webhooks, renewals and cancellations, the last write is based
 * on a PhonePe read made after every earlier write: a slow handler's stale PAUSED can no longer overwrite
 * a newer ACTIVE. (Mandate states go back and forth and their payloads carry no order, so they are never
 * taken from a webhook payload.) Returns `null` when the mandate is not one of ours.
 */
export async function refreshMandate(
  ctx: BillingContext,
  merchantSubscriptionId: string,
  actor: string,
): Promise<SubscriptionRecord | null> {
  for (let round = 1; ; round++) {
    const before = await inTransaction(ctx, SYSTEM_SCOPE, (tx) =>
      tx.subscriptions.getByMerchantSubscriptionId(merchantSubscriptionId),
    );
    if (!before) return null;
    const status = await mandateGatewayFor(ctx, before).getMandate({
      merchantMandateId: merchantSubscriptionId,
      gatewayMandateId: before.phonepeSubscriptionId,
    });
    try {
      const applied = await applyMandateState(ctx, merchantSubscriptionId, status, actor, before.version);
      if (applied !== 'stale') return applied;
    } catch (error) {
      if (!isStoreConflictError(error)) throw error;
    }
    if (round >= MAX_ROUNDS) {
      throw new BillingError(
        'CONFLICT',
        `Mandate ${merchantSubscriptionId} kept changing while its state was being read from PhonePe; try again.`,
        { details: { merchantSubscriptionId } },
      );
    }
  }
}

/**
 * Records a mandate state read from PhonePe's subscription-status API and moves the subscription
 * accordingly: a revoked, cancelled or expired mandate ends autopay — the subscription falls back to
 * manual renewal, or ends at period end (`config.autopay.onMandateEnded`); an unpaused mandate of a
 * past-due subscription is retried at once; a pause is only recorded (the next debit cannot happen while
 * paused, so the renewal worker marks it past due when it comes due). Writes only if the subscription is
 * still at `expectedVersion` (else `'stale'`: read PhonePe again), and then always (see `refreshMandate`).
 */
async function applyMandateState(
  ctx: BillingContext,
  merchantSubscriptionId: string,
  reported: GatewayMandate,
  actor: string,
  expectedVersion: number,
): Promise<SubscriptionRecord | null | 'stale'> {
  return inTransaction(ctx, SYSTEM_SCOPE, async (tx, hooks) => {
    const sub = await tx.subscriptions.getByMerchantSubscriptionId(merchantSubscriptionId);
    if (!sub) return null;
    if (sub.version !== expectedVersion) return 'stale';
    const now = ctx.clock.now();
    const state = reported.gatewayState;
    const patch: SubscriptionPatch = { mandateState: state };
    let action: string | null = null;
    // After `ended` or `failed` the gateway never debits the mandate again.
    const over = reported.phase === 'ended' || reported.phase === 'failed';
    if (over && sub.renewalMode === 'autopay' && isLive(sub) && !sub.cancelAtPeriodEnd) {
      if (ctx.config.autopay.onMandateEnded === 'manual') {
        Object.assign(patch, { renewalMode: 'manual' as const });
        action = 'subscription.autopay_ended';
      } else {
        Object.assign(patch, {
          cancelAtPeriodEnd: true,
          cancelledAt: now,
          cancellationReason: `mandate ${state.toLowerCase()}`,
        });
        action = 'subscription.cancelled';
      }
      patch.nextActionAt = scheduleNextAction({ ...sub, ...patch }, ctx.config);
    } else if (
      reported.phase === 'active' &&
      sub.mandateState !== null &&
      mandatePhase(ctx, sub) !== 'active' &&
      isLive(sub) &&
      sub.renewalMode === 'autopay'
    ) {
      // Active again (unpaused, or a stale pause corrected): wake the renewal worker, which decides afresh.
      patch.nextActionAt = now;
      action = 'subscription.mandate_resumed';
    }
    const updated = await tx.subscriptions.update(sub.id, sub.version, patch, now);
    if (sub.mandateState === state && action === null) return updated;
    await audit(ctx, tx, {
      workspaceId: sub.workspaceId,
      actor,
      action: action ?? 'subscription.mandate_state',
      entityType: 'subscription',
      entityId: sub.id,
      data: { merchantSubscriptionId, mandateState: state, from: sub.mandateState },
    });
    if (action === 'subscription.cancelled')
      hooks.add('subscriptionCancelled', {
        subscription: updated,
        atPeriodEnd: true,
        reason: updated.cancellationReason,
      });
    return updated;
  });
}

/** Whether the subscription still has a mandate the gateway could debit (one not over or being cancelled). */
export function hasCancellableMandate(
  ctx: BillingContext,
  sub: Pick<SubscriptionRecord, 'merchantSubscriptionId' | 'mandateState' | 'mandateGateway'>,
): sub is SubscriptionRecord & { merchantSubscriptionId: string } {
  const phase = mandatePhase(ctx, sub);
  return sub.merchantSubscriptionId !== null && phase !== 'ended' && phase !== 'failed' && phase !== 'cancelling';
}

/**
 * Cancels the subscription's UPI mandate at PhonePe (204, docs/phonepe-protocol.md#cancel-pause-revoke) and records the state
 * PhonePe then reports. Run after the commit that ended or cancelled the subscription, so no database
 * lock is held across the call. Failures are logged and reported as an anomaly; the renewal worker
 * tries again when the subscription ends.
 */
export async function cancelMandate(ctx: BillingContext, sub: SubscriptionRecord, actor: string): Promise<void> {
  if (!hasCancellableMandate(ctx, sub)) return;
  const id = sub.merchantSubscriptionId;
  const gateway = mandateGatewayFor(ctx, sub);
  try {
    await gateway.cancelMandate(mandateRef(sub) as MandateRef);
    await refreshMandate(ctx, id, actor);
  } catch (error) {
    const detail = `cancelling mandate ${id} at ${gateway.name} failed (${gateway.classifyFailure(error)?.code ?? (error instanceof Error ? error.message : String(error))}); it will be retried when the subscription ends`;
    ctx.logger.error({ merchantSubscriptionId: id, workspaceId: sub.workspaceId }, detail);
    // Written to the outbox like every event; a store that is down too only loses this report (logged above).
    await emitEvent(ctx, 'anomaly', {
      kind: 'mandate_cancel_failed',
      detail,
      workspaceId: sub.workspaceId,
      subjectId: id,
    }).catch((reportError: unknown) =>
      ctx.logger.error(
        { err: reportError instanceof Error ? reportError.message : String(reportError) },
        'the mandate_cancel_failed anomaly could not be written to the outbox',
      ),
    );
  }
}

const cancelInputSchema = z.strictObject({
  reason: z.string().max(500).nullable().default(null),
  /** Keep access until the period ends (default), or end it now. */
  atPeriodEnd: z.boolean().default(true),
  userId: z.string().max(128).nullable().default(null),
});

/** The input of `billing.cancel()`: why, who, and whether to end now instead of at period end. */
export type CancelInput = z.input<typeof cancelInputSchema>;

/**
 * Cancels the workspace's subscription: at period end (access continues, nothing more is charged) or
 * now (access ends at once). The reason is recorded; an autopay mandate is cancelled at PhonePe after
 * the commit. Cancelling at period end twice is harmless.
 */
export async function cancelSubscription(
  ctx: BillingContext,
  workspaceId: string,
  raw: CancelInput = {},
): Promise<SubscriptionRecord> {
  const input = parseInput(cancelInputSchema, raw, 'cancel');
  const actor = input.userId ? `user:${input.userId}` : 'system:api';
  return inTransaction(ctx, workspaceScope(workspaceId), async (tx, hooks) => {
    const sub = await tx.subscriptions.getLive(workspaceId);
    if (!sub)
      throw new BillingError(
        'SUBSCRIPTION_NOT_FOUND',
        `Workspace ${workspaceId} has no active subscription to cancel.`,
      );
    if (sub.cancelAtPeriodEnd && input.atPeriodEnd) return sub;
    const now = ctx.clock.now();
    const ended = {
      status: 'cancelled' as const,
      endedAt: now,
      cancelAtPeriodEnd: false,
      nextActionAt: null,
      pendingPlanId: null,
    };
    const patch = input.atPeriodEnd
      ? { cancelAtPeriodEnd: true, cancelledAt: now, cancellationReason: input.reason, pendingPlanId: null }
      : { ...ended, cancelledAt: now, cancellationReason: input.reason };
    const updated = await tx.subscriptions.update(
      sub.id,
      sub.version,
      {
        ...patch,
        ...(input.atPeriodEnd ? { nextActionAt: scheduleNextAction({ ...sub, ...patch }, ctx.config) } : {}),
      },
      now,
    );
    await audit(ctx, tx, {
      workspaceId,
      actor,
      action: input.atPeriodEnd ? 'subscription.cancel_scheduled' : 'subscription.cancelled',
      entityType: 'subscription',
      entityId: sub.id,
      data: { reason: input.reason, atPeriodEnd: input.atPeriodEnd, periodEnd: sub.currentPeriodEnd },
    });
    hooks.afterCommit(`cancel mandate of ${sub.id}`, () => cancelMandate(ctx, updated, actor));
    hooks.add('subscriptionCancelled', { subscription: updated, atPeriodEnd: input.atPeriodEnd, reason: input.reason });
    if (!input.atPeriodEnd) hooks.add('subscriptionExpired', { subscription: updated, reason: 'cancelled' });
    return updated;
  });
}

/**
 * Undoes a cancellation at period end, before the period ends. A mandate cancelled at PhonePe cannot be
 * revived: such a subscription resumes with manual renewal (set up autopay again with a new checkout).
 */
export async function resumeSubscription(
  ctx: BillingContext,
  workspaceId: string,
  options: { userId?: string | null } = {},
): Promise<SubscriptionRecord> {
  return inTransaction(ctx, workspaceScope(workspaceId), async (tx, hooks) => {
    const sub = await tx.subscriptions.getLive(workspaceId);
    const now = ctx.clock.now();
    if (!sub?.cancelAtPeriodEnd || now >= sub.currentPeriodEnd) {
      throw new BillingError(
        'SUBSCRIPTION_NOT_RESUMABLE',
        `Workspace ${workspaceId} has no subscription cancelled at period end that can still be resumed; subscribe again instead.`,
      );
    }
    const mandateGone = sub.renewalMode === 'autopay' && ['ended', 'cancelling'].includes(mandatePhase(ctx, sub) ?? '');
    const patch = {
      cancelAtPeriodEnd: false,
      cancelledAt: null,
      cancellationReason: null,
      ...(mandateGone ? { renewalMode: 'manual' as const } : {}),
    };
    const updated = await tx.subscriptions.update(
      sub.id,
      sub.version,
      { ...patch, nextActionAt: scheduleNextAction({ ...sub, ...patch }, ctx.config) },
      now,
    );
    await audit(ctx, tx, {
      workspaceId,
      actor: options.userId ? `user:${options.userId}` : 'system:api',
      action: 'subscription.resumed',
      entityType: 'subscription',
      entityId: sub.id,
      data: { renewalMode: updated.renewalMode },
    });
    hooks.add('subscriptionResumed', { subscription: updated });
    return updated;
  });
}

/** One metric's usage in the current period. `limit` and `percentage` are `null` when unlimited. */
export interface UsageView {
  current: number;
  limit: number | null;
  percentage: number | null;
}

/**
 * What `getSubscription()` returns: a workspace's subscription with its plan's limits and features and this
 * period's usage per metric. Like the manager's other results: camelCase, amounts in integer paise, times in
 * epoch milliseconds. (The HTTP API serves it snake_case with ISO times and rupee strings: docs/http-api.md.)
 *
 * @example
 * { id: 'sub_1', workspaceId: 'ws_1', planId: 'pro', planName: 'Pro', status: 'active', renewalMode: 'autopay',
 *   autopay: { mandateState: 'ACTIVE', maxAmountPaise: 299900 }, currentPeriodStart: 1793491200000,
 *   currentPeriodEnd: 1796083200000, cancelAtPeriodEnd: false, cancelledAt: null, cancellationReason: null,
 *   pendingPlanId: null, graceEndsAt: null, limits: { projects: 50 }, features: ['sso'],
 *   usage: { projects: { current: 3, limit: 50, percentage: 6 } } }
 */
export interface SubscriptionDetails {
  id: string;
  workspaceId: string;
  planId: string;
  planName: string;
  /** `trialing`, `active` or `past_due` while live (see `isLive`); `cancelled` or `expired` once ended. */
  status: SubscriptionRecordStatus;
  renewalMode: RenewalMode;
  /**
   * The UPI autopay mandate (when renewing by autopay, or once one was set up): its state as PhonePe last
   * reported it (e.g. `ACTIVE`, `PAUSED`, `REVOKED`) and the most one debit may take, in paise.
   */
  autopay: { mandateState: string | null; maxAmountPaise: number | null } | null;
  /** The current period (epoch ms). */
  currentPeriodStart: number;
  currentPeriodEnd: number;
  /** Cancelled at period end: stays live until `currentPeriodEnd`. */
  cancelAtPeriodEnd: boolean;
  /** When it was cancelled (epoch ms), with the reason given. */
  cancelledAt: number | null;
  cancellationReason: string | null;
  /** A downgrade waiting for the period end. */
  pendingPlanId: string | null;
  /** End of the grace period after failed renewals (epoch ms). */
  graceEndsAt: number | null;
  /** The plan's limit per metric (`null` = unlimited). */
  limits: Record<string, number | null>;
  features: string[];
  /** This period's usage per metric: every metric of the plan, and any other metric with usage, sorted by name. */
  usage: Record<string, UsageView>;
}

/** Whole-number percentage of a limit used, rounded down (a limit of 0 counts as full). */
export function usagePercentage(current: number, limit: number | null): number | null {
  if (limit === null) return null;
  if (limit === 0) return current > 0 ? 100 : 0;
  return Math.floor((current * 100) / limit);
}

/** Builds {@link SubscriptionDetails} from the stored subscription, its plan and this period's counters. */
export function subscriptionDetails(
  sub: SubscriptionRecord,
  plan: PlanRecord,
  counters: Record<string, number>,
): SubscriptionDetails {
  const metrics = new Set([...Object.keys(plan.limits), ...Object.keys(counters)]);
  const usage: Record<string, UsageView> = {};
  for (const metric of [...metrics].sort()) {
    const current = counters[metric] ?? 0;
    const limit = metric in plan.limits ? (plan.limits[metric] ?? null) : null;
    usage[metric] = { current, limit, percentage: usagePercentage(current, limit) };
  }
  return {
    id: sub.id,
    workspaceId: sub.workspaceId,
    planId: plan.id,
    planName: plan.name,
    status: sub.status,
    renewalMode: sub.renewalMode,
    autopay:
      sub.renewalMode === 'autopay' || sub.merchantSubscriptionId
        ? { mandateState: sub.mandateState, maxAmountPaise: sub.mandateMaxAmountPaise }
        : null,
    currentPeriodStart: sub.currentPeriodStart,
    currentPeriodEnd: sub.currentPeriodEnd,
    cancelAtPeriodEnd: sub.cancelAtPeriodEnd,
    cancelledAt: sub.cancelledAt,
    cancellationReason: sub.cancellationReason,
    pendingPlanId: sub.pendingPlanId,
    graceEndsAt: sub.graceEndsAt,
    limits: { ...plan.limits },
    features: [...plan.features],
    usage,
  };
}

/**
 * Starts a free trial of a plan with `trialDays > 0`, once per workspace (a workspace that ever had a
 * subscription gets none). The trial converts when the workspace pays a checkout for any plan; unpaid,
 * it expires at its end (with a reminder before).
 */
export async function startTrial(
  ctx: BillingContext,
  workspaceId: string,
  input: { planId: string; userId?: string | null },
): Promise<SubscriptionRecord> {
  if (typeof workspaceId !== 'string' || !workspaceId || typeof input?.planId !== 'string')
    throw new BillingError('INVALID_INPUT', 'startTrial: workspaceId and planId are required.');
  return inTransaction(ctx, workspaceScope(workspaceId), async (tx, hooks) => {
    const plan = await requirePlan(ctx, tx, input.planId);
    if (!plan.active || plan.trialDays <= 0)
      throw new BillingError('TRIAL_NOT_AVAILABLE', `Plan "${plan.id}" has no free trial.`);
    if (await tx.subscriptions.getLatest(workspaceId))
      throw new BillingError(
        'TRIAL_NOT_AVAILABLE',
        `Workspace ${workspaceId} has had a subscription before; trials are for new workspaces.`,
      );
    const now = ctx.clock.now();
    const fields = {
      status: 'trialing' as const,
      renewalMode: 'manual' as const,
      cancelAtPeriodEnd: false,
      currentPeriodStart: now,
      currentPeriodEnd: now + plan.trialDays * DAY_MS,
      pendingPlanId: null,
    };
    const sub = await tx.subscriptions.insert({
      ...fields,
      id: ctx.ids('sub'),
      workspaceId,
      planId: plan.id,
      cancelledAt: null,
      cancellationReason: null,
      endedAt: null,
      merchantSubscriptionId: null,
      phonepeSubscriptionId: null,
      mandateState: null,
      mandateMaxAmountPaise: null,
      mandateGateway: null,
      mandateGatewayAccount: null,
      nextActionAt: scheduleNextAction(fields, ctx.config),
      graceEndsAt: null,
      renewalAttempts: 0,
      claimedBy: null,
      claimExpiresAt: null,
      createdBy: input.userId ?? null,
      metadata: { trial: true },
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    await audit(ctx, tx, {
      workspaceId,
      actor: input.userId ? `user:${input.userId}` : 'system:api',
      action: 'subscription.trial_started',
      entityType: 'subscription',
      entityId: sub.id,
      data: { planId: plan.id, endsAt: sub.currentPeriodEnd },
    });
    hooks.add('subscriptionActivated', { subscription: sub, payment: null });
    return sub;
  });
}
