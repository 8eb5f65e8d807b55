import { describe, expect, it } from 'vitest';
import { BACKENDS, useBillingHarness, hookNames, RETURN_URL } from './support/billing-harness.js';
import { subscribe } from './support/subscribe.js';

describe.each(BACKENDS)('refunds and reconciliation (%s)', (backend) => {
  const h = useBillingHarness(backend);

  it('refunds partly, then the rest, never more than was paid, one open refund at a time', async () => {
    const session = await subscribe(h, 'ws_refund', 'pro');
    const first = await h.billing.refund(session.orderId, {
      amount: 100_000,
      reason: 'pro-rata goodwill',
      requestedBy: 'u1',
    });
    expect(first).toMatchObject({ state: 'pending', amountPaise: 100_000, reason: 'pro-rata goodwill' });
    await expect(h.billing.refund(session.orderId, { amount: 100 })).rejects.toMatchObject({
      code: 'REFUND_IN_PROGRESS',
    });
    // PhonePe confirms, then completes it (virtual clock), with webhooks.
    await h.emu.advanceTime(61_000);
    await h.emu.webhooks.idle();
    const stored = await h.store.transaction({ system: true }, (tx) => tx.refunds.getById(first.id));
    expect(stored).toMatchObject({ state: 'completed', phonepeRefundId: expect.any(String) });
    expect(hookNames(h)).toContain('refundCompleted');
    await expect(h.billing.refund(session.orderId, { amount: 199_901 })).rejects.toMatchObject({
      code: 'REFUND_EXCEEDS_PAID',
      details: { refundable: 199_900 },
    });
    const rest = await h.billing.refund(session.orderId);
    expect(rest.amountPaise).toBe(199_900);
    await h.emu.completeRefund(rest.merchantRefundId);
    await h.emu.webhooks.idle();
    await expect(h.billing.refund(session.orderId, { amount: 100 })).rejects.toMatchObject({
      code: 'REFUND_EXCEEDS_PAID',
    });
  });

  it('a failed refund frees the amount for a new one', async () => {
    const session = await subscribe(h, 'ws_refund_fail', 'starter');
    const refund = await h.billing.refund(session.orderId, { amount: 50_000 });
    await h.emu.failRefund(refund.merchantRefundId, { errorCode: 'BANK_ERROR' });
    await h.emu.webhooks.idle();
    expect(hookNames(h)).toContain('refundFailed');
    // The code is on the refund attempt only in PhonePe's (minimal) refund status; it is kept.
    expect(await h.store.transaction({ system: true }, (tx) => tx.refunds.getById(refund.id))).toMatchObject({
      state: 'failed',
      errorCode: 'BANK_ERROR',
    });
    const again = await h.billing.refund(session.orderId, { amount: 99_900 });
    expect(again.state).toBe('pending');
  });

  it('refuses refunds of payments that are not completed', async () => {
    const session = await h.billing.createCheckout({
      workspaceId: 'ws_refund_pending',
      userId: 'u',
      planId: 'starter',
      amount: 99_900,
      returnUrl: RETURN_URL,
    });
    await expect(h.billing.refund(session.orderId)).rejects.toMatchObject({ code: 'REFUND_NOT_ALLOWED' });
    await expect(h.billing.refund('ord_unknown')).rejects.toMatchObject({ code: 'PAYMENT_NOT_FOUND' });
    await expect(h.billing.refund(session.orderId, { amount: 50 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('reconcile settles a payment whose webhook was lost, on PhonePe polling schedule', async () => {
    const session = await h.billing.createCheckout({
      workspaceId: 'ws_lost',
      userId: 'u',
      planId: 'pro',
      amount: 299_900,
      returnUrl: RETURN_URL,
    });
    h.emu.faults.add({ method: 'POST', path: '/v1/payments/webhook', status: 500 });
    h.failWebhooks.value = true;
    await h.emu.completeOrder(session.orderId);
    await h.emu.webhooks.idle();
    h.failWebhooks.value = false;
    expect((await h.billing.getPayment(session.orderId))?.state).toBe('pending');
    // Too young for PhonePe's first check (20–25 s after start).
    const early = await h.billing.reconcile({ olderThanMs: 0 });
    expect(early.items.find((i) => i.id === session.orderId)).toMatchObject({ outcome: 'skipped' });
    h.clock.advance(25_000);
    const result = await h.billing.reconcile();
    expect(result.items.find((i) => i.id === session.orderId)).toMatchObject({
      outcome: 'settled',
      before: 'pending',
      after: 'completed',
    });
    expect((await h.billing.getSubscription('ws_lost'))?.status).toBe('active');
    // The next pass has nothing left to do for it.
    h.clock.advance(60_000);
    expect((await h.billing.reconcile()).items.find((i) => i.id === session.orderId)).toBeUndefined();
  });

  it('reconcile repairs a crash between our write and PhonePe: a row PhonePe never saw expires', async () => {
    h.emu.faults.add({ method: 'POST', path: '/checkout/v2/pay', dropConnection: true, times: 1 });
    h.emu.faults.add({ method: 'GET', path: '/checkout/v2/order/*/status', dropConnection: true, times: 1 });
    const error = await h.billing
      .createCheckout({
        workspaceId: 'ws_crash',
        userId: 'u',
        planId: 'pro',
        amount: 299_900,
        returnUrl: RETURN_URL,
        idempotencyKey: 'k1',
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503 });
    const [row] = await h.store.transaction({ workspaceId: 'ws_crash' }, (tx) =>
      tx.payments.listByWorkspace('ws_crash', { limit: 5 }),
    );
    expect(row?.state).toBe('created');
    h.clock.advance(60 * 60 * 1000);
    const result = await h.billing.reconcile();
    expect(result.items.find((i) => i.id === row!.merchantOrderId)).toMatchObject({
      before: 'created',
      after: 'expired',
    });
  });

  it('reconcile reports a PhonePe outage per item and carries on', async () => {
    const session = await h.billing.createCheckout({
      workspaceId: 'ws_outage',
      userId: 'u',
      planId: 'pro',
      amount: 299_900,
      returnUrl: RETURN_URL,
    });
    h.clock.advance(30_000);
    h.emu.faults.add({ method: 'GET', path: '/checkout/v2/order/*/status', status: 503, times: 1 });
    const result = await h.billing.reconcile();
    const item = result.items.find((i) => i.id === session.orderId);
    expect(item).toMatchObject({ outcome: 'error', error: { code: 'PAYMENT_PROVIDER_UNAVAILABLE' } });
    expect(result.errors).toBeGreaterThanOrEqual(1);
  });

  it('reconcile settles a refund whose webhooks never arrived', async () => {
    const session = await subscribe(h, 'ws_refund_lost', 'starter');
    const refund = await h.billing.refund(session.orderId, { amount: 10_000 });
    h.failWebhooks.value = true;
    await h.emu.completeRefund(refund.merchantRefundId);
    await h.emu.webhooks.idle();
    h.failWebhooks.value = false;
    expect((await h.store.transaction({ system: true }, (tx) => tx.refunds.getById(refund.id)))?.state).toBe('pending');
    h.clock.advance(30_000);
    const result = await h.billing.reconcile();
    expect(result.items.find((i) => i.id === refund.merchantRefundId)).toMatchObject({
      kind: 'refund',
      before: 'pending',
      after: 'completed',
      outcome: 'settled',
    });
  });

  it('reports metrics over a time range', async () => {
    await h.emu.advanceTime(61_000); // lets PhonePe settle the last refund
    await h.emu.webhooks.idle();
    await h.billing.reconcile({ olderThanMs: 0 });
    const metrics = await h.billing.metrics({ from: 0, to: h.clock.now() + 1 });
    // Completed: ws_refund (pro), ws_refund_fail (starter), ws_lost (pro), ws_refund_lost (starter); expired: ws_crash; failed: none.
    expect(metrics.payments).toMatchObject({
      completed: 4,
      failed: 0,
      grossRevenuePaise: 799_600,
      refundedPaise: 100_000 + 199_900 + 99_900 + 10_000,
      netRevenuePaise: 799_600 - 409_800,
    });
    expect(metrics.payments.expired).toBeGreaterThanOrEqual(1);
    expect(metrics.payments.successRate).toBe(4 / (4 + metrics.payments.expired));
    expect(metrics.subscriptions).toMatchObject({ new: 4, cancelled: 0, churned: 0 });
    expect(metrics.webhooks.received).toBeGreaterThan(0);
    expect(metrics.payments.meanCallbackToSettleMs).toBeGreaterThanOrEqual(0);
    const empty = await h.billing.metrics({ from: 0, to: 1 });
    expect(empty.payments).toMatchObject({ completed: 0, successRate: null, meanCallbackToSettleMs: null });
    await expect(h.billing.metrics({ from: 10, to: 5 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
