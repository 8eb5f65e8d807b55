import { isStoreConflictError } from '../../storage/errors.js';
import type { RefundRecord } from '../../storage/records.js';
import { audit, inTransaction, SYSTEM_SCOPE, workspaceScope, type BillingContext } from '../billing-context.js';
import { BillingError } from '../errors/billing-error.js';
import { formatRupeesForDisplay } from '../money/format-paise.js';
import { parseInput } from '../parse-input.js';
import { refundInputSchema, type RefundInput } from './refund-input.js';
import { submitRefund } from './settle-refund.js';

/**
 * Refunds a completed payment, fully or partly: never more than was paid in total, one open refund
 * per payment at a time (PhonePe: don't start another while one is PENDING/CONFIRMED, docs/phonepe-protocol.md#refund-states).
 * The refund row is written (`pending`) before PhonePe is asked; its progress arrives by webhook or
 * reconciliation. Only a refund PhonePe refuses outright is marked `failed` (see {@link submitRefund}).
 */
export async function createRefund(
  ctx: BillingContext,
  merchantOrderId: string,
  raw: RefundInput = {},
): Promise<RefundRecord> {
  const input = parseInput(refundInputSchema, raw, 'refund');
  const scope = input.workspaceId ? workspaceScope(input.workspaceId) : SYSTEM_SCOPE;
  const actor = input.requestedBy ? `user:${input.requestedBy}` : 'system:api';
  const refund = await inTransaction(ctx, scope, async (tx) => {
    const found = await tx.payments.getByMerchantOrderId(merchantOrderId);
    if (!found) throw new BillingError('PAYMENT_NOT_FOUND', `No payment with order id ${merchantOrderId} was found.`);
    const payment = (await tx.payments.getForUpdate(found.id)) ?? found;
    if (payment.state !== 'completed')
      throw new BillingError(
        'REFUND_NOT_ALLOWED',
        `Payment ${merchantOrderId} is ${payment.state}; only completed payments can be refunded.`,
      );
    const refunded = await tx.refunds.sumRefunded(payment.id);
    const left = payment.amountPaise - refunded;
    const amount = input.amount ?? left;
    if (amount > left || left < 100) {
      throw new BillingError(
        'REFUND_EXCEEDS_PAID',
        `Refund of ${formatRupeesForDisplay(amount)} exceeds what is left to refund on ${merchantOrderId} (${formatRupeesForDisplay(left)} of ${formatRupeesForDisplay(payment.amountPaise)}).`,
        {
          details: { requested: amount, refundable: left },
        },
      );
    }
    const now = ctx.clock.now();
    const record: RefundRecord = {
      id: ctx.ids('rfd'),
      workspaceId: payment.workspaceId,
      paymentId: payment.id,
      merchantRefundId: ctx.ids('rf'),
      phonepeRefundId: null,
      amountPaise: amount,
      state: 'pending',
      reason: input.reason,
      errorCode: null,
      requestedBy: input.requestedBy,
      lastCheckedAt: null,
      settledAt: null,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await tx.refunds.insert(record);
    } catch (error) {
      if (isStoreConflictError(error) && error.constraint === 'refund_open_per_payment') {
        throw new BillingError(
          'REFUND_IN_PROGRESS',
          `Payment ${merchantOrderId} already has a refund in progress; wait for it to complete or fail.`,
          { cause: error },
        );
      }
      throw error;
    }
    await audit(ctx, tx, {
      workspaceId: payment.workspaceId,
      actor,
      action: 'refund.requested',
      entityType: 'refund',
      entityId: record.id,
      data: { paymentId: payment.id, amountPaise: amount, reason: input.reason },
    });
    return record;
  });
  return submitRefund(ctx, refund, merchantOrderId, actor);
}
