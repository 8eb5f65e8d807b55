import { describe, expect, it } from 'vitest';
import { addIntervals } from '../../src/billing/billing-period.js';
import { BACKENDS, DAY, RETURN_URL, START, useBillingHarness } from './support/billing-harness.js';
import { subscribe } from './support/subscribe.js';

// Found in review: when a second payment completes for something already paid, the money is taken: it
// must never be swallowed silently. It changes nothing, is audited (`payment.unapplied`) and reported
// through the anomaly hook (kind `duplicate_payment`) so the host can refund it; a mandate it set up is
// cancelled, the one in use stays.
describe.each(BACKENDS)('a second completed payment for what is already paid (%s)', (backend) => {
  const h = useBillingHarness(backend);
  const anomaliesFor = (orderId: string) =>
    h.hookCalls.filter((c) => c.name === 'anomaly' && c.event.subjectId === orderId);

  it('two new-subscription checkouts both paid: the second changes nothing and is reported', async () => {
    // Two tabs / two clicks: with no live subscription both checkouts are accepted.
    const input = {
      workspaceId: 'ws_two_tabs',
      userId: 'u1',
      planId: 'starter',
      amount: 99_900,
      returnUrl: RETURN_URL,
    };
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
    expect(view.currentPeriodEnd).toBe(addIntervals(START, 'month', 1));
    expect(
      h.hookCalls.filter(
        (c) => c.name === 'subscriptionActivated' && c.event.subscription.workspaceId === 'ws_two_tabs',
      ),
    ).toHaveLength(1);
    expect(anomaliesFor(second.orderId).map((c) => c.event.kind)).toEqual(['duplicate_payment']);
    const audit = await h.store.transaction({ workspaceId: 'ws_two_tabs' }, (tx) =>
      tx.audit.listByWorkspace('ws_two_tabs', { limit: 20 }),
    );
    expect(audit.some((a) => a.action === 'payment.unapplied' && a.data.amountPaise === 99_900)).toBe(true);
  });

  it('two autopay checkouts both paid: the subscription keeps the first mandate and the second is cancelled', async () => {
    const input = {
      workspaceId: 'ws_two_mandates',
      userId: 'u1',
      planId: 'starter',
      amount: 99_900,
      returnUrl: RETURN_URL,
      autopay: true,
    };
    const first = await h.billing.createCheckout(input);
    const second = await h.billing.createCheckout(input);
    await h.emu.completeOrder(first.orderId);
    await h.emu.completeOrder(second.orderId);
    await h.emu.webhooks.idle();
    const firstMandate = (await h.billing.getPayment(first.orderId))!.merchantSubscriptionId!;
    const secondMandate = (await h.billing.getPayment(second.orderId))!.merchantSubscriptionId!;
    const tracked = await h.store.transaction({ system: true }, (tx) =>
      tx.subscriptions.getByMerchantSubscriptionId(firstMandate),
    );
    expect(tracked).toMatchObject({ workspaceId: 'ws_two_mandates', renewalMode: 'autopay', mandateState: 'ACTIVE' });
    expect(h.emu.getSubscription(firstMandate)).toMatchObject({ state: 'ACTIVE' });
    // No mandate is left ACTIVE in the payer's UPI app that nothing tracks.
    // PhonePe takes a moment to cancel: CANCEL_IN_PROGRESS (no further debits), then CANCELLED.
    expect(h.emu.getSubscription(secondMandate)).toMatchObject({ state: 'CANCEL_IN_PROGRESS' });
    await h.emu.advanceTime(5_000);
    expect(h.emu.getSubscription(secondMandate)).toMatchObject({ state: 'CANCELLED' });
    expect(anomaliesFor(second.orderId).map((c) => c.event.kind)).toEqual(['duplicate_payment']);
  });

  it('two renewal checkouts for the same period both paid: the second is reported, not swallowed', async () => {
    await subscribe(h, 'ws_two_renewals', 'starter');
    const first = (await h.billing.getSubscription('ws_two_renewals'))!;
    const due = first.currentPeriodEnd;
    h.clock.set(due - 2 * DAY);
    // The renewal worker sends a reminder with a renewal checkout …
    await h.billing.runRenewals();
    const reminder = h.hookCalls
      .filter((c) => c.name === 'renewalReminder' && c.event.subscription.workspaceId === 'ws_two_renewals')
      .at(-1)!.event;
    expect(reminder.payment).toMatchObject({ purpose: 'renewal' });
    // … and the owner also renews from the billing page (accepted: same plan, inside the reminder window).
    const own = await h.billing.createCheckout({
      workspaceId: 'ws_two_renewals',
      userId: 'u1',
      planId: 'starter',
      amount: 99_900,
      returnUrl: RETURN_URL,
    });
    await h.emu.completeOrder(reminder.payment.merchantOrderId);
    await h.emu.completeOrder(own.orderId);
    await h.emu.webhooks.idle();
    expect(await h.billing.getPayment(own.orderId)).toMatchObject({ state: 'completed', purpose: 'renewal' });

    const view = (await h.billing.getSubscription('ws_two_renewals'))!;
    expect(view.currentPeriodEnd).toBe(addIntervals(first.currentPeriodStart, 'month', 2));
    expect(anomaliesFor(own.orderId).map((c) => c.event.kind)).toEqual(['duplicate_payment']);
    expect(anomaliesFor(own.orderId)[0]!.event.detail).toContain(`billing.refund('${own.orderId}')`);
  });
});
