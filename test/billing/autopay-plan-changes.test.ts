import { describe, expect, it } from 'vitest';
import { BACKENDS, DAY, hookNames, RETURN_URL, useBillingHarness } from './support/billing-harness.js';
import { subscribe } from './support/subscribe.js';

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
