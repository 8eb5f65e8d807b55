import { describe, expect, it } from 'vitest';
import { createTestAuthorization, verifyWebhook } from '../../src/webhooks/verify-webhook.js';
import { defaultEmulatorWebhookCredentials } from '../../src/testing/index.js';
import { BACKENDS, useBillingHarness, hookNames, RETURN_URL } from './support/billing-harness.js';

const creds = defaultEmulatorWebhookCredentials;

describe.each(BACKENDS)('webhooks end to end (%s)', (backend) => {
  const h = useBillingHarness(backend);

  const checkout = (workspaceId: string) =>
    h.billing.createCheckout({ workspaceId, userId: 'u', planId: 'pro', amount: 299_900, returnUrl: RETURN_URL });

  it('processes a duplicated delivery once', async () => {
    const session = await checkout('ws_dup');
    h.emu.webhooks.duplicateNext();
    await h.emu.completeOrder(session.orderId);
    await h.emu.webhooks.idle();
    const delivery = h.emu.webhooks.deliveries.filter((d) => JSON.stringify(d.body).includes(session.orderId)).at(-1);
    await h.emu.webhooks.resend(delivery!.id);
    await h.emu.webhooks.idle();
    const results = h.webhookResults.filter((r) => r.dedupeKey.includes(session.orderId));
    expect(results.map((r) => r.outcome).sort()).toEqual(['duplicate', 'duplicate', 'processed']);
    expect(hookNames(h).filter((n) => n === 'subscriptionActivated')).toHaveLength(1);
  });

  it('settles correctly when a stale PENDING event arrives after the completion', async () => {
    const session = await checkout('ws_order');
    h.emu.webhooks.hold();
    await h.emu.failAttempt(session.orderId, { errorCode: 'INVALID_MPIN', detailedErrorCode: 'ZM' });
    await h.emu.completeOrder(session.orderId);
    await h.emu.webhooks.release('reverse');
    await h.emu.webhooks.idle();
    expect((await h.billing.getPayment(session.orderId))?.state).toBe('completed');
    expect((await h.billing.getSubscription('ws_order'))?.status).toBe('active');
  });

  it('refuses and audits a payload whose amount was tampered with, without asking PhonePe', async () => {
    const session = await checkout('ws_tamper');
    const payload = {
      merchantId: 'M',
      merchantOrderId: session.orderId,
      orderId: h.emu.getOrder(session.orderId).orderId,
      state: 'COMPLETED',
      amount: 100,
      expireAt: h.clock.now() + 60_000,
      paymentDetails: [],
    };
    const body = JSON.stringify({ event: 'checkout.order.completed', type: 'CHECKOUT_ORDER_COMPLETED', payload });
    const event = await verifyWebhook(
      { authorization: await createTestAuthorization(creds.username, creds.password), body },
      creds,
    );
    const result = await h.billing.handleWebhook(event);
    expect(result).toMatchObject({ outcome: 'refused' });
    expect((await h.billing.getPayment(session.orderId))?.state).toBe('pending');
    const audit = await h.store.transaction({ workspaceId: 'ws_tamper' }, (tx) =>
      tx.audit.listByWorkspace('ws_tamper', { limit: 10 }),
    );
    expect(audit.map((a) => a.action)).toContain('payment.signal_refused');
    expect(h.hookCalls.filter((c) => c.name === 'anomaly').at(-1)?.event).toMatchObject({
      kind: 'amount_mismatch',
      workspaceId: 'ws_tamper',
    });
  });

  it('does not trust a well-formed forged COMPLETED payload: PhonePe says PENDING, so nothing changes', async () => {
    const session = await checkout('ws_forged');
    const order = h.emu.getOrder(session.orderId);
    const payload = {
      merchantId: 'M',
      merchantOrderId: session.orderId,
      orderId: order.orderId,
      state: 'COMPLETED',
      amount: 299_900,
      expireAt: order.expireAt,
      paymentDetails: [],
    };
    const event = await verifyWebhook(
      {
        authorization: await createTestAuthorization(creds.username, creds.password),
        body: JSON.stringify({ event: 'checkout.order.completed', payload }),
      },
      creds,
    );
    const result = await h.billing.handleWebhook(event);
    expect(result.outcome).toBe('unconfirmed');
    expect((await h.billing.getPayment(session.orderId))?.state).toBe('pending');
    expect(await h.billing.getSubscription('ws_forged')).toBeNull();
    // The forged event does not swallow the genuine one with the same dedupe key.
    await h.emu.completeOrder(session.orderId);
    await h.emu.webhooks.idle();
    expect((await h.billing.getPayment(session.orderId))?.state).toBe('completed');
    expect(h.webhookResults.at(-1)).toMatchObject({ outcome: 'processed', event: 'checkout.order.completed' });
  });

  it('rejects a forged Authorization at verification', async () => {
    const forged = await createTestAuthorization(creds.username, 'not-the-password1');
    await expect(
      verifyWebhook({ authorization: forged, body: '{"event":"checkout.order.completed","payload":{}}' }, creds),
    ).rejects.toMatchObject({ reason: 'authorization_mismatch' });
  });

  it('a delivery that failed (endpoint down) is processed when PhonePe retries it', async () => {
    const session = await checkout('ws_retry');
    h.failWebhooks.value = true;
    const pending = h.emu.completeOrder(session.orderId);
    // The endpoint comes back once the first attempt has failed (a fixed 30 ms wait missed it on a loaded
    // machine); PhonePe's retry follows 20 ms later.
    const attempted = () =>
      h.emu.webhooks.deliveries.some((d) => JSON.stringify(d.body).includes(session.orderId) && d.attempts.length > 0);
    while (!attempted()) await new Promise((resolve) => setTimeout(resolve, 5));
    h.failWebhooks.value = false;
    await pending;
    await h.emu.webhooks.idle();
    expect((await h.billing.getPayment(session.orderId))?.state).toBe('completed');
    const delivery = h.emu.webhooks.deliveries.filter((d) => JSON.stringify(d.body).includes(session.orderId)).at(-1);
    expect(delivery?.attempts.length).toBeGreaterThanOrEqual(2);
  });

  it('ignores mandates that are not ours without asking PhonePe (even an id PhonePe would refuse)', async () => {
    const auth = await createTestAuthorization(creds.username, creds.password);
    for (const id of ['someone_elses_mandate', '../x']) {
      const event = await verifyWebhook(
        {
          authorization: auth,
          body: JSON.stringify({
            event: 'subscription.paused',
            payload: { merchantSubscriptionId: id, state: 'PAUSED' },
          }),
        },
        creds,
      );
      expect(await h.billing.handleWebhook(event)).toMatchObject({ outcome: 'ignored' });
    }
  });

  it('ignores orders that are not ours and events it does not know, without failing', async () => {
    const auth = await createTestAuthorization(creds.username, creds.password);
    const foreign = await verifyWebhook(
      {
        authorization: auth,
        body: JSON.stringify({
          event: 'checkout.order.completed',
          payload: { merchantOrderId: 'someone_else', orderId: 'OMO9', state: 'COMPLETED', amount: 100 },
        }),
      },
      creds,
    );
    expect(await h.billing.handleWebhook(foreign)).toMatchObject({ outcome: 'ignored' });
    const unknown = await verifyWebhook(
      { authorization: auth, body: JSON.stringify({ event: 'order.split.settlement.accepted', payload: { x: 1 } }) },
      creds,
    );
    expect(await h.billing.handleWebhook(unknown)).toMatchObject({ outcome: 'ignored' });
  });
});
