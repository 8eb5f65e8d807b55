import { describe, expect, it } from 'vitest';
import { BACKENDS, DAY, RETURN_URL, useBillingHarness } from './support/billing-harness.js';
import { subscribe } from './support/subscribe.js';

// Found in review: a payment that completes after its subscription ended used to start a full new period
// whatever it was for — a month of the dearer plan for a prorated upgrade. Only a full price does now.
describe.each(BACKENDS)('an upgrade paid after the subscription ended (%s)', (backend) => {
  const h = useBillingHarness(backend);

  it('does not buy a full period of the new plan for the prorated difference', async () => {
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
    const fullMonthOfPro =
      view?.status === 'active' && view.planId === 'pro' && view.currentPeriodEnd - h.clock.now() >= 28 * DAY;
    expect(fullMonthOfPro).toBe(false);
    expect(view?.status).toBe('cancelled');
    expect(
      h.hookCalls
        .filter((c) => c.name === 'anomaly' && c.event.subjectId === upgrade.payment!.merchantOrderId)
        .map((c) => c.event.kind),
    ).toEqual(['late_payment']);
  });
});
