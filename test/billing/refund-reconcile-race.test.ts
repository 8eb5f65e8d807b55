import { describe, expect, it } from 'vitest';
import { BACKENDS, useBillingHarness } from './support/billing-harness.js';
import { subscribe } from './support/subscribe.js';

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
