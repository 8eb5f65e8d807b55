import { z } from 'zod';
import type { RefundPatch } from '../storage/billing-store.js';
import { isStoreConflictError } from '../storage/errors.js';
import type { PaymentRecord, RefundRecord, RefundRecordState } from '../storage/records.js';
import {
  audit,
  type BillingContext,
  gatewayFor,
  inTransaction,
  SYSTEM_SCOPE,
  workspaceScope,
} from './billing-context.js';
import { BillingError, explicitRefusal, parseInput, providerError } from './errors.js';
import { formatRupeesForDisplay } from './money.js';
import type { GatewayRefund } from './payment-gateway.js';

// Refund states only move forward: pending → confirmed → completed | failed.
const RANK: Record<RefundRecordState, number> = { pending: 0, confirmed: 1, completed: 2, failed: 2 };

// PhonePe may not know a refund yet while our create call is still on its way (the row is written first):
// only after this long is "no such refund" taken to mean the create call never arrived, and it is sent
// again under the same merchantRefundId (which PhonePe never turns into a second refund).
const NOT_FOUND_RESUBMIT_AFTER_MS = 60 * 1000;

/** What the gateway reported about a refund; `authoritative` when read from its refund-status API. */
export type ReportedRefund = GatewayRefund & { authoritative?: boolean };

/** "Still pending": what a refund the gateway does not know yet amounts to. */
const STILL_PENDING: GatewayRefund = {
  reported: 'pending',
  gatewayState: 'PENDING',
  gatewayRefundId: null,
  errorCode: null,
};

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
    const to = reported.reported;
    const patch: RefundPatch = {
      lastCheckedAt: now,
      ...(reported.gatewayRefundId ? { phonepeRefundId: reported.gatewayRefundId } : {}),
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
  const found = await inTransaction(ctx, SYSTEM_SCOPE, async (tx) => {
    const row = await tx.refunds.getByMerchantRefundId(id);
    const payment = row ? await tx.payments.getById(row.paymentId) : null;
    return row && payment ? { row, payment } : null;
  });
  if (!found) throw new BillingError('REFUND_NOT_FOUND', `No refund with id ${id} was found.`);
  const reported = await gatewayFor(ctx, found.row.gateway).getRefund({
    merchantRefundId: id,
    gatewayRefundId: found.row.phonepeRefundId,
    payment: { merchantOrderId: found.payment.merchantOrderId, gatewayOrderId: found.payment.phonepeOrderId },
  });
  if (reported) return applyRefundState(ctx, id, { ...reported, authoritative: true }, actor);
  // The gateway has no record of it.
  const open = found.row.state === 'pending' || found.row.state === 'confirmed';
  if (!open || ctx.clock.now() - refund.createdAt < NOT_FOUND_RESUBMIT_AFTER_MS)
    return applyRefundState(ctx, id, STILL_PENDING, actor);
  ctx.logger.warn(
    { merchantRefundId: id },
    'PhonePe has no record of a refund written here; sending it again under the same id',
  );
  return submitRefund(ctx, found.row, found.payment, actor);
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
  payment: Pick<PaymentRecord, 'merchantOrderId' | 'phonepeOrderId'>,
  actor: string,
): Promise<RefundRecord> {
  const { merchantOrderId } = payment;
  const gateway = gatewayFor(ctx, refund.gateway);
  try {
    const reported = await gateway.refund({
      merchantRefundId: refund.merchantRefundId,
      amountPaise: refund.amountPaise,
      payment: { merchantOrderId, gatewayOrderId: payment.phonepeOrderId },
    });
    return await applyRefundState(ctx, refund.merchantRefundId, { ...reported, errorCode: null }, actor);
  } catch (error) {
    const refusal = explicitRefusal(gateway, error);
    if (refusal)
      await applyRefundState(
        ctx,
        refund.merchantRefundId,
        { reported: 'failed', gatewayState: 'FAILED', gatewayRefundId: null, errorCode: refusal.code },
        actor,
      );
    throw providerError(gateway, error, `refunding ${merchantOrderId}`);
  }
}

/**
 * Input of `SubscriptionManager.refund`.
 *
 * @example
 * await billing.refund('ord_1', { amount: 50000, reason: 'duplicate charge', requestedBy: 'u_1' });
 */
export const refundInputSchema = z.strictObject({
  /** Paise to refund; defaults to everything not yet refunded. At least 100 paise. */
  amount: z
    .number()
    .refine(Number.isSafeInteger, 'amount must be a whole number of paise')
    .refine((v) => v >= 100, 'amount must be at least 100 paise')
    .optional(),
  reason: z.string().max(500).nullable().default(null),
  requestedBy: z.string().max(128).nullable().default(null),
  /** Restrict to one workspace (the HTTP layer passes the caller's). */
  workspaceId: z.string().min(1).optional(),
});

/** The input of `billing.refund()`: the payment, the amount in paise and the reason. */
export type RefundInput = z.input<typeof refundInputSchema>;

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
    // A payment of a gateway this manager was not given is refused before the row is written: a pending row
    // it cannot send would block refunds and be sent later by reconciliation, after the operator saw a failure.
    gatewayFor(ctx, payment.gateway);
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
      gateway: payment.gateway,
      gatewayAccount: payment.gatewayAccount,
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
    return { record, payment };
  });
  return submitRefund(ctx, refund.record, refund.payment, actor);
}
