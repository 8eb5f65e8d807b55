import { describe, expect, it } from 'vitest';
import { defaultEmulatorWebhookCredentials } from '../../src/testing/index.js';
import { createTestAuthorization, verifyWebhook } from '../../src/webhooks/verify-webhook.js';
import { BACKENDS, useBillingHarness } from './support/billing-harness.js';
import { subscribe } from './support/subscribe.js';

// Found in review: PhonePe redelivers exactly when the first attempt is slow (no 2xx within 3–5 s,
// docs/phonepe-protocol.md#webhook-delivery). A redelivery overlapping a first delivery still being processed used to be
// acknowledged as a duplicate; if the first then failed, the event (here a mandate revocation, which no
// reconciliation repairs) was lost. Now only a processed event counts as a duplicate.
describe.each(BACKENDS)('a redelivery overlapping a slow first delivery (%s)', (backend) => {
  const h = useBillingHarness(backend);

  it('is processed itself, so the revocation is not lost when the first delivery fails', async () => {
    const session = await subscribe(h, 'ws_overlap', 'starter', { autopay: true });
    const mandate = (await h.billing.getPayment(session.orderId))!.merchantSubscriptionId!;
    h.emu.webhooks.hold(); // deliver this one by hand, twice, overlapping
    await h.emu.customer.revoke(mandate);
    expect(h.emu.getSubscription(mandate)).toMatchObject({ state: 'REVOKED' });
    const body = JSON.stringify({
      event: 'subscription.revoked',
      type: 'SUBSCRIPTION_REVOKED',
      payload: h.emu.getSubscription(mandate),
    });
    const authorization = await createTestAuthorization(
      defaultEmulatorWebhookCredentials.username,
      defaultEmulatorWebhookCredentials.password,
    );
    const event = await verifyWebhook({ authorization, body }, defaultEmulatorWebhookCredentials);

    // PhonePe's subscription-status API is slow and then fails once, while confirming delivery 1.
    h.emu.faults.add({
      method: 'GET',
      path: `/checkout/v2/subscriptions/${mandate}/status`,
      status: 503,
      body: { code: 'INTERNAL_SERVER_ERROR', message: 'busy' },
      delayMs: 300,
      times: 1,
    });
    const first = h.billing.handleWebhook(event).then(
      () => 'ok',
      (error: { code?: string }) => error.code ?? 'error',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = await h.billing.handleWebhook(event); // PhonePe's redelivery: the route answers 200
    expect(await first).toBe('PAYMENT_PROVIDER_UNAVAILABLE');

    const view = (await h.billing.getSubscription('ws_overlap'))!;
    expect(second.outcome).toBe('processed');
    expect(view).toMatchObject({ renewalMode: 'manual', autopay: { mandateState: 'REVOKED' } });
    // Once processed, further deliveries of the same payment event are duplicates (mandate events are
    // always re-applied: they are idempotent and their keys recur).
    expect((await h.billing.handleWebhook(event)).outcome).toBe('processed');
  });
});
