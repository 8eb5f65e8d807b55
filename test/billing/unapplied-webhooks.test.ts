import { describe, expect, it } from 'vitest';
import { defaultEmulatorWebhookCredentials as creds } from '../../src/testing/index.js';
import { createTestAuthorization, verifyWebhook } from '../../src/webhooks/verify-webhook.js';
import { BACKENDS, PLANS, RETURN_URL, useBillingHarness, type BillingHarness } from './support/billing-harness.js';
import { subscribe } from './support/subscribe.js';
import { aPayment, aPlan } from '../storage/conformance/fixtures.js';

// Reliability issue, defect 3: an authenticated event that changed nothing (refused, contradicted by
// PhonePe's status API, premature) must not count as processed, or the genuine event that comes later
// under the same dedupe key is answered "duplicate" and lost.
const signed = async (body: unknown) =>
  verifyWebhook(
    { authorization: await createTestAuthorization(creds.username, creds.password), body: JSON.stringify(body) },
    creds,
  );

async function checkout(h: BillingHarness, workspaceId: string) {
  return h.billing.createCheckout({
    workspaceId,
    userId: 'u',
    planId: 'pro',
    amount: PLANS.find((p) => p.id === 'pro')!.price,
    returnUrl: RETURN_URL,
  });
}

describe.each(BACKENDS)('events that changed nothing stay open (%s)', (backend) => {
  const h = useBillingHarness(backend);

  it('a tampered COMPLETED (wrong amount) is refused, and the genuine one later completes the payment', async () => {
    const session = await checkout(h, 'ws_tampered');
    const order = h.emu.getOrder(session.orderId);
    const tampered = await signed({
      event: 'checkout.order.completed',
      payload: {
        merchantOrderId: session.orderId,
        orderId: order.orderId,
        state: 'COMPLETED',
        amount: 100,
        expireAt: order.expireAt,
        paymentDetails: [],
      },
    });
    expect(await h.billing.handleWebhook(tampered)).toMatchObject({ outcome: 'refused' });
    expect(await h.billing.handleWebhook(tampered)).toMatchObject({ outcome: 'refused' });
    await h.emu.completeOrder(session.orderId);
    await h.emu.webhooks.idle();
    expect(h.webhookResults.at(-1)).toMatchObject({ outcome: 'processed', event: 'checkout.order.completed' });
    expect((await h.billing.getPayment(session.orderId))?.state).toBe('completed');
  });

  it('a genuine COMPLETED that arrives while the status API still says PENDING is delivered again and applied', async () => {
    const session = await checkout(h, 'ws_behind');
    const order = h.emu.getOrder(session.orderId);
    // PhonePe's status API lags once: it still reports the order PENDING when the webhook is confirmed.
    h.emu.faults.add({
      method: 'GET',
      path: `/checkout/v2/order/${session.orderId}/status`,
      status: 200,
      body: { ...order, state: 'PENDING', paymentDetails: [] },
      times: 1,
    });
    await h.emu.completeOrder(session.orderId);
    await h.emu.webhooks.idle();
    const delivery = h.emu.webhooks.deliveries.find(
      (d) => d.body.includes(session.orderId) && d.event === 'checkout.order.completed',
    )!;
    expect(delivery.attempts.map((a) => a.status)).toEqual([503, 200]);
    expect(h.webhookResults.filter((r) => r.dedupeKey.includes(session.orderId)).map((r) => r.outcome)).toEqual([
      'unconfirmed',
      'processed',
    ]);
    expect((await h.billing.getPayment(session.orderId))?.state).toBe('completed');
  });

  it('a forged refund COMPLETED while PhonePe says PENDING does not swallow the genuine one', async () => {
    const session = await subscribe(h, 'ws_refund_forged', 'pro');
    const refund = await h.billing.refund(session.orderId, { amount: 50_000 });
    const payload = { ...(h.emu.getRefund(refund.merchantRefundId) as Record<string, unknown>), state: 'COMPLETED' };
    const forged = await signed({ event: 'pg.refund.completed', payload });
    expect(await h.billing.handleWebhook(forged)).toMatchObject({ outcome: 'unconfirmed' });
    expect(await h.store.transaction({ system: true }, (tx) => tx.refunds.getById(refund.id))).toMatchObject({
      state: 'pending',
    });
    await h.emu.completeRefund(refund.merchantRefundId);
    await h.emu.webhooks.idle();
    expect(h.webhookResults.at(-1)).toMatchObject({ outcome: 'processed', event: 'pg.refund.completed' });
    expect(await h.store.transaction({ system: true }, (tx) => tx.refunds.getById(refund.id))).toMatchObject({
      state: 'completed',
    });
  });

  it('an event about an order that is not ours is ignored and not marked processed', async () => {
    const stranger = await signed({
      event: 'checkout.order.completed',
      payload: {
        merchantOrderId: 'ord_someone_else',
        orderId: 'OMO1',
        state: 'COMPLETED',
        amount: 100,
        paymentDetails: [],
      },
    });
    const result = await h.billing.handleWebhook(stranger);
    expect(result.outcome).toBe('ignored');
    expect(await h.store.transaction({ system: true }, (tx) => tx.webhookEvents.get(result.dedupeKey))).toMatchObject({
      status: 'unapplied',
    });
  });
});

