import { describe, expect, it } from 'vitest';
import { DAY, RETURN_URL, useBillingHarness } from './support/billing-harness.js';
import { subscribe } from './support/subscribe.js';

// Found in review: a past-due AUTOPAY subscription (mandate paused, or debits failing) used to refuse a
// checkout for its plan, so the payer could not pay and the subscription expired at the end of grace.
describe.each(['memory'] as const)('a past-due autopay subscription (%s)', (backend) => {
  const h = useBillingHarness(backend);

  it('can be rescued by paying a checkout for the overdue period', async () => {
    const session = await subscribe(h, 'ws_rescue', 'starter', { autopay: true });
    const mandate = (await h.billing.getPayment(session.orderId))!.merchantSubscriptionId!;
    await h.emu.customer.pause(mandate);
    await h.emu.webhooks.idle();
    const due = (await h.billing.getSubscription('ws_rescue'))!.currentPeriodEnd;
    h.clock.set(due - 2 * DAY);
    await h.billing.runRenewals();
    h.clock.set(due);
    await h.billing.runRenewals();
    expect((await h.billing.getSubscription('ws_rescue'))?.status).toBe('past_due');

    // The owner sees "payment overdue" and tries to pay for the plan they are on.
    const attempt = h.billing.createCheckout({
      workspaceId: 'ws_rescue',
      userId: 'u1',
      planId: 'starter',
      amount: 99_900,
      returnUrl: RETURN_URL,
    });
    const checkout = await attempt;
    expect(checkout).toMatchObject({ state: 'pending' });
    expect(await h.billing.getPayment(checkout.orderId)).toMatchObject({ purpose: 'renewal', periodStart: due });
    await h.emu.completeOrder(checkout.orderId);
    await h.emu.webhooks.idle();
    expect(await h.billing.getSubscription('ws_rescue')).toMatchObject({
      status: 'active',
      currentPeriodStart: due,
    });
  });
});
