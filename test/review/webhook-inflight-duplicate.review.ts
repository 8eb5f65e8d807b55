import { describe, expect, it } from 'vitest';
import { defaultEmulatorWebhookCredentials } from '../../src/testing/index.js';
import { createTestAuthorization } from '../../src/webhooks/webhook-authorization.js';
import { verifyWebhook } from '../../src/webhooks/verify-webhook.js';
import { BACKENDS, useBillingHarness } from '../billing/support/billing-harness.js';
import { subscribe } from '../billing/support/subscribe.js';

// handleWebhook (src/billing/settlement/handle-webhook.ts) records the delivery (status `received`) in its
// own transaction before processing it. A redelivery that arrives while the first is still being processed
// finds `received`, is answered `duplicate` (the route says 200), and PhonePe stops retrying. If the first
// then fails (PhonePe's status API down), the event is marked `failed` and nobody ever processes it: only a
// *new* delivery may take a failed event over. PhonePe redelivers exactly when the first attempt is slow
// (no 2xx within 3–5 s, phonepe-api.md §5.4), so the two overlap in practice. Payments are repaired by
// reconcile; mandate events (revoked, paused, cancelled) are not reconciled by anything.
describe.each(BACKENDS)('a redelivery overlapping a slow first delivery (%s)', (backend) => {
  const h = useBillingHarness(backend);

  it('is acknowledged as a duplicate, and the revocation is then lost for good', async () => {
    const session = await subscribe(h, 'ws_overlap', 'starter', { autopay: true });
    const mandate = (await h.billing.getPayment(session.orderId))!.merchantSubscriptionId!;
    h.emu.webhooks.hold(); // deliver this one by hand, twice, overlapping
    await h.emu.customer.revoke(mandate);
    expect(h.emu.getSubscription(mandate)).toMatchObject({ state: 'REVOKED' });
    const body = JSON.stringify({ event: 'subscription.revoked', type: 'SUBSCRIPTION_REVOKED', payload: h.emu.getSubscription(mandate) });
    const authorization = await createTestAuthorization(defaultEmulatorWebhookCredentials.username, defaultEmulatorWebhookCredentials.password);
    const event = await verifyWebhook({ authorization, body }, defaultEmulatorWebhookCredentials);

    // PhonePe's subscription-status API is slow and then fails once, while confirming delivery 1.
    h.emu.faults.add({ method: 'GET', path: `/checkout/v2/subscriptions/${mandate}/status`, status: 503, body: { code: 'INTERNAL_SERVER_ERROR', message: 'busy' }, delayMs: 300, times: 1 });
    const first = h.billing.handleWebhook(event).then(() => 'ok', (error: { code?: string }) => error.code ?? 'error');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = await h.billing.handleWebhook(event); // PhonePe's redelivery: the route answers 200
    expect(await first).toBe('PAYMENT_PROVIDER_UNAVAILABLE');

    const view = (await h.billing.getSubscription('ws_overlap'))!;
    // Today: second.outcome is 'duplicate' (200 to PhonePe) while the mandate is still ACTIVE/autopay here;
    // the renewal worker will keep notifying a revoked mandate. The redelivery must not be acknowledged
    // before the event is processed (answer 409/503 so PhonePe retries), or be processed itself.
    expect({ outcome: second.outcome, mandate: view.autopay?.mandate_state }).not.toEqual({ outcome: 'duplicate', mandate: 'ACTIVE' });
  });
});
