import { describe, expect, it } from 'vitest';
import { DAY, RETURN_URL, useBillingHarness } from '../billing/support/billing-harness.js';
import { subscribe } from '../billing/support/subscribe.js';

// applyCompletedPayment (src/billing/settlement/apply-completed-payment.ts): a payment whose subscription
// ended before it completed "starts afresh" — a full new period of `payment.planId` — whatever the payment
// was for. For an upgrade that is only the prorated difference, so a full month of the dearer plan is sold
// for a fraction of its price (the late_payment anomaly is reported, but the subscription is granted).
describe.each(['memory'] as const)('an upgrade paid after the subscription ended (%s)', (backend) => {
  const h = useBillingHarness(backend);

  it('buys a full period of the new plan for the prorated difference', async () => {
    await subscribe(h, 'ws_late_up', 'starter');
    h.clock.advance(20 * DAY);
    const upgrade = await h.billing.changePlan('ws_late_up', { planId: 'pro', returnUrl: RETURN_URL });
    expect(upgrade.amountPaise).toBeLessThan(100_000); // ~₹667 for the last third of the month
    // The owner cancels now (or the subscription is ended by the worker) while the upgrade page is open…
    await h.billing.cancel('ws_late_up', { atPeriodEnd: false });
    // … and then completes the upgrade payment.
    await h.emu.completeOrder(upgrade.payment!.merchantOrderId);
    await h.emu.webhooks.idle();
    expect((await h.billing.getPayment(upgrade.payment!.merchantOrderId))?.state).toBe('completed');
    const view = await h.billing.getSubscription('ws_late_up');
    // Today: an active Pro subscription (₹2,999/month) for a full month from now, paid ~₹667.
    const fullMonthOfPro = view?.status === 'active' && view.plan_id === 'pro' && Date.parse(view.current_period_end) - h.clock.now() >= 28 * DAY;
    expect(fullMonthOfPro).toBe(false);
  });
});
