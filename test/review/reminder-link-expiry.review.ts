import { describe, expect, it } from 'vitest';
import { DAY, useBillingHarness } from '../billing/support/billing-harness.js';
import { subscribe } from '../billing/support/subscribe.js';

// manualStep (src/billing/renewals/renew-subscription.ts) creates the renewal checkout that the
// `renewalReminder` hook hands to the host "reminderLeadMs (3 days) before period end". That checkout is a
// normal PhonePe order with expireAfter = orderExpireAfterSeconds (default 1800 s, max 3600 s), so the link
// in the reminder is dead 30 minutes after it is sent, and no new link is made (reminderSentFor is set).
describe.each(['memory'] as const)('manual renewal reminder (%s)', (backend) => {
  const h = useBillingHarness(backend);

  it('carries a payment link that still works a few hours later', async () => {
    await subscribe(h, 'ws_reminder', 'starter');
    const due = Date.parse((await h.billing.getSubscription('ws_reminder'))!.current_period_end);
    h.clock.set(due - 3 * DAY);
    await h.billing.runRenewals();
    const reminder = h.hookCalls.filter((c) => c.name === 'renewalReminder' && c.event.subscription.workspaceId === 'ws_reminder').at(-1)!.event;
    expect(reminder.payment?.paymentUrl).toBeTruthy();
    // The payer opens the e-mail the same evening.
    await h.emu.advanceTime(4 * 60 * 60 * 1000);
    expect(h.emu.getOrder(reminder.payment.merchantOrderId).state).toBe('PENDING');
  });
});
