import { isPhonePeNotFoundError } from '../../client/errors/phonepe-not-found-error.js';
import type { RefundPatch } from '../../storage/billing-store.js';
import type { RefundRecord, RefundState } from '../../storage/records/refund-record.js';
import { audit, inTransaction, SYSTEM_SCOPE, type BillingContext } from '../billing-context.js';
import { BillingError } from '../errors/billing-error.js';

// Refund states only move forward: PENDING → CONFIRMED → COMPLETED | FAILED (phonepe-api.md §3.2).
const RANK: Record<RefundState, number> = { pending: 0, confirmed: 1, completed: 2, failed: 2 };
const FROM_PHONEPE: Record<string, RefundState> = { PENDING: 'pending', CONFIRMED: 'confirmed', COMPLETED: 'completed', FAILED: 'failed' };

/**
 * Applies PhonePe's view of a refund (from the refund call, its status API or a webhook). Moves only
 * forward; terminal refunds never change; hooks `refundCompleted` / `refundFailed` after the commit.
 */
export async function applyRefundState(ctx: BillingContext, merchantRefundId: string, reported: { state: string; refundId?: string | null; errorCode?: string | null }, actor: string): Promise<RefundRecord> {
  return inTransaction(ctx, SYSTEM_SCOPE, async (tx, hooks) => {
    const refund = await tx.refunds.getByMerchantRefundId(merchantRefundId);
    if (!refund) throw new BillingError('PAYMENT_NOT_FOUND', `No refund with id ${merchantRefundId} was found.`);
    const now = ctx.clock.now();
    const to = FROM_PHONEPE[reported.state.toUpperCase()];
    const patch: RefundPatch = { lastCheckedAt: now, ...(reported.refundId ? { phonepeRefundId: reported.refundId } : {}) };
    if (!to || RANK[to] <= RANK[refund.state] || RANK[refund.state] === 2) return (await tx.refunds.update(refund.id, patch, now)) ?? refund;
    const terminal = to === 'completed' || to === 'failed';
    const moved = await tx.refunds.transition(refund.id, { from: [refund.state], to, patch: { ...patch, ...(terminal ? { settledAt: now } : {}), ...(reported.errorCode ? { errorCode: reported.errorCode } : {}) }, now });
    if (!moved) return refund;
    await audit(ctx, tx, { workspaceId: moved.workspaceId, actor, action: `refund.${to}`, entityType: 'refund', entityId: moved.id, data: { from: refund.state, phonepeRefundId: moved.phonepeRefundId, errorCode: moved.errorCode } });
    if (to === 'completed') hooks.add('refundCompleted', { refund: moved });
    if (to === 'failed') hooks.add('refundFailed', { refund: moved });
    return moved;
  });
}

/** Asks PhonePe for a refund's status and applies it (reconciliation, webhook confirmation). */
export async function refreshRefund(ctx: BillingContext, merchantRefundId: string, actor: string): Promise<RefundRecord> {
  try {
    const status = await ctx.client.getRefundStatus(merchantRefundId);
    return await applyRefundState(ctx, merchantRefundId, { state: status.state, refundId: status.refundId, errorCode: status.errorCode ?? null }, actor);
  } catch (error) {
    // PhonePe never received it (the create call was lost before reaching it): it will not happen.
    if (isPhonePeNotFoundError(error)) return applyRefundState(ctx, merchantRefundId, { state: 'FAILED', errorCode: 'NOT_FOUND_AT_PHONEPE' }, actor);
    throw error;
  }
}
