import { expect } from 'vitest';
import type { PaymentRecord, RefundRecord, SubscriptionRecord } from '../../../src/storage/records.js';
import type { BillingHarness } from '../../billing/support/billing-harness.js';

interface EmulatorOrder {
  merchantOrderId: string;
  state: string;
  amount: number;
}
interface EmulatorRefund {
  merchantRefundId: string;
  originalMerchantOrderId: string;
  amount: number;
  state: string;
}
interface EmulatorMandate {
  merchantSubscriptionId: string;
  state: string;
}

/** What the store holds for some workspaces, read through the port (every backend alike). */
export interface Books {
  payments: PaymentRecord[];
  refunds: RefundRecord[];
  subscriptions: SubscriptionRecord[];
  /** paymentId → how many times it activated, renewed or upgraded a subscription (audit rows). */
  periodGrants: Map<string, number>;
}

export async function readBooks(h: Pick<BillingHarness, 'store'>, workspaceIds: readonly string[]): Promise<Books> {
  const books: Books = { payments: [], refunds: [], subscriptions: [], periodGrants: new Map() };
  for (const workspaceId of workspaceIds) {
    await h.store.transaction({ workspaceId }, async (tx) => {
      const payments = await tx.payments.listByWorkspace(workspaceId, { limit: 10_000 });
      books.payments.push(...payments);
      for (const payment of payments) books.refunds.push(...(await tx.refunds.listByPayment(payment.id)));
      const latest = await tx.subscriptions.getLatest(workspaceId);
      const ids = new Set(
        [latest?.id, ...payments.map((p) => p.subscriptionId)].filter((id): id is string => typeof id === 'string'),
      );
      for (const id of ids) {
        const sub = await tx.subscriptions.getById(id);
        if (sub) books.subscriptions.push(sub);
      }
      for (const row of await tx.audit.listByWorkspace(workspaceId, { limit: 10_000 })) {
        if (
          ![
            'subscription.activated',
            'subscription.reactivated',
            'subscription.renewed',
            'subscription.upgraded',
          ].includes(row.action)
        )
          continue;
        const paymentId = row.data.paymentId;
        if (typeof paymentId === 'string')
          books.periodGrants.set(paymentId, (books.periodGrants.get(paymentId) ?? 0) + 1);
      }
    });
  }
  return books;
}

/** How many times `expectBooksMatchPhonePe` passed in this test file, and over how many payments (for the figures). */
export const invariantChecks = { passed: 0, payments: 0 };

/**
 * The money invariants of the reliability suite, checked against the emulator's own ledger (PhonePe's
 * truth) after a scenario has run and been reconciled:
 * 1. no payment completed at PhonePe and not here; 2. nothing completed here that PhonePe did not complete;
 * 3. each payment extends a subscription at most once; 4. every refund at PhonePe is one of ours with the
 * same amount, and the refunded total here equals PhonePe's per order (completed and in flight alike);
 * 5. each mandate's state here is PhonePe's.
 */
export async function expectBooksMatchPhonePe(
  h: Pick<BillingHarness, 'store' | 'emu'>,
  workspaceIds: readonly string[],
): Promise<Books> {
  const books = await readBooks(h, workspaceIds);
  const state = h.emu.state() as {
    orders: EmulatorOrder[];
    refunds: EmulatorRefund[];
    subscriptions: EmulatorMandate[];
  };
  const ours = new Map(books.payments.map((p) => [p.merchantOrderId, p]));
  const orders = state.orders.filter((o) => ours.has(o.merchantOrderId));

  const completedThere = orders
    .filter((o) => o.state === 'COMPLETED')
    .map((o) => o.merchantOrderId)
    .sort();
  const completedHere = books.payments
    .filter((p) => p.state === 'completed')
    .map((p) => p.merchantOrderId)
    .sort();
  expect(completedHere, 'completed here = completed at PhonePe').toEqual(completedThere);
  for (const order of orders)
    expect(ours.get(order.merchantOrderId)?.amountPaise, `amount of ${order.merchantOrderId}`).toBe(order.amount);

  for (const [paymentId, grants] of books.periodGrants)
    expect(grants, `period grants of payment ${paymentId}`).toBeLessThanOrEqual(1);

  const refundsHere = new Map(books.refunds.map((r) => [r.merchantRefundId, r]));
  const ourOrderIds = new Set(ours.keys());
  const refundsThere = state.refunds.filter((r) => ourOrderIds.has(r.originalMerchantOrderId));
  for (const refund of refundsThere) {
    const local = refundsHere.get(refund.merchantRefundId);
    expect(local, `refund ${refund.merchantRefundId} at PhonePe is ours`).toBeDefined();
    expect(local?.amountPaise).toBe(refund.amount);
  }
  const total = (rows: Array<{ amount: number }>) => rows.reduce((sum, r) => sum + r.amount, 0);
  for (const orderId of ourOrderIds) {
    const payment = ours.get(orderId)!;
    const thereDone = total(
      refundsThere.filter((r) => r.originalMerchantOrderId === orderId && r.state === 'COMPLETED'),
    );
    const hereDone = total(
      books.refunds
        .filter((r) => r.paymentId === payment.id && r.state === 'completed')
        .map((r) => ({ amount: r.amountPaise })),
    );
    expect(hereDone, `refunded total of ${orderId}`).toBe(thereDone);
    const thereAll = total(refundsThere.filter((r) => r.originalMerchantOrderId === orderId && r.state !== 'FAILED'));
    expect(thereAll, `refunds of ${orderId} at PhonePe within what was paid`).toBeLessThanOrEqual(payment.amountPaise);
  }

  for (const sub of books.subscriptions) {
    if (!sub.merchantSubscriptionId) continue;
    const mandate = state.subscriptions.find((m) => m.merchantSubscriptionId === sub.merchantSubscriptionId);
    if (mandate) expect(String(sub.mandateState), `mandate ${sub.merchantSubscriptionId}`).toBe(mandate.state);
  }
  invariantChecks.passed += 1;
  invariantChecks.payments += books.payments.length;
  return books;
}
