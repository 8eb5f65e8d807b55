import { describe, expect, it } from 'vitest';
import { BACKENDS, DAY, RETURN_URL, useBillingHarness } from './support/billing-harness.js';
import { subscribe } from './support/subscribe.js';

// Found in review: a renewal payment is created days before the due date (the reminder checkout, or an
// autopay notice 48 h ahead) with the plan of that moment; a plan change made after it must not be
// overwritten when it is paid. The period is renewed on the current plan and the mismatch reported.
describe.each(BACKENDS)('renewal payments created before a plan change (%s)', (backend) => {
  const h = useBillingHarness(backend);

  it('a paid upgrade survives paying the earlier renewal checkout', async () => {
    await subscribe(h, 'ws_revert', 'starter');
    const due = (await h.billing.getSubscription('ws_revert'))!.currentPeriodEnd;
    h.clock.set(due - 2 * DAY);
    await h.billing.runRenewals(); // reminder + renewal checkout for "starter"
    const reminder = h.hookCalls
      .filter((c) => c.name === 'renewalReminder' && c.event.subscription.workspaceId === 'ws_revert')
      .at(-1)!.event;
    expect(reminder.payment).toMatchObject({ purpose: 'renewal', planId: 'starter' });

    // The owner upgrades to Pro and pays the prorated difference.
    const upgrade = await h.billing.changePlan('ws_revert', { planId: 'pro', returnUrl: RETURN_URL });
    expect(upgrade.kind).toBe('payment_required');
    await h.emu.completeOrder(upgrade.payment!.merchantOrderId);
    await h.emu.webhooks.idle();
    expect((await h.billing.getSubscription('ws_revert'))?.planId).toBe('pro');

    // Then pays the renewal link from the reminder e-mail.
    await h.emu.completeOrder(reminder.payment.merchantOrderId);
    await h.emu.webhooks.idle();
    const after = (await h.billing.getSubscription('ws_revert'))!;
    expect(after.currentPeriodEnd).toBeGreaterThan(due);
    expect(after.planId).toBe('pro');
  });

  it('a downgrade scheduled after the renewal checkout was created stays scheduled', async () => {
    await subscribe(h, 'ws_drop_down', 'pro');
    const due = (await h.billing.getSubscription('ws_drop_down'))!.currentPeriodEnd;
    h.clock.set(due - 2 * DAY);
    await h.billing.runRenewals(); // renewal checkout for "pro" (₹2,999)
    const reminder = h.hookCalls
      .filter((c) => c.name === 'renewalReminder' && c.event.subscription.workspaceId === 'ws_drop_down')
      .at(-1)!.event;
    const down = await h.billing.changePlan('ws_drop_down', { planId: 'starter' });
    expect(down.kind).toBe('downgrade_scheduled');
    expect((await h.billing.getSubscription('ws_drop_down'))?.pendingPlanId).toBe('starter');
    // The payer pays the only renewal link they have (at the old price); the scheduled downgrade vanishes
    // without a hook or an audit entry saying so.
    await h.emu.completeOrder(reminder.payment.merchantOrderId);
    await h.emu.webhooks.idle();
    const after = (await h.billing.getSubscription('ws_drop_down'))!;
    expect(after.currentPeriodEnd).toBeGreaterThan(due);
    expect({ plan: after.planId, pending: after.pendingPlanId }).toEqual({ plan: 'pro', pending: 'starter' });
    expect(
      h.hookCalls
        .filter((c) => c.name === 'anomaly' && c.event.subjectId === reminder.payment.merchantOrderId)
        .map((c) => c.event.kind),
    ).toEqual(['plan_changed_since_payment']);
  });
});
