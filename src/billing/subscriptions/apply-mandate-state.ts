import type { SubscriptionStatus } from '../../client/responses.js';
import type { SubscriptionPatch } from '../../storage/billing-store.js';
import { isLive, type SubscriptionRecord } from '../../storage/records.js';
import { isStoreConflictError } from '../../storage/errors.js';
import { mandateCalls } from '../autopay/mandate-calls.js';
import { audit, inTransaction, SYSTEM_SCOPE, type BillingContext } from '../billing-context.js';
import { BillingError } from '../errors/billing-error.js';
import { scheduleNextAction } from '../renewals/renewal-schedule.js';

// Mandate states after which PhonePe will never debit again (docs/phonepe-protocol.md#subscription-states, #cancel-pause-revoke).
const ENDED = new Set(['REVOKED', 'CANCELLED', 'EXPIRED', 'FAILED']);

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
    const status = await mandateCalls(ctx).getStatus(merchantSubscriptionId);
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
  reported: SubscriptionStatus,
  actor: string,
  expectedVersion: number,
): Promise<SubscriptionRecord | null | 'stale'> {
  return inTransaction(ctx, SYSTEM_SCOPE, async (tx, hooks) => {
    const sub = await tx.subscriptions.getByMerchantSubscriptionId(merchantSubscriptionId);
    if (!sub) return null;
    if (sub.version !== expectedVersion) return 'stale';
    const now = ctx.clock.now();
    const state = String(reported.state).toUpperCase();
    const patch: SubscriptionPatch = { mandateState: state };
    let action: string | null = null;
    if (ENDED.has(state) && sub.renewalMode === 'autopay' && isLive(sub) && !sub.cancelAtPeriodEnd) {
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
      state === 'ACTIVE' &&
      sub.mandateState !== null &&
      sub.mandateState !== 'ACTIVE' &&
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
