import { describe, expect, it } from 'vitest';
import { BACKENDS, DAY, RETURN_URL, useBillingHarness, hookNames } from './support/billing-harness.js';
import { subscribe } from './support/subscribe.js';

// Found in review: an upgrade is priced from the plan the subscription was on; if another change happened
// before it is paid, it must not be applied (it used to move the workspace down to an older choice).
describe.each(BACKENDS)('two open upgrade payments (%s)', (backend) => {
  const h = useBillingHarness(backend);

  it('paying an older, cheaper upgrade after a newer one changes nothing and is reported', async () => {
    await subscribe(h, 'ws_stale_up', 'starter');
    h.clock.advance(10 * DAY);
    const toPro = await h.billing.changePlan('ws_stale_up', { planId: 'pro', returnUrl: RETURN_URL });
    const toEnterprise = await h.billing.changePlan('ws_stale_up', { planId: 'enterprise', returnUrl: RETURN_URL });
    expect([toPro.kind, toEnterprise.kind]).toEqual(['payment_required', 'payment_required']);
    await h.emu.completeOrder(toEnterprise.payment!.merchantOrderId);
    await h.emu.webhooks.idle();
    expect((await h.billing.getSubscription('ws_stale_up'))?.planId).toBe('enterprise');

    // The Pro tab was still open; the owner pays it too.
    await h.emu.completeOrder(toPro.payment!.merchantOrderId);
    await h.emu.webhooks.idle();
    expect((await h.billing.getPayment(toPro.payment!.merchantOrderId))?.state).toBe('completed');
    const anomalies = h.hookCalls.filter(
      (c) => c.name === 'anomaly' && c.event.subjectId === toPro.payment!.merchantOrderId,
    );
    expect((await h.billing.getSubscription('ws_stale_up'))?.planId).toBe('enterprise');
    expect(anomalies.map((c) => c.event.kind)).toEqual(['stale_upgrade']);
  });
});

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

const HOUR = 60 * 60 * 1000;