describe.each(BACKENDS)('events that changed nothing, with confirmWebhooks off (%s)', (backend) => {
  const h = useBillingHarness(backend, { config: { confirmWebhooks: false } });

  it('a tampered COMPLETED is refused, and the genuine one later completes the payment', async () => {
    const session = await checkout(h, 'ws_tampered_unconfirmed');
    const order = h.emu.getOrder(session.orderId);
    const tampered = await signed({
      event: 'checkout.order.completed',
      payload: {
        merchantOrderId: session.orderId,
        orderId: order.orderId,
        state: 'COMPLETED',
        amount: 1,
        expireAt: order.expireAt,
        paymentDetails: [],
      },
    });
    expect(await h.billing.handleWebhook(tampered)).toMatchObject({ outcome: 'refused' });
    await h.emu.completeOrder(session.orderId);
    await h.emu.webhooks.idle();
    expect((await h.billing.getPayment(session.orderId))?.state).toBe('completed');
  });

  it('a delivery whose settlement fails is left failed, not half-recorded, and the next delivery applies it', async () => {
    // A payment for a plan that exists nowhere yet (retired from code, never stored): activation throws
    // inside the one transaction that records, settles and marks the delivery, so all of it rolls back.
    const payment = aPayment({
      workspaceId: 'ws_settle_fails',
      planId: 'retired_plan',
      state: 'pending',
      phonepeOrderId: 'OMO_SETTLE_FAILS',
      createdAt: h.clock.now(),
      updatedAt: h.clock.now(),
    });
    await h.store.transaction({ system: true }, (tx) => tx.payments.insert(payment));
    const event = await signed({
      event: 'checkout.order.completed',
      payload: {
        merchantOrderId: payment.merchantOrderId,
        orderId: 'OMO_SETTLE_FAILS',
        state: 'COMPLETED',
        amount: payment.amountPaise,
        paymentDetails: [],
      },
    });
    await expect(h.billing.handleWebhook(event)).rejects.toMatchObject({ code: 'PLAN_NOT_FOUND' });
    const key = (await h.store.transaction({ system: true }, (tx) =>
      tx.webhookEvents.get(`checkout.order.completed:${payment.merchantOrderId}:COMPLETED`),
    ))!;
    expect(key).toMatchObject({ status: 'failed', attempts: 1, duplicateCount: 0 });
    expect((await h.billing.getPayment(payment.merchantOrderId))?.state).toBe('pending');
    // The plan is stored meanwhile; PhonePe's redelivery takes the failed event over and applies it.
    await h.store.transaction({ system: true }, (tx) => tx.plans.upsert(aPlan({ id: 'retired_plan', active: false })));
    expect(await h.billing.handleWebhook(event)).toMatchObject({ outcome: 'processed' });
    expect(await h.store.transaction({ system: true }, (tx) => tx.webhookEvents.get(key.dedupeKey))).toMatchObject({
      status: 'processed',
      attempts: 2,
    });
    expect(await h.billing.getSubscription('ws_settle_fails')).toMatchObject({
      planId: 'retired_plan',
      status: 'active',
    });
  });
});
