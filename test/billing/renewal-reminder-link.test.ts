import { describe, expect, it } from 'vitest';
import { BACKENDS, DAY, RETURN_URL, useBillingHarness } from './support/billing-harness.js';
import { subscribe } from './support/subscribe.js';

// Found in review: the reminder's renewal checkout is a PhonePe order, and PhonePe orders live at most an hour
// (expireAfter ≤ 3600 s), while a reminder e-mail is read hours later — and PhonePe refuses its PayPage opened
// without a referrer, as from an e-mail client. So the reminder never carries PhonePe's link: it names the
// host's billing page, where a checkout for the same plan is a fresh renewal of that period any time.
describe.each(BACKENDS)('manual renewal reminder (%s)', (backend) => {
  const h = useBillingHarness(backend, { config: { renewal: { billingPageUrl: 'https://app.example.com/billing' } } });

  it('hands the host its billing page to link, never a PhonePe payment link', async () => {
    await subscribe(h, 'ws_reminder_page', 'starter');
    const due = (await h.billing.getSubscription('ws_reminder_page'))!.currentPeriodEnd;
    h.clock.set(due - 3 * DAY);
    await h.billing.runRenewals();
    const reminder = h.hookCalls
      .filter((c) => c.name === 'renewalReminder' && c.event.subscription.workspaceId === 'ws_reminder_page')
      .at(-1)!.event;
    expect(reminder).toMatchObject({
      billingPageUrl: 'https://app.example.com/billing',
      dueAt: due,
      payment: { purpose: 'renewal', paymentUrl: null },
    });
    expect(JSON.stringify(reminder)).not.toMatch(/transact|mercury/);
  });

  it("gives the reminder's checkout PhonePe's longest life, and a fresh renewal checkout any time later", async () => {
    await subscribe(h, 'ws_reminder', 'starter');
    const due = (await h.billing.getSubscription('ws_reminder'))!.currentPeriodEnd;
    h.clock.set(due - 3 * DAY);
    await h.billing.runRenewals();
    const reminder = h.hookCalls
      .filter((c) => c.name === 'renewalReminder' && c.event.subscription.workspaceId === 'ws_reminder')
      .at(-1)!.event;
    expect(h.emu.getOrder(reminder.payment.merchantOrderId).expireAt).toBe(h.clock.now() + 3600 * 1000);
    // The payer opens the e-mail the same evening: the link has expired, the billing page makes a new one.
    await h.emu.advanceTime(4 * 60 * 60 * 1000);
    expect(h.emu.getOrder(reminder.payment.merchantOrderId).state).toBe('FAILED');
    const fresh = await h.billing.createCheckout({
      workspaceId: 'ws_reminder',
      userId: 'u1',
      planId: 'starter',
      amount: 99_900,
      returnUrl: RETURN_URL,
    });
    expect(await h.billing.getPayment(fresh.orderId)).toMatchObject({ purpose: 'renewal', periodStart: due });
    await h.emu.completeOrder(fresh.orderId);
    await h.emu.webhooks.idle();
    expect(await h.billing.getSubscription('ws_reminder')).toMatchObject({
      status: 'active',
      currentPeriodStart: due,
    });
  });
});
