import { describe, expect, it } from 'vitest';
import { BACKENDS, DAY, RETURN_URL, useBillingHarness } from './support/billing-harness.js';
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
