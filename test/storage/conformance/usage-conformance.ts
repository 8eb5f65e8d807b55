import { expect, it } from 'vitest';
import { StoreScopeError, type BillingTransaction } from '../../../src/storage/index.js';
import { DAY, scopeOf, SYSTEM, T0, uid } from './fixtures.js';
import type { StoreHarness } from './store-harness.js';

/** `usage`: atomic limited increments, usage keys, reads. */
export function usageConformance(h: () => StoreHarness): void {
  const sys = <T>(fn: (tx: BillingTransaction) => Promise<T>) => h().store.transaction(SYSTEM, fn);
  const increment = (workspaceId: string, by: number, limit: number | null, usageKey?: string, metric = 'api_calls') =>
    sys((tx) =>
      tx.usage.increment({
        workspaceId,
        metric,
        periodStart: T0,
        by,
        limit,
        now: T0 + 1,
        ...(usageKey ? { usageKey } : {}),
      }),
    );

  it('adds up to the limit and refuses to pass it, changing nothing', async () => {
    const ws = uid('ws');
    expect(await increment(ws, 3, 5)).toEqual({ ok: true, used: 3, duplicate: false });
    expect(await increment(ws, 2, 5)).toEqual({ ok: true, used: 5, duplicate: false });
    expect(await increment(ws, 1, 5)).toEqual({ ok: false, used: 5, limit: 5 });
    expect(await increment(ws, 10, null)).toEqual({ ok: true, used: 15, duplicate: false });
    expect(await sys((tx) => tx.usage.get(ws, T0))).toEqual({ api_calls: 15 });
  });

  it('refuses a first increment that alone exceeds the limit', async () => {
    const ws = uid('ws');
    expect(await increment(ws, 6, 5)).toEqual({ ok: false, used: 0, limit: 5 });
    expect(await increment(ws, 1, 0)).toEqual({ ok: false, used: 0, limit: 0 });
    expect(await sys((tx) => tx.usage.get(ws, T0))).toEqual({});
  });

  it('counts an increment with a usage key at most once per workspace', async () => {
    const ws = uid('ws');
    expect(await increment(ws, 2, 10, 'evt-1')).toEqual({ ok: true, used: 2, duplicate: false });
    expect(await increment(ws, 2, 10, 'evt-1')).toEqual({ ok: true, used: 2, duplicate: true });
    expect(await increment(ws, 2, 10, 'evt-2')).toEqual({ ok: true, used: 4, duplicate: false });
    // The same key in another workspace is another key.
    expect(await increment(uid('ws'), 2, 10, 'evt-1')).toEqual({ ok: true, used: 2, duplicate: false });
  });

  it('does not spend a usage key on a refused increment', async () => {
    const ws = uid('ws');
    expect(await increment(ws, 5, 5)).toMatchObject({ ok: true });
    expect(await increment(ws, 1, 5, 'late')).toEqual({ ok: false, used: 5, limit: 5 });
    expect(await increment(ws, 1, 6, 'late')).toEqual({ ok: true, used: 6, duplicate: false });
  });

  it('keeps counters per metric and per period', async () => {
    const ws = uid('ws');
    await increment(ws, 1, null, undefined, 'projects');
    await increment(ws, 7, null, undefined, 'api_calls');
    await sys((tx) =>
      tx.usage.increment({
        workspaceId: ws,
        metric: 'projects',
        periodStart: T0 + 30 * DAY,
        by: 4,
        limit: null,
        now: T0,
      }),
    );
    expect(await sys((tx) => tx.usage.get(ws, T0))).toEqual({ projects: 1, api_calls: 7 });
    expect(await sys((tx) => tx.usage.get(ws, T0 + 30 * DAY))).toEqual({ projects: 4 });
  });

  it('scopes usage to the workspace', async () => {
    const ws = uid('ws');
    await increment(ws, 1, null);
    expect(await h().store.transaction(scopeOf(uid('ws')), (tx) => tx.usage.get(ws, T0))).toEqual({});
    expect(await h().store.transaction(scopeOf(ws), (tx) => tx.usage.get(ws, T0))).toEqual({ api_calls: 1 });
    const foreign = h().store.transaction(scopeOf(uid('ws')), (tx) =>
      tx.usage.increment({ workspaceId: ws, metric: 'm', periodStart: T0, by: 1, limit: null, now: T0 }),
    );
    await expect(foreign).rejects.toBeInstanceOf(StoreScopeError);
  });

  it('refuses a non-positive or fractional increment', async () => {
    await expect(increment(uid('ws'), 0, null)).rejects.toBeInstanceOf(TypeError);
    await expect(increment(uid('ws'), 1.5, null)).rejects.toBeInstanceOf(TypeError);
  });
}
