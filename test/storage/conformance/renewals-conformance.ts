import { expect, it } from 'vitest';
import type { BillingTransaction } from '../../../src/storage/index.js';
import { aSubscription, MINUTE, scopeOf, SYSTEM, T0 } from './fixtures.js';
import type { StoreHarness } from './store-harness.js';

/** `renewals`: claims with a lease, release, scope. */
export function renewalsConformance(h: () => StoreHarness): void {
  const sys = <T>(fn: (tx: BillingTransaction) => Promise<T>) => h().store.transaction(SYSTEM, fn);
  const claim = (workerId: string, now = T0, limit = 10) => sys((tx) => tx.renewals.claimDue({ now, limit, workerId, leaseMs: 5 * MINUTE }));

  it('claims due live subscriptions soonest first, stamping the worker and lease only', async () => {
    const a = aSubscription({ id: 'cl_a', nextActionAt: T0 - 2 });
    const b = aSubscription({ id: 'cl_b', nextActionAt: T0 - 1 });
    await sys(async (tx) => {
      for (const row of [b, a, aSubscription({ nextActionAt: T0 + 1 }), aSubscription({ nextActionAt: T0 - 1, status: 'expired' })]) await tx.subscriptions.insert(row);
    });
    const claimed = await claim('w1');
    expect(claimed).toEqual([
      { ...a, claimedBy: 'w1', claimExpiresAt: T0 + 5 * MINUTE },
      { ...b, claimedBy: 'w1', claimExpiresAt: T0 + 5 * MINUTE },
    ]);
    expect(await sys((tx) => tx.subscriptions.getById(a.id))).toEqual(claimed[0]);
  });

  it('does not hand a claimed row to another worker until the lease expires', async () => {
    const row = aSubscription({ nextActionAt: T0 });
    await sys((tx) => tx.subscriptions.insert(row));
    expect(await claim('w1')).toHaveLength(1);
    expect(await claim('w2', T0 + MINUTE)).toEqual([]);
    expect((await claim('w2', T0 + 5 * MINUTE)).map((s) => s.claimedBy)).toEqual(['w2']);
  });

  it('respects the limit', async () => {
    await sys(async (tx) => {
      for (let i = 0; i < 3; i += 1) await tx.subscriptions.insert(aSubscription({ id: `lim_${i}`, nextActionAt: T0 - 10 + i }));
    });
    expect((await claim('w1', T0, 2)).map((s) => s.id)).toEqual(['lim_0', 'lim_1']);
    expect((await claim('w2', T0, 2)).map((s) => s.id)).toEqual(['lim_2']);
  });

  it('release drops only the caller\'s own claim', async () => {
    const row = aSubscription({ nextActionAt: T0 });
    await sys((tx) => tx.subscriptions.insert(row));
    await claim('w1');
    await sys((tx) => tx.renewals.release(row.id, 'w2'));
    expect(await sys((tx) => tx.subscriptions.getById(row.id))).toMatchObject({ claimedBy: 'w1' });
    await sys((tx) => tx.renewals.release(row.id, 'w1'));
    expect(await sys((tx) => tx.subscriptions.getById(row.id))).toMatchObject({ claimedBy: null, claimExpiresAt: null, version: 1 });
    expect((await claim('w2', T0)).map((s) => s.id)).toEqual([row.id]);
  });

  it('claims only the scope\'s own rows under a workspace scope', async () => {
    const mine = aSubscription({ nextActionAt: T0 });
    await sys(async (tx) => {
      await tx.subscriptions.insert(mine);
      await tx.subscriptions.insert(aSubscription({ nextActionAt: T0 }));
    });
    const claimed = await h().store.transaction(scopeOf(mine.workspaceId), (tx) => tx.renewals.claimDue({ now: T0, limit: 10, workerId: 'w', leaseMs: MINUTE }));
    expect(claimed.map((s) => s.id)).toEqual([mine.id]);
  });
}
