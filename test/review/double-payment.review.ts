import { describe, expect, it } from 'vitest';
import { addIntervals } from '../../src/billing/billing-period.js';
import { BACKENDS, DAY, RETURN_URL, START, useBillingHarness } from '../billing/support/billing-harness.js';
import { subscribe } from '../billing/support/subscribe.js';

// A completed payment must activate or extend a subscription exactly once (DESIGN.md "Payment state
// machine"). When a second payment completes for something already paid, the money is taken: it must
// at least be credited or reported (anomaly hook / audit), never silently swallowed.
describe.each(BACKENDS)('a second completed payment for what is already paid (%s)', (backend) => {
  const h = useBillingHarness(backend);
  const anomaliesFor = (orderId: string) => h.hookCalls.filter((c) => c.name === 'anomaly' && c.event.subjectId === orderId);

  it('two new-subscription checkouts both paid: the second is neither credited nor reported', async () => {
    // Two tabs / two clicks: with no live subscription both checkouts are accepted.
    const input = { workspaceId: 'ws_two_tabs', userId: 'u1', planId: 'starter', amount: 99_900, returnUrl: RETURN_URL };
    const first = await h.billing.createCheckout(input);
    const second = await h.billing.createCheckout(input);
    await h.emu.completeOrder(first.orderId);
    await h.emu.webhooks.idle();
    h.clock.advance(DAY);
    await h.emu.completeOrder(second.orderId);
    await h.emu.webhooks.idle();
    expect((await h.billing.getPayment(first.orderId))?.state).toBe('completed');
    expect((await h.billing.getPayment(second.orderId))?.state).toBe('completed');

    const view = (await h.billing.getSubscription('ws_two_tabs'))!;
    const twoMonths = addIntervals(START, 'month', 2);
    const credited = Date.parse(view.current_period_end) >= twoMonths;
    // Today: the second payment restarts the period from its own completion (one month + one day in
    // total for two months paid), fires subscriptionActivated again, and reports nothing.
    expect({ credited, anomalies: anomaliesFor(second.orderId).length > 0 }).not.toEqual({ credited: false, anomalies: false });
  });

  it('two autopay checkouts both paid: the first mandate stays ACTIVE at PhonePe, untracked and never cancelled', async () => {
    const input = { workspaceId: 'ws_two_mandates', userId: 'u1', planId: 'starter', amount: 99_900, returnUrl: RETURN_URL, autopay: true };
    const first = await h.billing.createCheckout(input);
    const second = await h.billing.createCheckout(input);
    await h.emu.completeOrder(first.orderId);
    await h.emu.completeOrder(second.orderId);
    await h.emu.webhooks.idle();
    const firstMandate = (await h.billing.getPayment(first.orderId))!.merchantSubscriptionId!;
    const secondMandate = (await h.billing.getPayment(second.orderId))!.merchantSubscriptionId!;
    const tracked = await h.store.transaction({ system: true }, (tx) => tx.subscriptions.getByMerchantSubscriptionId(firstMandate));
    expect(tracked).toBeNull(); // the subscription now points at the second mandate
    expect(h.emu.getSubscription(secondMandate)).toMatchObject({ state: 'ACTIVE' });
    // A live mandate nobody tracks can never be cancelled by the library (cancel/expiry only touch the
    // stored one): the payer keeps an ACTIVE autopay mandate in their UPI app for nothing.
    expect(h.emu.getSubscription(firstMandate).state).not.toBe('ACTIVE');
  });

  it('two renewal checkouts for the same period both paid: the second is swallowed without a trace', async () => {
    await subscribe(h, 'ws_two_renewals', 'starter');
    const due = Date.parse((await h.billing.getSubscription('ws_two_renewals'))!.current_period_end);
    h.clock.set(due - 2 * DAY);
    // The renewal worker sends a reminder with a renewal checkout …
    await h.billing.runRenewals();
    const reminder = h.hookCalls.filter((c) => c.name === 'renewalReminder' && c.event.subscription.workspaceId === 'ws_two_renewals').at(-1)!.event;
    expect(reminder.payment).toMatchObject({ purpose: 'renewal' });
    // … and the owner also renews from the billing page (accepted: same plan, inside the reminder window).
    const own = await h.billing.createCheckout({ workspaceId: 'ws_two_renewals', userId: 'u1', planId: 'starter', amount: 99_900, returnUrl: RETURN_URL });
    await h.emu.completeOrder(reminder.payment.merchantOrderId);
    await h.emu.completeOrder(own.orderId);
    await h.emu.webhooks.idle();
    expect((await h.billing.getPayment(own.orderId))).toMatchObject({ state: 'completed', purpose: 'renewal' });

    const view = (await h.billing.getSubscription('ws_two_renewals'))!;
    const credited = Date.parse(view.current_period_end) >= addIntervals(START, 'month', 3);
    // Today: applyRenewal sees "this period is already paid for" and returns — ₹999 taken, no period,
    // no anomaly hook, no audit row.
    expect({ credited, anomalies: anomaliesFor(own.orderId).length > 0 }).not.toEqual({ credited: false, anomalies: false });
  });
});
