import { expect, it } from 'vitest';
import type { BillingTransaction } from '../../../src/storage/index.js';
import { aSubscription, MINUTE, scopeOf, SYSTEM, T0 } from './fixtures.js';
import type { StoreHarness } from './store-harness.js';

/** `renewals`: claims with a lease, release, scope. */
export function renewalsConformance(h: () => StoreHarness): void {
  const sys = <T>(fn: (tx: BillingTransaction) => Promise<T>) => h().store.transaction(SYSTEM, fn);
  const claim = (workerId: string, now = T0, limit = 10) =>
    sys((tx) => tx.renewals.claimDue({ now, limit, workerId, leaseMs: 5 * MINUTE }));

  it('claims due live subscriptions soonest first, stamping the worker and lease only', async () => {
    const a = aSubscription({ id: 'cl_a', nextActionAt: T0 - 2 });
    const b = aSubscription({ id: 'cl_b', nextActionAt: T0 - 1 });
    await sys(async (tx) => {
      for (const row of [
        b,
        a,
        aSubscription({ nextActionAt: T0 + 1 }),
        aSubscription({ nextActionAt: T0 - 1, status: 'expired' }),
      ])
        await tx.subscriptions.insert(row);
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
      for (let i = 0; i < 3; i += 1)
        await tx.subscriptions.insert(aSubscription({ id: `lim_${i}`, nextActionAt: T0 - 10 + i }));
    });
    expect((await claim('w1', T0, 2)).map((s) => s.id)).toEqual(['lim_0', 'lim_1']);
    expect((await claim('w2', T0, 2)).map((s) => s.id)).toEqual(['lim_2']);
  });

  it("release drops only the caller's own claim", async () => {
    const row = aSubscription({ nextActionAt: T0 });
    await sys((tx) => tx.subscriptions.insert(row));
    await claim('w1');
    await sys((tx) => tx.renewals.release(row.id, 'w2'));
    expect(await sys((tx) => tx.subscriptions.getById(row.id))).toMatchObject({ claimedBy: 'w1' });
    await sys((tx) => tx.renewals.release(row.id, 'w1'));
    expect(await sys((tx) => tx.subscriptions.getById(row.id))).toMatchObject({
      claimedBy: null,
      claimExpiresAt: null,
      version: 1,
    });
    expect((await claim('w2', T0)).map((s) => s.id)).toEqual([row.id]);
  });

  it("claims only the scope's own rows under a workspace scope", async () => {
    const mine = aSubscription({ nextActionAt: T0 });
    await sys(async (tx) => {
      await tx.subscriptions.insert(mine);
      await tx.subscriptions.insert(aSubscription({ nextActionAt: T0 }));
    });
    const claimed = await h().store.transaction(scopeOf(mine.workspaceId), (tx) =>
      tx.renewals.claimDue({ now: T0, limit: 10, workerId: 'w', leaseMs: MINUTE }),
    );
    expect(claimed.map((s) => s.id)).toEqual([mine.id]);
  });

  it('finish stores when the subscription is due next and drops the claim, in one step', async () => {
    const row = aSubscription({ nextActionAt: T0 });
    await sys((tx) => tx.subscriptions.insert(row));
    await claim('w1');
    const finish = (workerId: string, nextActionAt: number | null, claimedAt: number | null = T0) =>
      sys((tx) => tx.renewals.finish({ subscriptionId: row.id, workerId, nextActionAt, claimedAt, now: T0 + 9 }));
    expect(await finish('w1', T0 + 100)).toBe(T0 + 100);
    expect(await sys((tx) => tx.subscriptions.getById(row.id))).toEqual({
      ...row,
      nextActionAt: T0 + 100,
      claimedBy: null,
      claimExpiresAt: null,
      version: 2,
      updatedAt: T0 + 9,
    });
    // Rescheduled meanwhile (the stored time is not the one claimed): the earlier wins.
    expect(await finish('w1', T0 + 500, T0)).toBe(T0 + 100);
    expect(await finish('w1', T0 + 50, T0)).toBe(T0 + 50);
    // null leaves the time; the same time changes nothing (no version bump); another worker's claim stays.
    await claim('w2', T0 + 60);
    expect(await finish('w1', null)).toBe(T0 + 50);
    expect(await finish('w1', T0 + 50, T0 + 50)).toBe(T0 + 50);
    expect(await sys((tx) => tx.subscriptions.getById(row.id))).toMatchObject({
      nextActionAt: T0 + 50,
      version: 3,
      claimedBy: 'w2',
    });
    expect(await finish('w2', T0 + 70, T0 + 50)).toBe(T0 + 70);
    expect(await sys((tx) => tx.subscriptions.getById(row.id))).toMatchObject({
      nextActionAt: T0 + 70,
      version: 4,
      claimedBy: null,
    });
    expect(
      await sys((tx) =>
        tx.renewals.finish({
          subscriptionId: 'sub_missing',
          workerId: 'w1',
          nextActionAt: T0,
          claimedAt: null,
          now: T0,
        }),
      ),
    ).toBeNull();
  });

  it('finish leaves the time of a subscription that is no longer live, and still drops the claim', async () => {
    const row = aSubscription({ nextActionAt: T0 });
    await sys((tx) => tx.subscriptions.insert(row));
    await claim('w1');
    await sys((tx) =>
      tx.subscriptions.update(row.id, 1, { status: 'expired', endedAt: T0, nextActionAt: null }, T0 + 1),
    );
    expect(
      await sys((tx) =>
        tx.renewals.finish({
          subscriptionId: row.id,
          workerId: 'w1',
          nextActionAt: T0 + 100,
          claimedAt: T0,
          now: T0 + 2,
        }),
      ),
    ).toBeNull();
    expect(await sys((tx) => tx.subscriptions.getById(row.id))).toMatchObject({
      nextActionAt: null,
      claimedBy: null,
      version: 2,
    });
  });
}
