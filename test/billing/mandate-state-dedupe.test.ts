import { describe, expect, it } from 'vitest';
import { BACKENDS, useBillingHarness } from './support/billing-harness.js';
import { subscribe } from './support/subscribe.js';

// Found in review: the webhook dedupe key is `event:subject:state`, which recurs for mandate state changes
// whenever the payer pauses (or unpauses) a second time; such events must still be applied.
describe.each(BACKENDS)('mandate pause / unpause cycles (%s)', (backend) => {
  const h = useBillingHarness(backend);
  const mandateState = async (ws: string) => (await h.billing.getSubscription(ws))?.autopay?.mandateState;

  it('a second pause of the same mandate is applied, not dropped as a duplicate', async () => {
    const session = await subscribe(h, 'ws_pause_twice', 'starter', { autopay: true });
    const mandate = (await h.billing.getPayment(session.orderId))!.merchantSubscriptionId!;
    await h.emu.customer.pause(mandate);
    await h.emu.webhooks.idle();
    expect(await mandateState('ws_pause_twice')).toBe('PAUSED');
    await h.emu.customer.unpause(mandate);
    await h.emu.webhooks.idle();
    expect(await mandateState('ws_pause_twice')).toBe('ACTIVE');

    const before = h.webhookResults.length;
    await h.emu.customer.pause(mandate);
    await h.emu.webhooks.idle();
    expect(h.emu.getSubscription(mandate)).toMatchObject({ state: 'PAUSED' });
    expect(h.webhookResults.slice(before).map((r) => r.outcome)).not.toContain('duplicate');
    expect(await mandateState('ws_pause_twice')).toBe('PAUSED');
  });
});
