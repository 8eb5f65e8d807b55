import { expect, it } from 'vitest';
import {
  type BillingStore,
  type OutboxAppendInput,
  StoreConflictError,
  StoreScopeError,
} from '../../../src/storage/index.js';
import { MINUTE, SYSTEM, scopeOf, T0, uid } from './fixtures.js';
import type { StoreHarness } from './store-harness.js';

const LEASE = MINUTE;

function anEvent(workspaceId: string | null, overrides: Partial<OutboxAppendInput> = {}): OutboxAppendInput {
  return { id: uid('evt'), workspaceId, event: 'paymentCompleted', payload: { n: 1 }, now: T0, ...overrides };
}

const append = (store: BillingStore, events: OutboxAppendInput[]) =>
  store.transaction(SYSTEM, (tx) => tx.outbox.append(events));
const claim = (store: BillingStore, workerId: string, extra: { now?: number; limit?: number; ids?: string[] } = {}) =>
  store.transaction(SYSTEM, (tx) =>
    tx.outbox.claim({ now: extra.now ?? T0, limit: extra.limit ?? 100, workerId, leaseMs: LEASE, ...extra }),
  );
const get = (store: BillingStore, id: string) => store.transaction(SYSTEM, (tx) => tx.outbox.get(id));
const ids = (events: ReadonlyArray<{ id: string }>) => events.map((event) => event.id);

