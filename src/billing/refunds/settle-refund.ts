import { latestPaymentAttempt } from '../../client/responses.js';
import { isPhonePeNotFoundError } from '../../client/errors.js';
import type { RefundPatch } from '../../storage/billing-store.js';
import type { RefundRecord, RefundRecordState } from '../../storage/records.js';
import { audit, inTransaction, SYSTEM_SCOPE, type BillingContext } from '../billing-context.js';
import { BillingError } from '../errors/billing-error.js';
import { isExplicitRefusal, providerError } from '../errors/provider-error.js';

// Refund states only move forward: PENDING → CONFIRMED → COMPLETED | FAILED (docs/phonepe-protocol.md#refund-states).
const RANK: Record<RefundRecordState, number> = { pending: 0, confirmed: 1, completed: 2, failed: 2 };
const FROM_PHONEPE: Record<string, RefundRecordState> = {
  PENDING: 'pending',
  CONFIRMED: 'confirmed',
  COMPLETED: 'completed',
  FAILED: 'failed',
};

/** The refund state a PhonePe refund state amounts to, or `null` for a state we do not know. */
export function refundStateFromPhonePe(state: string): RefundRecordState | null {
  return FROM_PHONEPE[state.toUpperCase()] ?? null;
}

// PhonePe may not know a refund yet while our create call is still on its way (the row is written first):
// only after this long is "no such refund" taken to mean the create call never arrived, and it is sent
// again under the same merchantRefundId (which PhonePe never turns into a second refund).
const NOT_FOUND_RESUBMIT_AFTER_MS = 60 * 1000;

/** What PhonePe reported about a refund; `authoritative` when read from its refund-status API. */
export interface ReportedRefund {
  state: string;
  refundId?: string | null;
  errorCode?: string | null;
  authoritative?: boolean;
}

/**
 * Applies PhonePe's view of a refund (from the refund call, its status API or a webhook). Moves only
 * forward; a completed refund never changes; a failed one changes only when PhonePe's refund-status API
 * says it completed after all (the money went back: it is recorded, with an anomaly). Hooks
 * `refundCompleted` / `refundFailed` run after the commit.
 */
export async function applyRefundState(
  ctx: BillingContext,
  merchantRefundId: string,
  reported: ReportedRefund,
  actor: string,
): Promise<RefundRecord> {
  return inTransaction(ctx, SYSTEM_SCOPE, async (tx, hooks) => {
    const refund = await tx.refunds.getByMerchantRefundId(merchantRefundId);
    if (!refund) throw new BillingError('REFUND_NOT_FOUND', `No refund with id ${merchantRefundId} was found.`);
    const now = ctx.clock.now();
    const to = FROM_PHONEPE[reported.state.toUpperCase()];
    const patch: RefundPatch = {
      lastCheckedAt: now,
      ...(reported.refundId ? { phonepeRefundId: reported.refundId } : {}),
    };
    const corrected = refund.state === 'failed' && to === 'completed' && reported.authoritative === true;
    if (!corrected && (!to || RANK[to] <= RANK[refund.state] || RANK[refund.state] === 2))
      return (await tx.refunds.update(refund.id, patch, now)) ?? refund;
    if (corrected) {
      hooks.add('anomaly', {
        kind: 'payment_corrected',
        detail: `refund ${merchantRefundId} was failed here but PhonePe's refund status says COMPLETED; recorded as completed`,
        workspaceId: refund.workspaceId,
        subjectId: merchantRefundId,
      });
    }
    if (!to) return refund;
    const terminal = to === 'completed' || to === 'failed';
    const moved = await tx.refunds.transition(refund.id, {
      from: [refund.state],
      to,
      patch: {
        ...patch,
        ...(terminal ? { settledAt: now } : {}),
        ...(reported.errorCode ? { errorCode: reported.errorCode } : {}),
      },
      now,
    });
    if (!moved) return refund;
    await audit(ctx, tx, {
      workspaceId: moved.workspaceId,
      actor,
      action: `refund.${to}`,
      entityType: 'refund',
      entityId: moved.id,
      data: { from: refund.state, phonepeRefundId: moved.phonepeRefundId, errorCode: moved.errorCode },
    });
    if (to === 'completed') hooks.add('refundCompleted', { refund: moved });
    if (to === 'failed') hooks.add('refundFailed', { refund: moved });
    return moved;
  });
}

/**
 * Asks PhonePe for a refund's status and applies it (reconciliation, webhook confirmation). A refund
 * PhonePe has no record of, a while after it was written here, never reached PhonePe: it is sent again
 * under the same merchantRefundId — it is never marked failed on "not found" alone, since a create call
 * still on its way would then pay out beside a second refund the operator starts.
 */
export async function refreshRefund(
  ctx: BillingContext,
  refund: Pick<RefundRecord, 'merchantRefundId' | 'createdAt'>,
  actor: string,
): Promise<RefundRecord> {
  const id = refund.merchantRefundId;
  try {
    const status = await ctx.client.getRefundStatus(id);
    // PhonePe's fixtures put a failed refund's code on the attempt only.
    const errorCode = status.errorCode ?? latestPaymentAttempt(status)?.errorCode ?? null;
    return await applyRefundState(
      ctx,
      id,
      { state: status.state, refundId: status.refundId, errorCode, authoritative: true },
      actor,
    );
  } catch (error) {
    if (!isPhonePeNotFoundError(error)) throw error;
    const found = await inTransaction(ctx, SYSTEM_SCOPE, async (tx) => {
      const row = await tx.refunds.getByMerchantRefundId(id);
      const payment = row ? await tx.payments.getById(row.paymentId) : null;
      return row && payment ? { row, merchantOrderId: payment.merchantOrderId } : null;
    });
    if (!found) throw new BillingError('REFUND_NOT_FOUND', `No refund with id ${id} was found.`);
    const open = found.row.state === 'pending' || found.row.state === 'confirmed';
    if (!open || ctx.clock.now() - refund.createdAt < NOT_FOUND_RESUBMIT_AFTER_MS)
      return applyRefundState(ctx, id, { state: 'PENDING' }, actor);
    ctx.logger.warn(
      { merchantRefundId: id },
      'PhonePe has no record of a refund written here; sending it again under the same id',
    );
    return submitRefund(ctx, found.row, found.merchantOrderId, actor);
  }
}

/**
 * Sends a `pending` refund row to PhonePe under its own merchantRefundId and applies the answer. Only
 * PhonePe's explicit refusal fails the row; when the answer is lost or unreadable the client has already
 * asked the refund-status API, and a refund PhonePe may not have stays `pending` for reconciliation,
 * which sends it again under the same id — PhonePe never makes two refunds of one merchantRefundId, so
 * no retry can refund twice.
 */
export async function submitRefund(
  ctx: BillingContext,
  refund: RefundRecord,
  merchantOrderId: string,
  actor: string,
): Promise<RefundRecord> {
  try {
    const response = await ctx.client.refund({
      merchantRefundId: refund.merchantRefundId,
      originalMerchantOrderId: merchantOrderId,
      amount: refund.amountPaise,
    });
    return await applyRefundState(
      ctx,
      refund.merchantRefundId,
      { state: response.state, refundId: response.refundId },
      actor,
    );
  } catch (error) {
    if (isExplicitRefusal(error))
      await applyRefundState(ctx, refund.merchantRefundId, { state: 'FAILED', errorCode: error.code }, actor);
    throw providerError(error, `refunding ${merchantOrderId}`);
  }
}
