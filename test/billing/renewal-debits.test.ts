import { describe, expect, it } from 'vitest';
import { DAY, PLANS, RETURN_URL, useBillingHarness } from './support/billing-harness.js';

const CUSTOMER = { name: 'Asha Rao', email: 'asha@example.com', contact: '+919876543210' };

// Debits on a gateway that notifies the payer itself (Razorpay): the debit's order is ours to give up on,
// since Razorpay's orders never expire.
describe('self-notifying gateway debits (razorpay, memory)', () => {
  const h = useBillingHarness('memory', {
    gateway: 'razorpay',
    config: { autopay: { maxAmountPaise: 1_500_000 } },
    razorpay: { recurringDebits: 'manual' },
  });
  /** An enterprise subscription whose first payment set up a Razorpay mandate (paid, webhooks delivered). */
  const subscribeWithMandate = async (workspaceId: string) => {
    const plan = PLANS.find((p) => p.id === 'enterprise')!;
    const session = await h.billing.createCheckout({
      workspaceId,
      userId: `u_${workspaceId}`,
      planId: plan.id,
      amount: plan.price,
      returnUrl: RETURN_URL,
      autopay: true,
      customer: CUSTOMER,
    });
    await h.gateway.pay(session.orderId);
    await h.gateway.webhooks.idle();
  };

  it('a debit whose recurring payment never reached Razorpay does not keep the subscription active for ever', async () => {
    await subscribeWithMandate('ws_stuck');
    const first = (await h.billing.getSubscription('ws_stuck'))!;
    expect(first).toMatchObject({ status: 'active', renewalMode: 'autopay' });
    // Razorpay refuses nothing but cannot be reached for the recurring payment, every time it is asked.
    h.rzp!.faults.add({ method: 'POST', path: '/v1/payments/create/recurring', status: 503 });
    const due = first.currentPeriodEnd;
    for (let at = due - 2 * DAY; at <= due + 40 * DAY; at += 60 * 60 * 1000) {
      h.clock.set(at);
      await h.billing.runRenewals();
    }
    h.rzp!.faults.clear();
    const later = (await h.billing.getSubscription('ws_stuck'))!;
    // Nothing was ever charged for the period after `due`: it must not still be active, 40 days on.
    expect(later.currentPeriodStart).toBeLessThan(due);
    expect(later.status).not.toBe('active');
  }, 120_000);

  it('a debit whose order expired (the worker was down a day) is never asked for afterwards', async () => {
    await subscribeWithMandate('ws_outage');
    const sub = (await h.billing.getSubscription('ws_outage'))!;
    const due = sub.currentPeriodEnd;
    h.clock.set(due - 2 * DAY);
    await h.billing.runRenewals(); // the debit's order is made (Razorpay: no payment asked for yet)
    // The worker is down for more than the order's life; when it is back, the order has expired.
    h.clock.set(due - 2 * DAY + 25 * 60 * 60 * 1000);
    await h.billing.runRenewals();
    const payments = await h.store.transaction({ workspaceId: 'ws_outage' }, (tx) =>
      tx.payments.listByWorkspace('ws_outage', { limit: 10 }),
    );
    const debits = payments.filter((p) => p.method === 'autopay_redemption');
    expect(debits[debits.length - 1]).toMatchObject({ state: 'expired', phonepeTransactionId: null });
    // No recurring payment was asked for on the expired order (it could be charged after a retry is).
    const expiredOrder = debits[debits.length - 1]!.phonepeOrderId;
    expect(h.rzp!.state().payments.filter((p) => p.order_id === expiredOrder)).toEqual([]);
  });
});
