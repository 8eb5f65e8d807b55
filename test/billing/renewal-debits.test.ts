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

  it('a debit whose recurring payment never reached Razorpay does not keep the subscription active for ever', async () => {
    const plan = PLANS.find((p) => p.id === 'enterprise')!;
    const session = await h.billing.createCheckout({
      workspaceId: 'ws_stuck',
      userId: 'u_stuck',
      planId: plan.id,
      amount: plan.price,
      returnUrl: RETURN_URL,
      autopay: true,
      customer: CUSTOMER,
    });
    await h.gateway.pay(session.orderId);
    await h.gateway.webhooks.idle();
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
});
