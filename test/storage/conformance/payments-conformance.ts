import { expect, it } from 'vitest';
import { StoreConflictError, StoreScopeError, type BillingTransaction } from '../../../src/storage/index.js';
import { aPayment, anAuditEntry, MINUTE, scopeOf, SYSTEM, T0, uid } from './fixtures.js';
import type { StoreHarness } from './store-harness.js';

const conflictNamed = (constraint: string) => expect.objectContaining({ name: 'StoreConflictError', constraint });

/** `payments`: inserts and their unique rules, reads, compare-and-set, updates, lists. */
export function paymentsConformance(h: () => StoreHarness): void {
  const sys = <T>(fn: (tx: BillingTransaction) => Promise<T>) => h().store.transaction(SYSTEM, fn);

  it('inserts a payment and reads it back by id, merchant order id and idempotency key', async () => {
    const payment = aPayment({ idempotencyKey: 'idem-1', periodStart: T0, periodEnd: T0 + 1, expiresAt: T0 + 2 });
    expect(await sys((tx) => tx.payments.insert(payment))).toEqual(payment);
    await sys(async (tx) => {
      expect(await tx.payments.getById(payment.id)).toEqual(payment);
      expect(await tx.payments.getByMerchantOrderId(payment.merchantOrderId)).toEqual(payment);
      expect(await tx.payments.getByIdempotencyKey(payment.workspaceId, 'idem-1')).toEqual(payment);
      expect(await tx.payments.getByIdempotencyKey(uid('ws'), 'idem-1')).toBeNull();
      expect(await tx.payments.getForUpdate(payment.id)).toEqual(payment);
      expect(await tx.payments.getForUpdateByMerchantOrderId(payment.merchantOrderId)).toEqual(payment);
      expect(await tx.payments.getForUpdateByMerchantOrderId(uid('ORD'))).toBeNull();
      expect(await tx.payments.getById(uid('pay'))).toBeNull();
    });
  });

  it('keeps the gateway and account a payment was made on, and refuses a malformed gateway name', async () => {
    const payment = aPayment({ gateway: 'razorpay', gatewayAccount: 'rzp_test_1' });
    await sys((tx) => tx.payments.insert(payment));
    expect(await sys((tx) => tx.payments.getById(payment.id))).toMatchObject({
      gateway: 'razorpay',
      gatewayAccount: 'rzp_test_1',
    });
    for (const gateway of ['', 'PhonePe', 'phone pe', '1pay', 'x'.repeat(33)]) {
      const bad = aPayment({ gateway });
      await expect(sys((tx) => tx.payments.insert(bad))).rejects.toMatchObject({ name: 'StoreInputError' });
      expect(await sys((tx) => tx.payments.getById(bad.id))).toBeNull();
    }
  });

  it('inserts with an audit entry appended in the same step; a refused insert appends nothing', async () => {
    const payment = aPayment();
    const entry = anAuditEntry(payment.workspaceId, {
      id: 'aud_created',
      entityType: 'payment',
      entityId: payment.id,
      action: 'payment.created',
      data: { amountPaise: payment.amountPaise },
    });
    expect(await sys((tx) => tx.payments.insert(payment, { audit: entry }))).toEqual(payment);
    await expect(
      sys((tx) =>
        tx.payments.insert(aPayment({ merchantOrderId: payment.merchantOrderId, workspaceId: payment.workspaceId }), {
          audit: { ...entry, id: 'aud_dup' },
        }),
      ),
    ).rejects.toEqual(conflictNamed('payment_merchant_order_id'));
    expect(await sys((tx) => tx.audit.listByWorkspace(payment.workspaceId, { limit: 10 }))).toEqual([
      { ...entry, id: 'aud_created' },
    ]);
  });

  it('keeps merchant order ids unique across workspaces and idempotency keys unique per workspace', async () => {
    const payment = aPayment({ idempotencyKey: 'same' });
    await sys((tx) => tx.payments.insert(payment));
    await expect(
      sys((tx) => tx.payments.insert(aPayment({ merchantOrderId: payment.merchantOrderId }))),
    ).rejects.toEqual(conflictNamed('payment_merchant_order_id'));
    await expect(
      sys((tx) => tx.payments.insert(aPayment({ workspaceId: payment.workspaceId, idempotencyKey: 'same' }))),
    ).rejects.toEqual(conflictNamed('payment_idempotency_key'));
    // Another workspace may use the same key; null keys never collide.
    await sys(async (tx) => {
      await tx.payments.insert(aPayment({ idempotencyKey: 'same' }));
      await tx.payments.insert(aPayment({ workspaceId: payment.workspaceId, idempotencyKey: null }));
      await tx.payments.insert(aPayment({ workspaceId: payment.workspaceId, idempotencyKey: null }));
    });
  });

  it('transition moves the state only from an allowed state and applies the patch', async () => {
    const payment = aPayment();
    await sys((tx) => tx.payments.insert(payment));
    const pending = await sys((tx) =>
      tx.payments.transition(payment.id, {
        from: ['created'],
        to: 'pending',
        patch: { phonepeOrderId: 'OMO1', paymentUrl: 'https://pay' },
        now: T0 + MINUTE,
      }),
    );
    expect(pending).toEqual({
      ...payment,
      state: 'pending',
      phonepeOrderId: 'OMO1',
      paymentUrl: 'https://pay',
      updatedAt: T0 + MINUTE,
    });
    expect(
      await sys((tx) => tx.payments.transition(payment.id, { from: ['created'], to: 'pending', now: T0 + 2 * MINUTE })),
    ).toBeNull();
    expect(await sys((tx) => tx.payments.transition(payment.id, { from: [], to: 'failed', now: T0 }))).toBeNull();
    expect(
      await sys((tx) => tx.payments.transition(uid('pay'), { from: ['pending'], to: 'failed', now: T0 })),
    ).toBeNull();
    const done = await sys((tx) =>
      tx.payments.transition(payment.id, {
        from: ['created', 'pending'],
        to: 'completed',
        patch: { settledAt: T0 + 3 },
        now: T0 + 3,
      }),
    );
    expect(done).toMatchObject({ state: 'completed', settledAt: T0 + 3, phonepeOrderId: 'OMO1' });
    expect(await sys((tx) => tx.payments.getById(payment.id))).toEqual(done);
  });

  it('transition with an audit entry appends it exactly when the row moved, in the same step', async () => {
    const payment = aPayment();
    await sys((tx) => tx.payments.insert(payment));
    const entry = (id: string) =>
      anAuditEntry(payment.workspaceId, {
        id,
        entityType: 'payment',
        entityId: payment.id,
        action: 'payment.pending',
        data: { from: 'created', nested: { list: [1, 'two'] } },
        createdAt: T0 + 1,
      });
    const moved = await sys((tx) =>
      tx.payments.transition(payment.id, { from: ['created'], to: 'pending', now: T0 + 1, audit: entry('aud_moved') }),
    );
    expect(moved).toMatchObject({ state: 'pending', updatedAt: T0 + 1 });
    // Not moved (state no longer in from, or no such row): no audit row.
    expect(
      await sys((tx) =>
        tx.payments.transition(payment.id, {
          from: ['created'],
          to: 'pending',
          now: T0 + 2,
          audit: entry('aud_not_moved'),
        }),
      ),
    ).toBeNull();
    expect(
      await sys((tx) =>
        tx.payments.transition(uid('pay'), {
          from: ['pending'],
          to: 'failed',
          now: T0 + 2,
          audit: entry('aud_missing'),
        }),
      ),
    ).toBeNull();
    const audit = await sys((tx) => tx.audit.listByWorkspace(payment.workspaceId, { limit: 10 }));
    expect(audit).toEqual([{ ...entry('aud_moved'), id: 'aud_moved' }]);
    // Without an id the store makes one; an entry of another workspace is refused and nothing moves.
    await sys((tx) =>
      tx.payments.transition(payment.id, {
        from: ['pending'],
        to: 'completed',
        now: T0 + 3,
        audit: { ...entry('x'), id: undefined },
      }),
    );
    expect((await sys((tx) => tx.audit.listByWorkspace(payment.workspaceId, { limit: 10 })))[0]?.id).toMatch(/^aud_/);
    const other = aPayment();
    await sys((tx) => tx.payments.insert(other));
    const foreign = h().store.transaction(scopeOf(other.workspaceId), (tx) =>
      tx.payments.transition(other.id, { from: ['created'], to: 'pending', now: T0, audit: anAuditEntry(uid('ws')) }),
    );
    await expect(foreign).rejects.toBeInstanceOf(StoreScopeError);
    expect((await sys((tx) => tx.payments.getById(other.id)))?.state).toBe('created');
  });

  it('update changes only the patched fields and updatedAt; a missing row gives null', async () => {
    const payment = aPayment();
    await sys((tx) => tx.payments.insert(payment));
    const updated = await sys((tx) =>
      tx.payments.update(
        payment.id,
        { lastCheckedAt: T0 + 9, attempts: 2, metadata: { a: [1, 2] }, paymentMode: undefined },
        T0 + 10,
      ),
    );
    expect(updated).toEqual({
      ...payment,
      lastCheckedAt: T0 + 9,
      attempts: 2,
      metadata: { a: [1, 2] },
      updatedAt: T0 + 10,
    });
    expect(await sys((tx) => tx.payments.update(uid('pay'), { attempts: 1 }, T0))).toBeNull();
  });

  it('lists stale payments: never checked first, then least recently checked, then oldest', async () => {
    const rows = [
      aPayment({ id: 'st_checked_late', state: 'pending', createdAt: T0 - 50, lastCheckedAt: T0 - 1 }),
      aPayment({ id: 'st_never_new', state: 'created', createdAt: T0 - 10 }),
      aPayment({ id: 'st_never_old', state: 'pending', createdAt: T0 - 20 }),
      aPayment({ id: 'st_checked_early', state: 'pending', createdAt: T0 - 5, lastCheckedAt: T0 - 30 }),
      aPayment({ id: 'st_too_new', state: 'pending', createdAt: T0 + 1 }),
      aPayment({ id: 'st_done', state: 'completed', createdAt: T0 - 100 }),
    ];
    await sys(async (tx) => {
      for (const row of rows) await tx.payments.insert(row);
    });
    const stale = await sys((tx) =>
      tx.payments.listStale({ states: ['created', 'pending'], olderThan: T0, limit: 10 }),
    );
    expect(stale.map((p) => p.id)).toEqual(['st_never_old', 'st_never_new', 'st_checked_early', 'st_checked_late']);
    expect(
      (await sys((tx) => tx.payments.listStale({ states: ['pending'], olderThan: T0, limit: 2 }))).map((p) => p.id),
    ).toEqual(['st_never_old', 'st_checked_early']);
    expect(await sys((tx) => tx.payments.listStale({ states: [], olderThan: T0, limit: 2 }))).toEqual([]);
  });

  it("lists a workspace's and a subscription's payments newest first", async () => {
    const workspaceId = uid('ws');
    const a = aPayment({ id: 'lw_a', workspaceId, subscriptionId: 'sub_x', createdAt: T0, state: 'completed' });
    const b = aPayment({ id: 'lw_b', workspaceId, subscriptionId: 'sub_x', createdAt: T0 + 1 });
    const c = aPayment({ id: 'lw_c', workspaceId, subscriptionId: null, createdAt: T0 + 2 });
    const tie = aPayment({ id: 'lw_d', workspaceId, subscriptionId: 'sub_x', createdAt: T0 + 1 });
    await sys(async (tx) => {
      for (const row of [a, b, c, tie, aPayment()]) await tx.payments.insert(row);
    });
    await sys(async (tx) => {
      expect((await tx.payments.listByWorkspace(workspaceId, { limit: 10 })).map((p) => p.id)).toEqual([
        'lw_c',
        'lw_d',
        'lw_b',
        'lw_a',
      ]);
      expect((await tx.payments.listByWorkspace(workspaceId, { limit: 2 })).map((p) => p.id)).toEqual(['lw_c', 'lw_d']);
      expect((await tx.payments.listBySubscription('sub_x', { limit: 10 })).map((p) => p.id)).toEqual([
        'lw_d',
        'lw_b',
        'lw_a',
      ]);
      expect(
        (await tx.payments.listBySubscription('sub_x', { states: ['completed'], limit: 10 })).map((p) => p.id),
      ).toEqual(['lw_a']);
    });
  });

  it('getForUpdate serialises read-modify-write: 8 concurrent increments all count', async () => {
    const payment = aPayment();
    await sys((tx) => tx.payments.insert(payment));
    const stores = await h().workers(4);
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        stores[i % stores.length]!.transaction(SYSTEM, async (tx) => {
          const row = await tx.payments.getForUpdate(payment.id);
          await tx.payments.update(payment.id, { attempts: row!.attempts + 1 }, T0 + i);
        }),
      ),
    );
    expect((await sys((tx) => tx.payments.getById(payment.id)))?.attempts).toBe(8);
  });

  it('getForUpdateByMerchantOrderId serialises read-modify-write too: 8 concurrent increments all count', async () => {
    const payment = aPayment();
    await sys((tx) => tx.payments.insert(payment));
    const stores = await h().workers(4);
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        stores[i % stores.length]!.transaction(SYSTEM, async (tx) => {
          const row = await tx.payments.getForUpdateByMerchantOrderId(payment.merchantOrderId);
          await tx.payments.update(payment.id, { attempts: row!.attempts + 1 }, T0 + i);
        }),
      ),
    );
    expect((await sys((tx) => tx.payments.getById(payment.id)))?.attempts).toBe(8);
    // A workspace scope does not see (or lock) another workspace's payment.
    expect(
      await h().store.transaction(scopeOf(uid('ws')), (tx) =>
        tx.payments.getForUpdateByMerchantOrderId(payment.merchantOrderId),
      ),
    ).toBeNull();
  });

  it('exactly one of concurrent inserts with one merchant order id succeeds', async () => {
    const merchantOrderId = uid('ORD');
    const stores = await h().workers(4);
    const results = await Promise.allSettled(
      stores.map((store) => store.transaction(SYSTEM, (tx) => tx.payments.insert(aPayment({ merchantOrderId })))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(StoreConflictError);
  });
}
