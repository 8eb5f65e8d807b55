import { expect, it } from 'vitest';
import { StoreScopeError, type BillingTransaction } from '../../../src/storage/index.js';
import { scopeOf, SYSTEM, T0, uid } from './fixtures.js';
import type { StoreHarness } from './store-harness.js';

/** `webhookEvents`: dedupe, processing marks, failed-event takeover, scope. */
export function webhookEventsConformance(h: () => StoreHarness): void {
  const sys = <T>(fn: (tx: BillingTransaction) => Promise<T>) => h().store.transaction(SYSTEM, fn);
  const delivery = (dedupeKey: string, now = T0) => ({
    dedupeKey,
    event: 'checkout.order.completed',
    subjectId: 'ORD_1',
    payload: { state: 'COMPLETED', amount: 100 },
    now,
  });

  it('records a new key as first seen, and repeats as duplicates', async () => {
    const key = uid('evt');
    const first = await sys((tx) => tx.webhookEvents.record(delivery(key)));
    expect(first).toEqual({
      firstSeen: true,
      retry: false,
      record: {
        dedupeKey: key,
        event: 'checkout.order.completed',
        workspaceId: null,
        subjectId: 'ORD_1',
        gateway: 'phonepe',
        payload: { state: 'COMPLETED', amount: 100 },
        status: 'received',
        duplicateCount: 0,
        attempts: 1,
        error: null,
        outcome: null,
        receivedAt: T0,
        processedAt: null,
      },
    });
    const again = await sys((tx) => tx.webhookEvents.record(delivery(key, T0 + 5)));
    expect(again).toEqual({ firstSeen: false, retry: false, record: { ...first.record, duplicateCount: 1 } });
    expect(await sys((tx) => tx.webhookEvents.get(key))).toEqual(again.record);
    expect(await sys((tx) => tx.webhookEvents.get(uid('evt')))).toBeNull();
  });

  it('records the gateway that sent an event (phonepe when not given)', async () => {
    const key = uid('evt');
    const recorded = await sys((tx) => tx.webhookEvents.record({ ...delivery(key), gateway: 'razorpay' }));
    expect(recorded.record.gateway).toBe('razorpay');
    expect((await sys((tx) => tx.webhookEvents.get(key)))?.gateway).toBe('razorpay');
    await expect(
      sys((tx) => tx.webhookEvents.record({ ...delivery(uid('evt')), gateway: 'Razor Pay' })),
    ).rejects.toMatchObject({
      name: 'StoreInputError',
    });
  });

  it('marks processed with the workspace; later deliveries stay duplicates', async () => {
    const key = uid('evt');
    const ws = uid('ws');
    await sys((tx) => tx.webhookEvents.record(delivery(key)));
    await sys((tx) => tx.webhookEvents.markProcessed(key, { workspaceId: ws, outcome: 'activated', now: T0 + 1 }));
    const processed = await sys((tx) => tx.webhookEvents.get(key));
    expect(processed).toMatchObject({
      status: 'processed',
      workspaceId: ws,
      outcome: 'activated',
      processedAt: T0 + 1,
      error: null,
    });
    expect(await sys((tx) => tx.webhookEvents.record(delivery(key)))).toMatchObject({
      firstSeen: false,
      retry: false,
      record: { status: 'processed' },
    });
    await sys((tx) => tx.webhookEvents.markProcessed(uid('evt'), { workspaceId: null, outcome: 'x', now: T0 }));
  });

  it('hands a failed event to exactly the next delivery for a retry', async () => {
    const key = uid('evt');
    await sys((tx) => tx.webhookEvents.record(delivery(key)));
    await sys((tx) => tx.webhookEvents.markFailed(key, { workspaceId: null, error: 'db down', now: T0 + 1 }));
    expect(await sys((tx) => tx.webhookEvents.get(key))).toMatchObject({
      status: 'failed',
      error: 'db down',
      workspaceId: null,
      processedAt: T0 + 1,
    });
    const retry = await sys((tx) => tx.webhookEvents.record(delivery(key)));
    expect(retry).toMatchObject({
      firstSeen: false,
      retry: true,
      record: { status: 'received', attempts: 2, duplicateCount: 1, error: null, processedAt: null },
    });
    expect(await sys((tx) => tx.webhookEvents.record(delivery(key)))).toMatchObject({
      retry: false,
      record: { attempts: 2, duplicateCount: 2 },
    });
  });

  it('hands an unapplied event to exactly the next delivery, which is not a duplicate', async () => {
    const key = uid('evt');
    await sys((tx) => tx.webhookEvents.record(delivery(key)));
    await sys((tx) =>
      tx.webhookEvents.markUnapplied(key, { workspaceId: null, outcome: 'refused: amount_mismatch', now: T0 + 1 }),
    );
    expect(await sys((tx) => tx.webhookEvents.get(key))).toMatchObject({
      status: 'unapplied',
      outcome: 'refused: amount_mismatch',
      error: null,
      processedAt: T0 + 1,
    });
    const [a, b] = await Promise.all([
      sys((tx) => tx.webhookEvents.record(delivery(key))),
      sys((tx) => tx.webhookEvents.record(delivery(key))),
    ]);
    expect([a.retry, b.retry].filter(Boolean)).toHaveLength(1);
    expect(await sys((tx) => tx.webhookEvents.get(key))).toMatchObject({
      status: 'received',
      attempts: 2,
      duplicateCount: 2,
    });
  });

  it('needs the system scope to record; a workspace sees only its matched events', async () => {
    const key = uid('evt');
    const ws = uid('ws');
    await expect(
      h().store.transaction(scopeOf(ws), (tx) => tx.webhookEvents.record(delivery(key))),
    ).rejects.toBeInstanceOf(StoreScopeError);
    await sys((tx) => tx.webhookEvents.record(delivery(key)));
    expect(await h().store.transaction(scopeOf(ws), (tx) => tx.webhookEvents.get(key))).toBeNull();
    await sys((tx) => tx.webhookEvents.markProcessed(key, { workspaceId: ws, outcome: 'ok', now: T0 }));
    expect(await h().store.transaction(scopeOf(ws), (tx) => tx.webhookEvents.get(key))).toMatchObject({
      workspaceId: ws,
    });
    expect(await h().store.transaction(scopeOf(uid('ws')), (tx) => tx.webhookEvents.get(key))).toBeNull();
  });
}
