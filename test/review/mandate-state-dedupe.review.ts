import { describe, expect, it } from 'vitest';
import { BACKENDS, useBillingHarness } from '../billing/support/billing-harness.js';
import { subscribe } from '../billing/support/subscribe.js';

// webhookDedupeKey (src/webhooks/webhook-dedupe-key.ts) is `event:subject:state`. For mandate state
// changes the same key recurs whenever the payer pauses (or unpauses) a second time, so handleWebhook
// (src/billing/settlement/handle-webhook.ts) answers `duplicate` and never applies the new state.
describe.each(BACKENDS)('mandate pause / unpause cycles (%s)', (backend) => {
  const h = useBillingHarness(backend);
  const mandateState = async (ws: string) => (await h.billing.getSubscription(ws))?.autopay?.mandate_state;

  it('a second pause of the same mandate is dropped as a duplicate webhook', async () => {
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
    // Today: outcome 'duplicate' ("already received 0 time(s) before") and the mandate stays ACTIVE
    // locally, so the renewal worker will notify/debit a paused mandate instead of waiting.
    expect(h.webhookResults.slice(before).map((r) => r.outcome)).not.toContain('duplicate');
    expect(await mandateState('ws_pause_twice')).toBe('PAUSED');
  });
});
