import { expect, it } from 'vitest';
import { StoreScopeError, type BillingTransaction } from '../../../src/storage/index.js';
import { aPayment, anAuditEntry, aRefund, aSubscription, scopeOf, SYSTEM, T0, uid } from './fixtures.js';
import type { StoreHarness } from './store-harness.js';

/** `audit` and `metrics`. */
export function auditAndMetricsConformance(h: () => StoreHarness): void {
  const sys = <T>(fn: (tx: BillingTransaction) => Promise<T>) => h().store.transaction(SYSTEM, fn);

  it('appends audit rows (generating ids) and lists them newest first, paging with before', async () => {
    const ws = uid('ws');
    const given = await sys((tx) => tx.audit.append({ ...anAuditEntry(ws, { createdAt: T0 }), id: 'aud_given' }));
    expect(given).toEqual({ ...anAuditEntry(ws, { createdAt: T0, entityId: given.entityId }), id: 'aud_given' });
    const generated = await h().store.transaction(scopeOf(ws), (tx) =>
      tx.audit.append(anAuditEntry(ws, { createdAt: T0 + 2, data: { n: [1] } })),
    );
    expect(generated.id).toMatch(/^aud_/);
    await sys((tx) => tx.audit.append(anAuditEntry(ws, { id: 'aud_mid', createdAt: T0 + 1 })));
    await sys((tx) => tx.audit.append(anAuditEntry(uid('ws'))));
    const listed = await sys((tx) => tx.audit.listByWorkspace(ws, { limit: 10 }));
    expect(listed.map((row) => row.id)).toEqual([generated.id, 'aud_mid', 'aud_given']);
    expect(listed[0]).toEqual(generated);
    expect(
      (await sys((tx) => tx.audit.listByWorkspace(ws, { limit: 10, before: T0 + 1 }))).map((row) => row.id),
    ).toEqual(['aud_given']);
    expect(
      await h().store.transaction(scopeOf(uid('ws')), (tx) => tx.audit.listByWorkspace(ws, { limit: 10 })),
    ).toEqual([]);
    await expect(
      h().store.transaction(scopeOf(uid('ws')), (tx) => tx.audit.append(anAuditEntry(ws))),
    ).rejects.toBeInstanceOf(StoreScopeError);
  });

  it('aggregates payment, refund, subscription and webhook metrics over [from, to)', async () => {
    const ws = uid('ws');
    const from = T0;
    const to = T0 + 1_000;
    await sys(async (tx) => {
      await tx.payments.insert(
        aPayment({ workspaceId: ws, state: 'completed', amountPaise: 500, settledAt: T0, firstSignalAt: T0 - 40 }),
      );
      await tx.payments.insert(
        aPayment({ workspaceId: ws, state: 'completed', amountPaise: 700, settledAt: T0 + 999 }),
      );
      await tx.payments.insert(aPayment({ state: 'failed', settledAt: T0 + 10, firstSignalAt: T0 + 4 }));
      await tx.payments.insert(aPayment({ state: 'expired', settledAt: T0 + 20 }));
      await tx.payments.insert(aPayment({ state: 'completed', amountPaise: 9_999, settledAt: to }));
      await tx.payments.insert(aPayment({ state: 'pending' }));
      const payment = aPayment();
      await tx.refunds.insert(aRefund(payment, { state: 'completed', amountPaise: 300, settledAt: T0 + 1 }));
      await tx.refunds.insert(aRefund(aPayment(), { state: 'failed', amountPaise: 50, settledAt: T0 + 1 }));
      await tx.subscriptions.insert(aSubscription({ workspaceId: ws, createdAt: T0 + 1 }));
      await tx.subscriptions.insert(
        aSubscription({ status: 'cancelled', createdAt: T0 - 5, cancelledAt: T0 + 2, endedAt: T0 + 3 }),
      );
      await tx.subscriptions.insert(aSubscription({ status: 'expired', createdAt: T0 - 5, endedAt: T0 + 4 }));
      await tx.subscriptions.insert(
        aSubscription({ status: 'active', createdAt: T0 - 5, cancelledAt: T0 + 5, cancelAtPeriodEnd: true }),
      );
      await tx.webhookEvents.record({ dedupeKey: 'm1', event: 'e', subjectId: null, payload: null, now: T0 });
      await tx.webhookEvents.record({ dedupeKey: 'm1', event: 'e', subjectId: null, payload: null, now: T0 + 1 });
      await tx.webhookEvents.record({ dedupeKey: 'm2', event: 'e', subjectId: null, payload: null, now: T0 + 2 });
      await tx.webhookEvents.markFailed('m2', { workspaceId: ws, error: 'x', now: T0 + 3 });
      await tx.webhookEvents.record({ dedupeKey: 'm3', event: 'e', subjectId: null, payload: null, now: to });
    });
    await sys(async (tx) => {
      expect(await tx.metrics.payments({ from, to })).toEqual({
        completed: 2,
        failed: 1,
        expired: 1,
        revenuePaise: 1_200,
        settleLatencyMsTotal: 46,
        settleLatencyCount: 2,
      });
      expect(await tx.metrics.refunds({ from, to })).toEqual({ completed: 1, refundedPaise: 300 });
      expect(await tx.metrics.subscriptions({ from, to })).toEqual({ created: 1, cancelled: 2, ended: 2, expired: 1 });
      expect(await tx.metrics.webhooks({ from, to })).toEqual({ received: 2, duplicates: 1, failed: 1 });
    });
    // A workspace scope aggregates only its own rows.
    const mine = await h().store.transaction(scopeOf(ws), async (tx) => ({
      payments: await tx.metrics.payments({ from, to }),
      webhooks: await tx.metrics.webhooks({ from, to }),
    }));
    expect(mine.payments).toMatchObject({ completed: 2, failed: 0, revenuePaise: 1_200 });
    expect(mine.webhooks).toEqual({ received: 1, duplicates: 0, failed: 1 });
  });

  it('snapshot counts open payments and refunds by state, subscriptions by status, and the oldest open payment', async () => {
    const ws = uid('ws');
    const other = uid('ws');
    // Outbox events of ws done with first (an older pending one of a workspace blocks later claims).
    await sys(async (tx) => {
      const [done, dead] = [uid('evt'), uid('evt')];
      await tx.outbox.append([
        { id: done, workspaceId: ws, event: 'refundCompleted', payload: {}, now: T0 - 50 },
        { id: dead, workspaceId: ws, event: 'refundFailed', payload: {}, now: T0 - 40 },
      ]);
      for (const [id, outcome] of [
        [done, { delivered: true }],
        [dead, { delivered: false, error: 'boom', retryAt: null }],
      ] as const) {
        const worker = uid('w');
        const claimed = await tx.outbox.claim({
          now: T0 + 100,
          limit: 100,
          workerId: worker,
          leaseMs: 60_000,
          ids: [id],
        });
        expect(claimed.map((e) => e.id)).toContain(id);
        await tx.outbox.finish({ id, workerId: worker, now: T0 + 100, outcome });
      }
    });
    await sys(async (tx) => {
      await tx.payments.insert(aPayment({ workspaceId: ws, state: 'created', createdAt: T0 + 5 }));
      await tx.payments.insert(aPayment({ workspaceId: ws, state: 'pending', createdAt: T0 + 3 }));
      await tx.payments.insert(aPayment({ workspaceId: ws, state: 'pending', createdAt: T0 + 9 }));
      // One open refund per payment (a store constraint), so two paid payments.
      const paid = aPayment({ workspaceId: ws, state: 'completed', createdAt: T0 - 100, settledAt: T0 });
      const paidToo = aPayment({ workspaceId: ws, state: 'completed', createdAt: T0 - 100, settledAt: T0 });
      await tx.payments.insert(paid);
      await tx.payments.insert(paidToo);
      await tx.payments.insert(aPayment({ workspaceId: other, state: 'pending', createdAt: T0 - 1_000 }));
      await tx.refunds.insert(aRefund(paid, { state: 'pending' }));
      await tx.refunds.insert(aRefund(paidToo, { state: 'confirmed' }));
      await tx.refunds.insert(aRefund(paid, { state: 'completed', settledAt: T0 + 1 }));
      await tx.subscriptions.insert(aSubscription({ workspaceId: ws, status: 'expired', endedAt: T0 }));
      await tx.subscriptions.insert(aSubscription({ workspaceId: ws, status: 'active' }));
      await tx.subscriptions.insert(aSubscription({ workspaceId: other, status: 'past_due' }));
      // Outbox: two waiting (the older one written at T0 + 2), one delivered, one dead; another workspace's.
      await tx.outbox.append([
        { id: uid('evt'), workspaceId: ws, event: 'paymentCompleted', payload: {}, now: T0 + 2 },
        { id: uid('evt'), workspaceId: ws, event: 'paymentFailed', payload: {}, now: T0 + 7 },
        { id: uid('evt'), workspaceId: other, event: 'paymentCompleted', payload: {}, now: T0 - 5_000 },
      ]);
    });
    // A workspace scope sees only its rows, so the figures are exact whatever else the store holds.
    const snapshot = await h().store.transaction(scopeOf(ws), (tx) => tx.metrics.snapshot());
    expect(snapshot).toEqual({
      payments: { created: 1, pending: 2 },
      refunds: { pending: 1, confirmed: 1 },
      subscriptions: { trialing: 0, active: 1, past_due: 0, cancelled: 0, expired: 1 },
      oldestOpenPaymentAt: T0 + 3,
      outbox: { pending: 2, dead: 1 },
      oldestPendingEventAt: T0 + 2,
    });
    const empty = await h().store.transaction(scopeOf(uid('ws')), (tx) => tx.metrics.snapshot());
    expect(empty).toMatchObject({
      payments: { created: 0, pending: 0 },
      oldestOpenPaymentAt: null,
      outbox: { pending: 0, dead: 0 },
      oldestPendingEventAt: null,
    });
    // The system scope counts every workspace.
    const all = await sys((tx) => tx.metrics.snapshot());
    expect(all.payments.pending).toBeGreaterThanOrEqual(3);
    expect(all.oldestOpenPaymentAt).toBeLessThanOrEqual(T0 - 1_000);
    expect(all.oldestPendingEventAt).toBeLessThanOrEqual(T0 - 5_000);
  });
}
