import { describe, expect, it } from 'vitest';
import { BACKENDS, useBillingHarness, DAY, hookNames, RETURN_URL } from './support/billing-harness.js';
import { subscribe } from './support/subscribe.js';

describe.each(BACKENDS)('cancel, resume and plan changes (%s)', (backend) => {
  const h = useBillingHarness(backend);

  it('cancels at period end: access stays until then, with the reason recorded; resume undoes it', async () => {
    await subscribe(h, 'ws_cancel', 'starter');
    const cancelled = await h.billing.cancel('ws_cancel', { reason: 'too expensive', userId: 'u1' });
    expect(cancelled).toMatchObject({ status: 'active', cancelAtPeriodEnd: true, cancellationReason: 'too expensive' });
    expect((await h.billing.getSubscription('ws_cancel'))?.cancelAtPeriodEnd).toBe(true);
    const resumed = await h.billing.resume('ws_cancel');
    expect(resumed).toMatchObject({ status: 'active', cancelAtPeriodEnd: false, cancellationReason: null });
    // A second later, so the two cancellations' audit rows are ordered by time (not by the ids' random part).
    h.clock.advance(1_000);
    await h.billing.cancel('ws_cancel', { reason: 'really leaving' });
    // At period end the worker ends it.
    const end = (await h.billing.getSubscription('ws_cancel'))!.currentPeriodEnd;
    h.clock.set(end + 1);
    const run = await h.billing.runRenewals();
    expect(run.items.find((i) => i.workspaceId === 'ws_cancel')).toMatchObject({ action: 'ended' });
    expect(await h.billing.getSubscription('ws_cancel')).toMatchObject({
      status: 'cancelled',
      cancellationReason: 'really leaving',
    });
    await expect(h.billing.resume('ws_cancel')).rejects.toMatchObject({ code: 'SUBSCRIPTION_NOT_RESUMABLE' });
    await expect(h.billing.recordUsage('ws_cancel', 'projects', 1)).rejects.toMatchObject({
      code: 'SUBSCRIPTION_NOT_FOUND',
    });
    const audit = await h.store.transaction({ workspaceId: 'ws_cancel' }, (tx) =>
      tx.audit.listByWorkspace('ws_cancel', { limit: 50 }),
    );
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['subscription.cancel_scheduled', 'subscription.resumed', 'subscription.cancelled']),
    );
    expect(audit.find((a) => a.action === 'subscription.resumed')?.actor).toBe('system:api');
    expect(audit.filter((a) => a.action === 'subscription.cancel_scheduled').map((a) => a.actor)).toEqual([
      'system:api',
      'user:u1',
    ]);
  });

  it('cancels now: access ends at once and the subscription can be bought again', async () => {
    await subscribe(h, 'ws_now', 'starter');
    const ended = await h.billing.cancel('ws_now', { reason: 'closing the company', atPeriodEnd: false });
    expect(ended).toMatchObject({ status: 'cancelled', endedAt: h.clock.now() });
    expect(hookNames(h).slice(-2)).toEqual(['subscriptionCancelled', 'subscriptionExpired']);
    await expect(h.billing.cancel('ws_now')).rejects.toMatchObject({ code: 'SUBSCRIPTION_NOT_FOUND' });
    await subscribe(h, 'ws_now', 'pro');
    expect((await h.billing.getSubscription('ws_now'))?.planId).toBe('pro');
  });

  it('upgrades with a prorated charge that applies when paid', async () => {
    await subscribe(h, 'ws_up', 'starter');
    const sub = (await h.billing.getSubscription('ws_up'))!;
    const periodMs = sub.currentPeriodEnd - sub.currentPeriodStart;
    h.clock.advance(Math.floor(periodMs / 2));
    const result = await h.billing.changePlan('ws_up', { planId: 'pro', returnUrl: RETURN_URL, userId: 'u1' });
    expect(result.kind).toBe('payment_required');
    // (₹2,999 − ₹999) × remaining/period, to the paisa.
    const remaining = sub.currentPeriodEnd - h.clock.now();
    expect(result.amountPaise).toBe(Math.round((200_000 * remaining) / periodMs));
    expect(result.payment?.paymentUrl).toBeTruthy();
    expect((await h.billing.getSubscription('ws_up'))?.planId).toBe('starter');
    await h.emu.completeOrder(result.payment!.merchantOrderId);
    await h.emu.webhooks.idle();
    const after = (await h.billing.getSubscription('ws_up'))!;
    expect(after).toMatchObject({
      planId: 'pro',
      currentPeriodEnd: sub.currentPeriodEnd,
      limits: { projects: 50 },
    });
    expect(hookNames(h)).toContain('subscriptionPlanChanged');
  });

  it('downgrades at period end, refusing while usage is above the new limits unless forced', async () => {
    await subscribe(h, 'ws_down', 'pro');
    await h.billing.recordUsage('ws_down', 'projects', 8);
    await expect(h.billing.changePlan('ws_down', 'starter')).rejects.toMatchObject({
      code: 'DOWNGRADE_BELOW_USAGE',
      details: { over: { projects: { current: 8, limit: 5 } } },
    });
    const forced = await h.billing.changePlan('ws_down', { planId: 'starter', force: true });
    expect(forced.kind).toBe('downgrade_scheduled');
    const view = (await h.billing.getSubscription('ws_down'))!;
    expect(view).toMatchObject({ planId: 'pro', pendingPlanId: 'starter' });
    // The renewal checkout for the next period is for the new plan; paying it applies the downgrade.
    h.clock.set(view.currentPeriodEnd - DAY);
    await h.billing.runRenewals();
    const reminder = h.hookCalls
      .filter((c) => c.name === 'renewalReminder' && c.event.subscription.workspaceId === 'ws_down')
      .at(-1)!.event;
    expect(reminder.payment).toMatchObject({ planId: 'starter', amountPaise: 99_900, purpose: 'renewal' });
    await h.emu.completeOrder(reminder.payment.merchantOrderId);
    await h.emu.webhooks.idle();
    const next = (await h.billing.getSubscription('ws_down'))!;
    expect(next).toMatchObject({
      planId: 'starter',
      pendingPlanId: null,
      currentPeriodStart: view.currentPeriodEnd,
    });
  });

  it('withdraws a scheduled downgrade when asked for the current plan', async () => {
    await subscribe(h, 'ws_withdraw', 'pro');
    await h.billing.changePlan('ws_withdraw', 'starter');
    expect((await h.billing.changePlan('ws_withdraw', 'pro')).kind).toBe('change_cancelled');
    expect((await h.billing.getSubscription('ws_withdraw'))?.pendingPlanId).toBeNull();
    await expect(h.billing.changePlan('ws_withdraw', 'pro')).rejects.toMatchObject({ code: 'PLAN_CHANGE_NOT_ALLOWED' });
  });

  it('runs a free trial that expires unpaid, once per workspace', async () => {
    const trial = await h.billing.startTrial('ws_trial', { planId: 'trial_plan' });
    expect(trial).toMatchObject({ status: 'trialing', currentPeriodEnd: h.clock.now() + 14 * DAY });
    expect((await h.billing.recordUsage('ws_trial', 'projects', 2)).current).toBe(2);
    await expect(h.billing.startTrial('ws_trial', { planId: 'trial_plan' })).rejects.toMatchObject({
      code: 'TRIAL_NOT_AVAILABLE',
    });
    await expect(h.billing.startTrial('ws_x', { planId: 'pro' })).rejects.toMatchObject({
      code: 'TRIAL_NOT_AVAILABLE',
    });
    h.clock.advance(14 * DAY + 1);
    await h.billing.runRenewals();
    expect((await h.billing.getSubscription('ws_trial'))?.status).toBe('expired');
    expect(h.hookCalls.some((c) => c.name === 'subscriptionExpired' && c.event.reason === 'trial_ended')).toBe(true);
  });
});
