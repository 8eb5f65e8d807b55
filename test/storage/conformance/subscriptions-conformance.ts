import { expect, it } from 'vitest';
import { StoreConflictError, StoreScopeError, type BillingTransaction } from '../../../src/storage/index.js';
import { anAuditEntry, aSubscription, DAY, scopeOf, SYSTEM, T0, uid } from './fixtures.js';
import type { StoreHarness } from './store-harness.js';

const conflictNamed = (constraint: string) => expect.objectContaining({ name: 'StoreConflictError', constraint });

/** `subscriptions`: one live per workspace, optimistic versions, due lists. */
export function subscriptionsConformance(h: () => StoreHarness): void {
  const sys = <T>(fn: (tx: BillingTransaction) => Promise<T>) => h().store.transaction(SYSTEM, fn);

  it('inserts and finds a subscription by id, mandate id, live and latest', async () => {
    const old = aSubscription({ status: 'cancelled', endedAt: T0, createdAt: T0 - DAY });
    const live = aSubscription({
      workspaceId: old.workspaceId,
      merchantSubscriptionId: uid('MS'),
      mandateMaxAmountPaise: 500_000,
      renewalMode: 'autopay',
    });
    await sys(async (tx) => {
      expect(await tx.subscriptions.insert(old)).toEqual(old);
      expect(await tx.subscriptions.insert(live)).toEqual(live);
    });
    await sys(async (tx) => {
      expect(await tx.subscriptions.getById(old.id)).toEqual(old);
      expect(await tx.subscriptions.getByMerchantSubscriptionId(live.merchantSubscriptionId!)).toEqual(live);
      expect(await tx.subscriptions.getLive(old.workspaceId)).toEqual(live);
      expect(await tx.subscriptions.getLatest(old.workspaceId)).toEqual(live);
      expect(await tx.subscriptions.getLive(uid('ws'))).toBeNull();
      expect(await tx.subscriptions.getLatest(uid('ws'))).toBeNull();
    });
  });

  it('allows one live subscription per workspace and unique mandate ids', async () => {
    const first = aSubscription({ status: 'trialing', merchantSubscriptionId: uid('MS') });
    await sys((tx) => tx.subscriptions.insert(first));
    await expect(
      sys((tx) => tx.subscriptions.insert(aSubscription({ workspaceId: first.workspaceId, status: 'past_due' }))),
    ).rejects.toEqual(conflictNamed('subscription_live_per_workspace'));
    await expect(
      sys((tx) => tx.subscriptions.insert(aSubscription({ merchantSubscriptionId: first.merchantSubscriptionId }))),
    ).rejects.toEqual(conflictNamed('subscription_merchant_subscription_id'));
    await sys((tx) => tx.subscriptions.insert(aSubscription({ workspaceId: first.workspaceId, status: 'expired' })));
  });

  it('updates only from the expected version, bumping version and updatedAt', async () => {
    const subscription = aSubscription();
    await sys((tx) => tx.subscriptions.insert(subscription));
    const cancelled = await sys((tx) =>
      tx.subscriptions.update(
        subscription.id,
        1,
        { cancelAtPeriodEnd: true, cancellationReason: 'too pricey', metadata: { why: 'x' } },
        T0 + 5,
      ),
    );
    expect(cancelled).toEqual({
      ...subscription,
      cancelAtPeriodEnd: true,
      cancellationReason: 'too pricey',
      metadata: { why: 'x' },
      version: 2,
      updatedAt: T0 + 5,
    });
    await expect(
      sys((tx) => tx.subscriptions.update(subscription.id, 1, { renewalAttempts: 1 }, T0 + 6)),
    ).rejects.toEqual(conflictNamed('subscription_version'));
    await expect(sys((tx) => tx.subscriptions.update(uid('sub'), 1, { renewalAttempts: 1 }, T0 + 6))).rejects.toEqual(
      conflictNamed('subscription_version'),
    );
    expect(await sys((tx) => tx.subscriptions.getById(subscription.id))).toEqual(cancelled);
  });

  it('insert and update with an audit entry append it with the change; a refused write appends nothing', async () => {
    const subscription = aSubscription();
    const ws = subscription.workspaceId;
    const entry = (id: string, action: string) =>
      anAuditEntry(ws, {
        id,
        action,
        entityType: 'subscription',
        entityId: subscription.id,
        data: { planId: 'pro' },
        createdAt: T0,
      });
    expect(
      await sys((tx) => tx.subscriptions.insert(subscription, { audit: entry('aud_ins', 'subscription.activated') })),
    ).toEqual(subscription);
    const updated = await sys((tx) =>
      tx.subscriptions.update(subscription.id, 1, { renewalAttempts: 1 }, T0 + 5, {
        audit: entry('aud_upd', 'subscription.renewed'),
      }),
    );
    expect(updated).toMatchObject({ renewalAttempts: 1, version: 2 });
    // A stale version or a second live subscription: refused, and no audit row.
    await expect(
      sys((tx) =>
        tx.subscriptions.update(subscription.id, 1, { renewalAttempts: 2 }, T0 + 6, { audit: entry('aud_stale', 'x') }),
      ),
    ).rejects.toEqual(conflictNamed('subscription_version'));
    await expect(
      sys((tx) => tx.subscriptions.insert(aSubscription({ workspaceId: ws }), { audit: entry('aud_second', 'x') })),
    ).rejects.toEqual(conflictNamed('subscription_live_per_workspace'));
    const audit = await sys((tx) => tx.audit.listByWorkspace(ws, { limit: 10 }));
    expect(audit.map((row) => row.id).sort()).toEqual(['aud_ins', 'aud_upd']);
    expect(audit.find((row) => row.id === 'aud_ins')).toEqual({
      ...entry('aud_ins', 'subscription.activated'),
      id: 'aud_ins',
    });
    // An entry of another workspace is a scope error under a workspace scope, and nothing is written.
    const foreign = h().store.transaction(scopeOf(ws), (tx) =>
      tx.subscriptions.update(subscription.id, 2, { renewalAttempts: 3 }, T0 + 7, { audit: anAuditEntry(uid('ws')) }),
    );
    await expect(foreign).rejects.toBeInstanceOf(StoreScopeError);
    expect((await sys((tx) => tx.subscriptions.getById(subscription.id)))?.version).toBe(2);
  });

  it('refuses an update that would make a second live subscription', async () => {
    const live = aSubscription();
    const ended = aSubscription({ workspaceId: live.workspaceId, status: 'expired' });
    await sys(async (tx) => {
      await tx.subscriptions.insert(live);
      await tx.subscriptions.insert(ended);
    });
    await expect(sys((tx) => tx.subscriptions.update(ended.id, 1, { status: 'active' }, T0))).rejects.toEqual(
      conflictNamed('subscription_live_per_workspace'),
    );
  });

  it('lists live subscriptions due now, soonest first', async () => {
    const rows = [
      aSubscription({ id: 'due_b', nextActionAt: T0 - 5 }),
      aSubscription({ id: 'due_a', nextActionAt: T0 - 10, status: 'past_due' }),
      aSubscription({ id: 'due_c', nextActionAt: T0 }),
      aSubscription({ id: 'due_later', nextActionAt: T0 + 1 }),
      aSubscription({ id: 'due_none', nextActionAt: null }),
      aSubscription({ id: 'due_ended', nextActionAt: T0 - 100, status: 'cancelled' }),
    ];
    await sys(async (tx) => {
      for (const row of rows) await tx.subscriptions.insert(row);
    });
    expect((await sys((tx) => tx.subscriptions.listDue({ now: T0, limit: 10 }))).map((s) => s.id)).toEqual([
      'due_a',
      'due_b',
      'due_c',
    ]);
    expect((await sys((tx) => tx.subscriptions.listDue({ now: T0, limit: 1 }))).map((s) => s.id)).toEqual(['due_a']);
  });

  it('of concurrent updates from the same version exactly one wins', async () => {
    const subscription = aSubscription();
    await sys((tx) => tx.subscriptions.insert(subscription));
    const stores = await h().workers(4);
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        stores[i % 4]!.transaction(SYSTEM, (tx) =>
          tx.subscriptions.update(subscription.id, 1, { renewalAttempts: i + 1 }, T0 + i),
        ),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results)
      if (r.status === 'rejected') expect(r.reason).toEqual(conflictNamed('subscription_version'));
    const stored = await sys((tx) => tx.subscriptions.getById(subscription.id));
    expect(stored?.version).toBe(2);
    expect(stored).toEqual((won[0] as PromiseFulfilledResult<unknown>).value);
  });

  it('of concurrent inserts of live subscriptions for one workspace exactly one succeeds', async () => {
    const workspaceId = uid('ws');
    const stores = await h().workers(4);
    const results = await Promise.allSettled(
      stores.map((store) => store.transaction(SYSTEM, (tx) => tx.subscriptions.insert(aSubscription({ workspaceId })))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(StoreConflictError);
  });
}
