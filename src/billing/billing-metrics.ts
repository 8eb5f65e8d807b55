import { type BillingContext, inTransaction, SYSTEM_SCOPE } from './billing-context.js';
import { BillingError } from './errors.js';

/**
 * Billing health over `[from, to)`: payment success rate, revenue in paise, subscription movement and
 * webhook traffic.
 *
 * @example
 * const m = await billing.metrics({ from: Date.parse('2026-11-01'), to: Date.parse('2026-12-01') });
 * m.payments.successRate; // 0.94
 */
export interface BillingMetrics {
  from: number;
  to: number;
  payments: {
    completed: number;
    failed: number;
    expired: number;
    /** completed ÷ all settled, `null` when nothing settled. A ratio, not money. */
    successRate: number | null;
    grossRevenuePaise: number;
    refundedPaise: number;
    netRevenuePaise: number;
    /** Mean time from the first callback (redirect or webhook) to settlement, ms; `null` without data. */
    meanCallbackToSettleMs: number | null;
  };
  subscriptions: { new: number; cancelled: number; churned: number; expired: number };
  webhooks: { received: number; duplicated: number; failed: number };
}

export async function billingMetrics(
  ctx: BillingContext,
  range: { from: number; to: number },
): Promise<BillingMetrics> {
  const { from, to } = range;
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from > to) {
    throw new BillingError('INVALID_INPUT', 'metrics: from and to must be epoch milliseconds with from <= to.');
  }
  return inTransaction(ctx, SYSTEM_SCOPE, async (tx) => {
    const payments = await tx.metrics.payments({ from, to });
    const refunds = await tx.metrics.refunds({ from, to });
    const subscriptions = await tx.metrics.subscriptions({ from, to });
    const webhooks = await tx.metrics.webhooks({ from, to });
    const settled = payments.completed + payments.failed + payments.expired;
    return {
      from,
      to,
      payments: {
        completed: payments.completed,
        failed: payments.failed,
        expired: payments.expired,
        successRate: settled === 0 ? null : payments.completed / settled,
        grossRevenuePaise: payments.revenuePaise,
        refundedPaise: refunds.refundedPaise,
        netRevenuePaise: payments.revenuePaise - refunds.refundedPaise,
        meanCallbackToSettleMs:
          payments.settleLatencyCount === 0
            ? null
            : Math.round(payments.settleLatencyMsTotal / payments.settleLatencyCount),
      },
      subscriptions: {
        new: subscriptions.created,
        cancelled: subscriptions.cancelled,
        churned: subscriptions.ended,
        expired: subscriptions.expired,
      },
      webhooks: { received: webhooks.received, duplicated: webhooks.duplicates, failed: webhooks.failed },
    };
  });
}
