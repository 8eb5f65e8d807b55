import { describe, expect, it } from 'vitest';
import { BACKENDS, DAY, RETURN_URL, useBillingHarness } from '../billing/support/billing-harness.js';
import { subscribe } from '../billing/support/subscribe.js';

// changePlan (src/billing/subscriptions/change-plan.ts) creates a new upgrade payment on every call and
// never supersedes an open one; applyUpgrade (src/billing/settlement/apply-completed-payment.ts) applies
// `metadata.toPlanId` of whichever upgrade payment completes last, without checking that the subscription
// is still on the plan the proration was computed from.
describe.each(BACKENDS)('two open upgrade payments (%s)', (backend) => {
  const h = useBillingHarness(backend);

  it('paying an older, cheaper upgrade after a newer one moves the workspace DOWN, with both charged', async () => {
    await subscribe(h, 'ws_stale_up', 'starter');
    h.clock.advance(10 * DAY);
    const toPro = await h.billing.changePlan('ws_stale_up', { planId: 'pro', returnUrl: RETURN_URL });
    const toEnterprise = await h.billing.changePlan('ws_stale_up', { planId: 'enterprise', returnUrl: RETURN_URL });
    expect([toPro.kind, toEnterprise.kind]).toEqual(['payment_required', 'payment_required']);
    await h.emu.completeOrder(toEnterprise.payment!.merchantOrderId);
    await h.emu.webhooks.idle();
    expect((await h.billing.getSubscription('ws_stale_up'))?.plan_id).toBe('enterprise');

    // The Pro tab was still open; the owner pays it too.
    await h.emu.completeOrder(toPro.payment!.merchantOrderId);
    await h.emu.webhooks.idle();
    expect((await h.billing.getPayment(toPro.payment!.merchantOrderId))?.state).toBe('completed');
    const anomalies = h.hookCalls.filter((c) => c.name === 'anomaly' && c.event.subjectId === toPro.payment!.merchantOrderId);
    // Today: plan_id is "pro" (a downgrade from the Enterprise plan just paid for), no anomaly reported.
    expect({ plan: (await h.billing.getSubscription('ws_stale_up'))?.plan_id, reported: anomalies.length > 0 }).not.toEqual({ plan: 'pro', reported: false });
  });
});
