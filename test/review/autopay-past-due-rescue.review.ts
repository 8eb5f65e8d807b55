import { describe, expect, it } from 'vitest';
import { DAY, RETURN_URL, useBillingHarness } from '../billing/support/billing-harness.js';
import { subscribe } from '../billing/support/subscribe.js';

// checkoutPurpose (src/billing/checkout/checkout-purpose.ts) offers a renewal checkout only when
// `renewalMode === 'manual'`. A past-due AUTOPAY subscription (mandate paused, or debits failing) is
// refused with SUBSCRIPTION_EXISTS "already has an active … subscription until <a date in the past>;
// nothing to pay yet" — the payer cannot pay by checkout, and the subscription expires at the end of
// grace while they are trying to pay.
describe.each(['memory'] as const)('a past-due autopay subscription (%s)', (backend) => {
  const h = useBillingHarness(backend);

  it('cannot be rescued by paying a checkout', async () => {
    const session = await subscribe(h, 'ws_rescue', 'starter', { autopay: true });
    const mandate = (await h.billing.getPayment(session.orderId))!.merchantSubscriptionId!;
    await h.emu.customer.pause(mandate);
    await h.emu.webhooks.idle();
    const due = Date.parse((await h.billing.getSubscription('ws_rescue'))!.current_period_end);
    h.clock.set(due - 2 * DAY);
    await h.billing.runRenewals();
    h.clock.set(due);
    await h.billing.runRenewals();
    expect((await h.billing.getSubscription('ws_rescue'))?.status).toBe('past_due');

    // The owner sees "payment overdue" and tries to pay for the plan they are on.
    const attempt = h.billing.createCheckout({ workspaceId: 'ws_rescue', userId: 'u1', planId: 'starter', amount: 99_900, returnUrl: RETURN_URL });
    await expect(attempt).resolves.toMatchObject({ state: 'pending' });
  });
});