/** The outbox's guarantees: written with the transaction, claimed with a lease, in order per workspace. */
export function outboxConformance(h: () => StoreHarness): void {
  it('appends inside the caller transaction: a rollback writes none, a commit writes all, in order', async () => {
    const ws = uid('ws');
    const lost = [anEvent(ws), anEvent(ws)];
    await expect(
      h().store.transaction(scopeOf(ws), async (tx) => {
        await tx.outbox.append(lost);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    for (const event of lost) expect(await get(h().store, event.id)).toBeNull();

    const kept = [anEvent(ws, { event: 'subscriptionActivated' }), anEvent(ws, { payload: { deep: { at: T0 } } })];
    const written = await h().store.transaction(scopeOf(ws), (tx) => tx.outbox.append(kept));
    expect(ids(written)).toEqual(ids(kept));
    expect(written[0]!.sequence).toBeLessThan(written[1]!.sequence);
    expect(await get(h().store, kept[1]!.id)).toEqual({
      id: kept[1]!.id,
      workspaceId: ws,
      event: 'paymentCompleted',
      payload: { deep: { at: T0 } },
      sequence: written[1]!.sequence,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: T0,
      lastError: null,
      lockedBy: null,
      lockedUntil: null,
      createdAt: T0,
      deliveredAt: null,
    });
    await expect(append(h().store, [anEvent(ws, { id: kept[0]!.id })])).rejects.toMatchObject({
      constraint: 'primary_key',
    });
    await expect(append(h().store, [anEvent(ws, { id: kept[0]!.id })])).rejects.toBeInstanceOf(StoreConflictError);
  });

  it('keeps events to their workspace: another workspace or none is refused under a workspace scope', async () => {
    const [a, b] = [uid('ws'), uid('ws')];
    await expect(h().store.transaction(scopeOf(a), (tx) => tx.outbox.append([anEvent(b)]))).rejects.toBeInstanceOf(
      StoreScopeError,
    );
    await expect(h().store.transaction(scopeOf(a), (tx) => tx.outbox.append([anEvent(null)]))).rejects.toBeInstanceOf(
      StoreScopeError,
    );
    const [ofB] = await append(h().store, [anEvent(b)]);
    const system = await append(h().store, [anEvent(null, { event: 'anomaly' })]);
    expect(await h().store.transaction(scopeOf(a), (tx) => tx.outbox.get(ofB!.id))).toBeNull();
    expect(await h().store.transaction(scopeOf(a), (tx) => tx.outbox.get(system[0]!.id))).toBeNull();
    expect(
      await h().store.transaction(scopeOf(a), (tx) =>
        tx.outbox.claim({ now: T0, limit: 10, workerId: 'w', leaseMs: LEASE }),
      ),
    ).toEqual([]);
  });

  it('claims due events in sequence order with a lease and one more attempt; a held lease is skipped', async () => {
    const [a, b] = [uid('ws'), uid('ws')];
    const events = await append(h().store, [anEvent(a), anEvent(b), anEvent(a), anEvent(null)]);
    const first = await claim(h().store, 'w1');
    expect(ids(first)).toEqual(ids(events));
    for (const event of first) expect(event).toMatchObject({ attempts: 1, lockedBy: 'w1', lockedUntil: T0 + LEASE });
    expect(await claim(h().store, 'w2', { now: T0 + LEASE - 1 })).toEqual([]);
    // The lease ended (w1 died): another claims them, and w1 can no longer finish them.
    const again = await claim(h().store, 'w2', { now: T0 + LEASE });
    expect(ids(again)).toEqual(ids(events));
    expect(again[0]!.attempts).toBe(2);
    const finish = (workerId: string) =>
      h().store.transaction(SYSTEM, (tx) =>
        tx.outbox.finish({ id: events[0]!.id, workerId, now: T0 + LEASE, outcome: { delivered: true } }),
      );
    expect(await finish('w1')).toBeNull();
    expect(await finish('w2')).toMatchObject({
      status: 'delivered',
      deliveredAt: T0 + LEASE,
      lockedBy: null,
      lockedUntil: null,
    });
    expect(await finish('w2')).toBeNull();
  });

  it('renews only the leases the worker still holds on pending events, so a slow delivery keeps its events', async () => {
    const [a, b] = [uid('ws'), uid('ws')];
    const [e1, e2] = await append(h().store, [anEvent(a), anEvent(b)]);
    await claim(h().store, 'w1');
    const renew = (workerId: string, lockedUntil: number) =>
      h().store.transaction(SYSTEM, (tx) => tx.outbox.renew({ ids: [e1!.id, e2!.id], workerId, lockedUntil }));
    expect(await renew('w2', T0 + 5 * LEASE)).toBe(0);
    expect(await renew('w1', T0 + 2 * LEASE)).toBe(2);
    // Past the first lease, the renewed one holds: nobody else claims them.
    expect(await claim(h().store, 'w2', { now: T0 + LEASE })).toEqual([]);
    expect(await get(h().store, e1!.id)).toMatchObject({ lockedBy: 'w1', lockedUntil: T0 + 2 * LEASE, attempts: 1 });
    await h().store.transaction(SYSTEM, (tx) =>
      tx.outbox.finish({ id: e1!.id, workerId: 'w1', now: T0, outcome: { delivered: true } }),
    );
    // A finished event is not leased again by a late renewal.
    expect(await renew('w1', T0 + 3 * LEASE)).toBe(1);
    expect(await get(h().store, e1!.id)).toMatchObject({ status: 'delivered', lockedBy: null, lockedUntil: null });
  });

  it('never claims an event while an older pending event of its workspace is not claimed with it', async () => {
    const [a, b] = [uid('ws'), uid('ws')];
    const [a1, a2, b1, a3] = await append(h().store, [anEvent(a), anEvent(a), anEvent(b), anEvent(a)]);
    // Only a2 asked for: a1 is older, pending and not taken here.
    expect(await claim(h().store, 'w1', { ids: [a2!.id, b1!.id] })).toEqual([expect.objectContaining({ id: b1!.id })]);
    await h().store.transaction(SYSTEM, (tx) =>
      tx.outbox.finish({ id: b1!.id, workerId: 'w1', now: T0, outcome: { delivered: true } }),
    );
    // A limit that cuts a workspace keeps its oldest events.
    expect(ids(await claim(h().store, 'w1', { limit: 1 }))).toEqual([a1!.id]);
    // a1 is leased by w1: nothing of a is claimable by another.
    expect(await claim(h().store, 'w2')).toEqual([]);
    // a1 failed: pending again in a minute; a2, a3 wait for it.
    await h().store.transaction(SYSTEM, (tx) =>
      tx.outbox.finish({
        id: a1!.id,
        workerId: 'w1',
        now: T0,
        outcome: { delivered: false, error: 'mailer down', retryAt: T0 + MINUTE },
      }),
    );
    expect(await get(h().store, a1!.id)).toMatchObject({ status: 'pending', lastError: 'mailer down', attempts: 1 });
    expect(await claim(h().store, 'w2')).toEqual([]);
    expect(ids(await claim(h().store, 'w2', { now: T0 + MINUTE }))).toEqual([a1!.id, a2!.id, a3!.id]);
    // a1 dead: it no longer holds the others back.
    await h().store.transaction(SYSTEM, async (tx) => {
      await tx.outbox.finish({
        id: a1!.id,
        workerId: 'w2',
        now: T0 + MINUTE,
        outcome: { delivered: false, error: 'still down', retryAt: null },
      });
      // a2 and a3 were not tried: given back without counting.
      await tx.outbox.release(a2!.id, 'w2');
      await tx.outbox.release(a3!.id, 'w2');
    });
    expect(await get(h().store, a2!.id)).toMatchObject({ attempts: 0, lockedBy: null, lockedUntil: null });
    expect(ids(await claim(h().store, 'w3', { now: T0 + MINUTE }))).toEqual([a2!.id, a3!.id]);
  });

  it('lists dead events newest first, replays one to pending, and counts the outbox', async () => {
    const ws = uid('ws');
    const [e1, e2, e3] = await append(h().store, [anEvent(ws), anEvent(ws), anEvent(ws)]);
    await claim(h().store, 'w');
    await h().store.transaction(SYSTEM, async (tx) => {
      for (const event of [e1!, e2!])
        await tx.outbox.finish({
          id: event.id,
          workerId: 'w',
          now: T0,
          outcome: { delivered: false, error: 'gone', retryAt: null },
        });
      await tx.outbox.release(e3!.id, 'w');
    });
    expect(ids(await h().store.transaction(SYSTEM, (tx) => tx.outbox.listDead({ limit: 10 })))).toEqual([
      e2!.id,
      e1!.id,
    ]);
    expect(await h().store.transaction(SYSTEM, (tx) => tx.outbox.counts({ now: T0 }))).toEqual({
      pending: 1,
      due: 1,
      dead: 2,
      delivered: 0,
      oldestPendingAt: T0,
    });
    expect(await h().store.transaction(SYSTEM, (tx) => tx.outbox.replay(e3!.id, T0))).toBeNull();
    const replayed = await h().store.transaction(SYSTEM, (tx) => tx.outbox.replay(e1!.id, T0 + MINUTE));
    expect(replayed).toMatchObject({
      status: 'pending',
      attempts: 0,
      nextAttemptAt: T0 + MINUTE,
      lastError: 'gone',
      lockedBy: null,
    });
    // Replayed e1 is the oldest pending event of the workspace again: it goes first.
    expect(ids(await claim(h().store, 'w', { now: T0 + MINUTE }))).toEqual([e1!.id, e3!.id]);
  });

  it('concurrent claimers never take one event twice, and each workspace goes to one claimer in order', async () => {
    const workspaces = Array.from({ length: 5 }, () => uid('ws'));
    const written = await append(
      h().store,
      Array.from({ length: 20 }, (_, i) => anEvent(workspaces[i % workspaces.length]!)),
    );
    const stores = await h().workers(4);
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, i) => claim(stores[i % stores.length]!, `w${i}`, { limit: 3 })),
    );
    const all = claims.flat();
    expect(new Set(ids(all)).size).toBe(all.length);
    for (const ws of workspaces) {
      const holders = new Set(all.filter((event) => event.workspaceId === ws).map((event) => event.lockedBy));
      expect(holders.size).toBeLessThanOrEqual(1);
      const claimed = all.filter((event) => event.workspaceId === ws).map((event) => event.id);
      const inOrder = written.filter((event) => event.workspaceId === ws).map((event) => event.id);
      expect(claimed.sort((x, y) => inOrder.indexOf(x) - inOrder.indexOf(y))).toEqual(inOrder.slice(0, claimed.length));
    }
    expect(all.length).toBeGreaterThan(0);
  });
}
