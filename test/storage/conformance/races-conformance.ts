import { expect, it } from 'vitest';
import { StoreConflictError, type BillingStore } from '../../../src/storage/index.js';
import { aPayment, aRefund, aSubscription, MINUTE, SYSTEM, T0, uid } from './fixtures.js';
import type { StoreHarness } from './store-harness.js';

/** Runs `count` transactions at once, spread over `stores` (separate connections on a real server). */
function atOnce<T>(
  stores: BillingStore[],
  count: number,
  fn: (store: BillingStore, i: number) => Promise<T>,
): Promise<Array<PromiseSettledResult<T>>> {
  return Promise.allSettled(Array.from({ length: count }, (_, i) => fn(stores[i % stores.length]!, i)));
}
const values = <T>(results: Array<PromiseSettledResult<T>>): T[] => {
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failures.length > 0) throw failures[0]!.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
};

/** The concurrency guarantees of the port, each under real parallel connections where the backend has them. */
export function racesConformance(h: () => StoreHarness): void {
  it('20 concurrent records of one webhook key: exactly one is first seen', async () => {
    const key = uid('evt');
    const results = values(
      await atOnce(await h().workers(4), 20, (store, i) =>
        store.transaction(SYSTEM, (tx) =>
          tx.webhookEvents.record({ dedupeKey: key, event: 'e', subjectId: null, payload: { i }, now: T0 + i }),
        ),
      ),
    );
    expect(results.filter((r) => r.firstSeen)).toHaveLength(1);
    expect((await h().store.transaction(SYSTEM, (tx) => tx.webhookEvents.get(key)))?.duplicateCount).toBe(19);
  });

  it('10 concurrent redeliveries of a failed event: exactly one takes it over', async () => {
    const key = uid('evt');
    await h().store.transaction(SYSTEM, async (tx) => {
      await tx.webhookEvents.record({ dedupeKey: key, event: 'e', subjectId: null, payload: null, now: T0 });
      await tx.webhookEvents.markFailed(key, { workspaceId: null, error: 'x', now: T0 });
    });
    const results = values(
      await atOnce(await h().workers(4), 10, (store) =>
        store.transaction(SYSTEM, (tx) =>
          tx.webhookEvents.record({ dedupeKey: key, event: 'e', subjectId: null, payload: null, now: T0 + 1 }),
        ),
      ),
    );
    expect(results.filter((r) => r.retry)).toHaveLength(1);
    expect(results.filter((r) => r.firstSeen)).toHaveLength(0);
  });

  it('50 concurrent increments of 1 against a limit of 30: exactly 30 succeed', async () => {
    const workspaceId = uid('ws');
    const results = values(
      await atOnce(await h().workers(4), 50, (store) =>
        store.transaction(SYSTEM, (tx) =>
          tx.usage.increment({ workspaceId, metric: 'api_calls', periodStart: T0, by: 1, limit: 30, now: T0 }),
        ),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(30);
    expect(results.filter((r) => !r.ok)).toHaveLength(20);
    expect(await h().store.transaction(SYSTEM, (tx) => tx.usage.get(workspaceId, T0))).toEqual({ api_calls: 30 });
  });

  it('10 concurrent increments with one usage key: counted once', async () => {
    const workspaceId = uid('ws');
    const results = values(
      await atOnce(await h().workers(4), 10, (store) =>
        store.transaction(SYSTEM, (tx) =>
          tx.usage.increment({
            workspaceId,
            metric: 'm',
            periodStart: T0,
            by: 2,
            limit: null,
            usageKey: 'once',
            now: T0,
          }),
        ),
      ),
    );
    expect(results.filter((r) => r.ok && !r.duplicate)).toHaveLength(1);
    expect(await h().store.transaction(SYSTEM, (tx) => tx.usage.get(workspaceId, T0))).toEqual({ m: 2 });
  });

  it('4 workers claiming due renewals at once: no subscription is claimed twice', async () => {
    const ids = new Set<string>();
    await h().store.transaction(SYSTEM, async (tx) => {
      for (let i = 0; i < 12; i += 1)
        ids.add((await tx.subscriptions.insert(aSubscription({ nextActionAt: T0 - i }))).id);
    });
    const stores = await h().workers(4);
    const claims = values(
      await atOnce(stores, 4, (store, i) =>
        store.transaction(SYSTEM, (tx) =>
          tx.renewals.claimDue({ now: T0, limit: 5, workerId: `w${i}`, leaseMs: MINUTE }),
        ),
      ),
    );
    const claimed = claims.flat().map((s) => s.id);
    expect(new Set(claimed).size).toBe(claimed.length);
    claims.forEach((rows, i) => rows.forEach((row) => expect(row.claimedBy).toBe(`w${i}`)));
    // What the four did not get (SKIP LOCKED may leave some), a fifth worker gets, and nothing else.
    const rest = await h().store.transaction(SYSTEM, (tx) =>
      tx.renewals.claimDue({ now: T0, limit: 20, workerId: 'w5', leaseMs: MINUTE }),
    );
    expect([...claimed, ...rest.map((s) => s.id)].sort()).toEqual([...ids].sort());
  });

  it('10 concurrent compare-and-set transitions from pending: exactly one wins', async () => {
    const payment = aPayment({ state: 'pending' });
    await h().store.transaction(SYSTEM, (tx) => tx.payments.insert(payment));
    const results = values(
      await atOnce(await h().workers(4), 10, (store, i) =>
        store.transaction(SYSTEM, (tx) =>
          tx.payments.transition(payment.id, {
            from: ['created', 'pending'],
            to: i % 2 ? 'completed' : 'failed',
            now: T0 + i,
          }),
        ),
      ),
    );
    const winners = results.filter((r) => r !== null);
    expect(winners).toHaveLength(1);
    expect(await h().store.transaction(SYSTEM, (tx) => tx.payments.getById(payment.id))).toEqual(winners[0]);
  });

  it('concurrent refunds of one payment: exactly one is opened', async () => {
    const payment = aPayment({ state: 'completed' });
    await h().store.transaction(SYSTEM, (tx) => tx.payments.insert(payment));
    const results = await atOnce(await h().workers(4), 6, (store) =>
      store.transaction(SYSTEM, (tx) => tx.refunds.insert(aRefund(payment))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results)
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ constraint: 'refund_open_per_payment' });
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(StoreConflictError);
  });
}
