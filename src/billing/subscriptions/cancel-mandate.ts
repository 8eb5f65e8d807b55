import { isPhonePeError } from '../../client/errors.js';
import type { SubscriptionRecord } from '../../storage/records.js';
import { mandateCalls } from '../autopay/mandate-calls.js';
import type { BillingContext } from '../billing-context.js';
import { refreshMandate } from './apply-mandate-state.js';

// Mandate states in which there is nothing left to cancel (docs/phonepe-protocol.md#subscription-states).
const FINAL_MANDATE_STATES = new Set(['CANCELLED', 'REVOKED', 'EXPIRED', 'FAILED', 'CANCEL_IN_PROGRESS']);

/** Whether the subscription still has a mandate PhonePe could debit. */
export function hasCancellableMandate(
  sub: Pick<SubscriptionRecord, 'merchantSubscriptionId' | 'mandateState'>,
): sub is SubscriptionRecord & { merchantSubscriptionId: string } {
  return sub.merchantSubscriptionId !== null && !FINAL_MANDATE_STATES.has(String(sub.mandateState).toUpperCase());
}

/**
 * Cancels the subscription's UPI mandate at PhonePe (204, docs/phonepe-protocol.md#cancel-pause-revoke) and records the state
 * PhonePe then reports. Run after the commit that ended or cancelled the subscription, so no database
 * lock is held across the call. Failures are logged and reported as an anomaly; the renewal worker
 * tries again when the subscription ends.
 */
export async function cancelMandate(ctx: BillingContext, sub: SubscriptionRecord, actor: string): Promise<void> {
  if (!hasCancellableMandate(sub)) return;
  const id = sub.merchantSubscriptionId;
  try {
    await mandateCalls(ctx).cancel(id);
    await refreshMandate(ctx, id, actor);
  } catch (error) {
    const detail = `cancelling mandate ${id} at PhonePe failed (${isPhonePeError(error) ? error.code : error instanceof Error ? error.message : String(error)}); it will be retried when the subscription ends`;
    ctx.logger.error({ merchantSubscriptionId: id, workspaceId: sub.workspaceId }, detail);
    await ctx.hooks.anomaly?.({ kind: 'mandate_cancel_failed', detail, workspaceId: sub.workspaceId, subjectId: id });
  }
}
