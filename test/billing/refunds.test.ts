import { describe, expect, it } from 'vitest';
import { SubscriptionManager } from '../../src/billing/subscription-manager.js';
import { BACKENDS, useBillingHarness, hookNames, PLANS, RETURN_URL } from './support/billing-harness.js';
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

// Found in review: the refund row is written before PhonePe is called, and reconcile looks at refunds 20 s
// later — while the create call may still be on its way. PhonePe's "no such refund" must not fail it then;
// and if PhonePe completes a refund we had given up, the books must say so.
describe.each(BACKENDS)('reconcile during a slow refund call (%s)', (backend) => {
  const h = useBillingHarness(backend);

  it('does not fail a refund whose create call is still in flight, and records its completion', {
    timeout: 30_000,
  }, async () => {
    const session = await subscribe(h, 'ws_refund_race', 'starter');
    // The refund request is slow to reach PhonePe (it is handled after 1.5 s of network delay).
    h.emu.faults.add({ method: 'POST', path: '/payments/v2/refund', delayMs: 1_500, times: 1 });
    const refunding = h.billing.refund(session.orderId, { reason: 'duplicate charge' }).then(
      (r) => r,
      (e: unknown) => e,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    h.clock.advance(21_000); // a reconcile run comes along (its default olderThanMs is 20 s)
    const reconciled = await h.billing.reconcile();
    expect(reconciled.items.filter((i) => i.kind === 'refund').map((i) => i.after)).toEqual(['pending']);
    await refunding;

    const payment = (await h.billing.getPayment(session.orderId))!;
    const [refund] = await h.store.transaction({ system: true }, (tx) => tx.refunds.listByPayment(payment.id));
    await h.emu.completeRefund(refund!.merchantRefundId);
    await h.emu.webhooks.idle();
    await h.billing.reconcile({ olderThanMs: 0 });
    expect(h.emu.getRefund(refund!.merchantRefundId)).toMatchObject({ state: 'COMPLETED', amount: 99_900 });
    const local = await h.store.transaction({ system: true }, (tx) => tx.refunds.getById(refund!.id));
    expect(local?.state).toBe('completed');
  });

  it('sends a refund PhonePe never received again under the same id, and it is refunded once', async () => {
    const session = await subscribe(h, 'ws_refund_lost_call', 'starter');
    // The create call never reached PhonePe, and the client's own status check could not tell.
    h.emu.faults.add({ method: 'POST', path: '/payments/v2/refund', dropConnection: true, times: 1 });
    h.emu.faults.add({ method: 'GET', path: '/payments/v2/refund/*/status', dropConnection: true, times: 1 });
    await expect(h.billing.refund(session.orderId, { amount: 10_000 })).rejects.toMatchObject({ status: 503 });
    const payment = (await h.billing.getPayment(session.orderId))!;
    const [refund] = await h.store.transaction({ system: true }, (tx) => tx.refunds.listByPayment(payment.id));
    expect(refund).toMatchObject({ state: 'pending' });
    expect(() => h.emu.getRefund(refund!.merchantRefundId)).toThrow();
    // Another refund cannot be started meanwhile: the first one may still happen.
    await expect(h.billing.refund(session.orderId, { amount: 10_000 })).rejects.toMatchObject({
      code: 'REFUND_IN_PROGRESS',
    });

    h.clock.advance(5 * 60 * 1000);
    expect((await h.billing.reconcile()).items.find((i) => i.kind === 'refund')).toMatchObject({
      before: 'pending',
      after: 'pending',
    });
    expect(h.emu.getRefund(refund!.merchantRefundId)).toMatchObject({ state: 'PENDING', amount: 10_000 });
    await h.emu.completeRefund(refund!.merchantRefundId);
    await h.emu.webhooks.idle();
    expect(await h.store.transaction({ system: true }, (tx) => tx.refunds.getById(refund!.id))).toMatchObject({
      state: 'completed',
    });
    const atPhonePe = (
      h.emu.state().refunds as Array<{ originalMerchantOrderId: string; amount: number; state: string }>
    ).filter((r) => r.originalMerchantOrderId === session.orderId);
    expect(atPhonePe).toEqual([expect.objectContaining({ amount: 10_000, state: 'COMPLETED' })]);
    expect(h.hookCalls.filter((c) => c.name === 'refundFailed')).toHaveLength(0);
  });

  it('a wrong "no such refund" from the status API never fails a refund PhonePe has', async () => {
    const session = await subscribe(h, 'ws_refund_corrected', 'starter');
    const refund = await h.billing.refund(session.orderId, { amount: 20_000 });
    // 16 minutes on, PhonePe accepts and completes the refund (two webhooks, in order). Confirming the
    // first, its status API wrongly answers "no such refund": the refund is sent again under the same id,
    // PhonePe answers "already used", and its status decides. It is never recorded failed.
    h.emu.faults.add({
      method: 'GET',
      path: `/payments/v2/refund/${refund.merchantRefundId}/status`,
      status: 404,
      body: { code: 'INVALID_MERCHANT_REFUND_ID', message: 'No entry found' },
      times: 1,
    });
    h.clock.advance(16 * 60 * 1000);
    await h.emu.sweep();
    await h.emu.webhooks.idle();
    const audit = await h.store.transaction({ workspaceId: 'ws_refund_corrected' }, (tx) =>
      tx.audit.listByWorkspace('ws_refund_corrected', { limit: 20 }),
    );
    const actions = audit.filter((a) => a.entityId === refund.id).map((a) => a.action);
    expect(actions).not.toContain('refund.failed');
    expect(actions).toContain('refund.completed');
    expect(await h.store.transaction({ system: true }, (tx) => tx.refunds.getById(refund.id))).toMatchObject({
      state: 'completed',
    });
    const atPhonePe = (h.emu.state().refunds as Array<{ originalMerchantOrderId: string }>).filter(
      (r) => r.originalMerchantOrderId === session.orderId,
    );
    expect(atPhonePe).toHaveLength(1);
    expect(h.hookCalls.filter((c) => c.name === 'refundFailed')).toHaveLength(0);
  });
});

describe('refunds of a gateway the manager was not given (memory)', () => {
  const h = useBillingHarness('memory', { gateway: 'razorpay' });

  it('a refund of a Razorpay payment through a manager without Razorpay writes nothing', async () => {
    const plan = PLANS.find((p) => p.id === 'pro')!;
    const session = await h.billing.createCheckout({
      workspaceId: 'ws_nogw',
      userId: 'u_nogw',
      planId: plan.id,
      amount: plan.price,
      returnUrl: RETURN_URL,
    });
    await h.gateway.pay(session.orderId);
    await h.gateway.webhooks.idle();
    // The same data, a manager restarted without Razorpay (a set-up mistake).
    const phonePeOnly = new SubscriptionManager({
      client: h.client,
      store: h.store,
      plans: PLANS,
      clock: h.clock,
      config: {
        callbackUrl: 'https://api.example.com/v1/payments/callback',
        redirectAllowlist: ['https://app.example.com'],
      },
    });
    await expect(phonePeOnly.refund(session.orderId, { amount: 100_000 })).rejects.toMatchObject({
      code: 'GATEWAY_NOT_CONFIGURED',
    });
    // Refused before anything was written: no refund row waits to be sent later behind the operator's back,
    // and the payment can still be refunded once Razorpay is back.
    const payment = (await h.billing.getPayment(session.orderId))!;
    const rows = await h.store.transaction({ system: true }, (tx) => tx.refunds.sumRefunded(payment.id));
    expect(rows).toBe(0);
    const refund = await h.billing.refund(session.orderId, { amount: 100_000 });
    expect(refund).toMatchObject({ gateway: 'razorpay', amountPaise: 100_000 });
  });
});