describe.each(BACKENDS)('upgrades of autopay subscriptions (%s)', (backend) => {
  const h = useBillingHarness(backend, { config: { autopay: { maxAmountPaise: 1_500_000 } } });

  it('charges the prorated difference by an autopay debit when the mandate covers it, 24 h after the notice', async () => {
    // A mandate's maxAmount is the price it was set up for, so only a mandate from a dearer plan can pay an
    // upgrade: set up autopay on enterprise (₹9,999), downgrade to pro, renew into it, then upgrade back.
    const session = await subscribe(h, 'ws_debit', 'enterprise', { autopay: true });
    const mandate = (await h.billing.getPayment(session.orderId))!.merchantSubscriptionId!;
    expect((await h.billing.getSubscription('ws_debit'))?.autopay).toMatchObject({
      mandateState: 'ACTIVE',
      maxAmountPaise: 999_900,
    });
    // Downgrade to pro, renew into it, then upgrade back mid-period: the old mandate (₹9,999) covers it.
    await h.billing.changePlan('ws_debit', 'pro');
    const end = (await h.billing.getSubscription('ws_debit'))!.currentPeriodEnd;
    h.clock.set(end - 2 * DAY);
    await h.billing.runRenewals();
    await h.emu.advanceTime(20 * 60 * 1000);
    await h.billing.runRenewals();
    h.clock.set(end);
    await h.billing.runRenewals();
    const renewal = (
      await h.store.transaction({ workspaceId: 'ws_debit' }, (tx) =>
        tx.payments.listByWorkspace('ws_debit', { limit: 10 }),
      )
    ).find((p) => p.purpose === 'renewal')!;
    expect(renewal).toMatchObject({ planId: 'pro', amountPaise: 299_900, merchantSubscriptionId: mandate });
    await h.emu.completeOrder(renewal.merchantOrderId);
    await h.emu.webhooks.idle();
    const onPro = (await h.billing.getSubscription('ws_debit'))!;
    expect(onPro).toMatchObject({ planId: 'pro', renewalMode: 'autopay' });

    h.clock.advance(10 * DAY);
    const result = await h.billing.changePlan('ws_debit', 'enterprise');
    expect(result.kind).toBe('payment_required');
    expect(result.payment).toMatchObject({
      method: 'autopay_redemption',
      purpose: 'upgrade',
      merchantSubscriptionId: mandate,
      state: 'pending',
    });
    expect(result.payment!.paymentUrl).toBeNull();
    const remaining = onPro.currentPeriodEnd - h.clock.now();
    const length = onPro.currentPeriodEnd - onPro.currentPeriodStart;
    expect(result.amountPaise).toBe(Math.round((700_000 * remaining) / length));
    // The worker executes the debit no sooner than 24 h after the notice; then the upgrade applies.
    await h.emu.advanceTime(20 * 60 * 1000);
    await h.billing.runRenewals();
    h.clock.advance(23 * HOUR);
    await h.billing.runRenewals();
    expect(h.emu.getOrder(result.payment!.merchantOrderId).paymentDetails).toEqual([]);
    h.clock.advance(2 * HOUR);
    await h.billing.runRenewals();
    await h.emu.completeOrder(result.payment!.merchantOrderId);
    await h.emu.webhooks.idle();
    expect(await h.billing.getSubscription('ws_debit')).toMatchObject({
      planId: 'enterprise',
      currentPeriodEnd: onPro.currentPeriodEnd,
    });
    expect(hookNames(h)).toContain('subscriptionPlanChanged');
  });

  it('sets up a new mandate for the higher price when the old one cannot cover it, and cancels the old one', async () => {
    const session = await subscribe(h, 'ws_mandate', 'starter', { autopay: true });
    const oldMandate = (await h.billing.getPayment(session.orderId))!.merchantSubscriptionId!;
    h.clock.advance(5 * DAY);
    const result = await h.billing.changePlan('ws_mandate', { planId: 'pro', returnUrl: RETURN_URL });
    expect(result.payment).toMatchObject({ method: 'autopay_setup', purpose: 'upgrade' });
    expect(result.payment!.merchantSubscriptionId).not.toBe(oldMandate);
    expect(result.payment!.paymentUrl).toContain('/transact/');
    expect(h.emu.getSubscription(result.payment!.merchantSubscriptionId!)).toMatchObject({ maxAmount: 299_900 });
    await h.emu.completeOrder(result.payment!.merchantOrderId);
    await h.emu.webhooks.idle();
    const view = (await h.billing.getSubscription('ws_mandate'))!;
    expect(view).toMatchObject({
      planId: 'pro',
      renewalMode: 'autopay',
      autopay: { mandateState: 'ACTIVE', maxAmountPaise: 299_900 },
    });
    // PhonePe takes a moment to cancel: CANCEL_IN_PROGRESS, then CANCELLED with its webhook.
    expect(h.emu.getSubscription(oldMandate)).toMatchObject({ state: 'CANCEL_IN_PROGRESS' });
    await h.emu.advanceTime(5_000);
    await h.emu.webhooks.idle();
    expect(h.emu.getSubscription(oldMandate)).toMatchObject({ state: 'CANCELLED' });
    // The old mandate's cancellation webhook is not ours any more: ignored, nothing changes.
    expect((await h.billing.getSubscription('ws_mandate'))?.autopay?.mandateState).toBe('ACTIVE');
  });
});

describe.each(BACKENDS)('a revoked mandate with onMandateEnded: expire (%s)', (backend) => {
  const h = useBillingHarness(backend, { config: { autopay: { onMandateEnded: 'expire' } } });

  it('keeps access until period end, then ends the subscription', async () => {
    const session = await subscribe(h, 'ws_expire', 'starter', { autopay: true });
    await h.emu.customer.revoke((await h.billing.getPayment(session.orderId))!.merchantSubscriptionId!);
    await h.emu.webhooks.idle();
    const view = (await h.billing.getSubscription('ws_expire'))!;
    expect(view).toMatchObject({
      status: 'active',
      cancelAtPeriodEnd: true,
      cancellationReason: 'mandate revoked',
    });
    expect(hookNames(h)).toContain('subscriptionCancelled');
    h.clock.set(view.currentPeriodEnd + 1);
    await h.billing.runRenewals();
    expect((await h.billing.getSubscription('ws_expire'))?.status).toBe('cancelled');
  });
});
