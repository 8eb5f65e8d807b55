import { describe, expect, it } from 'vitest';
import { BACKENDS, useBillingHarness } from '../billing/support/billing-harness.js';
import { subscribe } from '../billing/support/subscribe.js';

// refreshRefund (src/billing/refunds/settle-refund.ts) turns PhonePe's "no such refund" into FAILED for
// good ("PhonePe never received it … it will not happen"). reconcile picks refunds up 20 s after the row is
// written — the row is written *before* PhonePe is called (create-refund.ts), so a refund call still in
// flight is judged "never received" and failed. When PhonePe then accepts and completes it, the terminal
// FAILED row never changes (applyRefundState ignores everything after a terminal state): the books say
// "not refunded" while the money went back, and sumRefunded lets the same amount be refunded again.
describe.each(BACKENDS)('reconcile during a slow refund call (%s)', (backend) => {
  const h = useBillingHarness(backend);

  it('marks a refund FAILED that PhonePe then completes', { timeout: 30_000 }, async () => {
    const session = await subscribe(h, 'ws_refund_race', 'starter');
    // The refund request is slow to reach PhonePe (it is handled after 1.5 s of network delay).
    h.emu.faults.add({ method: 'POST', path: '/payments/v2/refund', delayMs: 1_500, times: 1 });
    const refunding = h.billing.refund(session.orderId, { reason: 'duplicate charge' }).then((r) => r, (e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 100));
    h.clock.advance(21_000); // a reconcile run comes along (its default olderThanMs is 20 s)
    const reconciled = await h.billing.reconcile();
    expect(reconciled.items.filter((i) => i.kind === 'refund').map((i) => i.after)).toEqual(['failed']);
    await refunding;

    const payment = (await h.billing.getPayment(session.orderId))!;
    const [refund] = await h.store.transaction({ system: true }, (tx) => tx.refunds.listByPayment(payment.id));
    await h.emu.completeRefund(refund!.merchantRefundId);
    await h.emu.webhooks.idle();
    await h.billing.reconcile({ olderThanMs: 0 });
    expect(h.emu.getRefund(refund!.merchantRefundId)).toMatchObject({ state: 'COMPLETED', amount: 99_900 });
    // Today: still `failed` locally, refundCompleted never fires, and ₹999 shows as refundable again.
    const local = await h.store.transaction({ system: true }, (tx) => tx.refunds.getById(refund!.id));
    expect(local?.state).toBe('completed');
  });
});
