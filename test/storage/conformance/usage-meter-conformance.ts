import { expect, it } from 'vitest';
import {
  StoreInputError,
  type BillingStore,
  type BillingTransaction,
  type UsageMeterRequest,
} from '../../../src/storage/index.js';
import { aPlan, aSubscription, DAY, SYSTEM, T0, uid } from './fixtures.js';
import type { StoreHarness } from './store-harness.js';

/** `meterUsage`: one metered call — live subscription, plan limit and counter — as one atomic step. */
export function usageMeterConformance(h: () => StoreHarness): void {
  const sys = <T>(fn: (tx: BillingTransaction) => Promise<T>) => h().store.transaction(SYSTEM, fn);
  const CODE = { pro: { api_calls: 5, projects: null }, free: {} };
  const meter = (workspaceId: string, overrides: Partial<UsageMeterRequest> = {}, store: BillingStore = h().store) =>
    store.meterUsage({
      workspaceId,
      metric: 'api_calls',
      by: 1,
      mode: 'record',
      now: T0 + 1,
      planLimits: CODE,
      ...overrides,
    });
  /** A workspace with a live subscription on `planId` whose period starts at `periodStart`. */
  const subscribed = async (planId = 'pro', periodStart = T0) => {
    const sub = aSubscription({ planId, currentPeriodStart: periodStart, currentPeriodEnd: periodStart + 30 * DAY });
    await sys((tx) => tx.subscriptions.insert(sub));
    return sub.workspaceId;
  };

  it('counts against the limit of the plan in planLimits, in the live period, and refuses past it', async () => {
    const ws = await subscribed('pro', T0 + 7);
    expect(await meter(ws, { by: 3 })).toEqual({
      status: 'ok',
      planId: 'pro',
      periodStart: T0 + 7,
      limit: 5,
      used: 3,
      duplicate: false,
    });
    expect(await meter(ws, { by: 2 })).toEqual({
      status: 'ok',
      planId: 'pro',
      periodStart: T0 + 7,
      limit: 5,
      used: 5,
      duplicate: false,
    });
    expect(await meter(ws, { by: 1 })).toEqual({
      status: 'over_limit',
      planId: 'pro',
      periodStart: T0 + 7,
      limit: 5,
      used: 5,
    });
    expect(await meter(ws, { metric: 'projects', by: 1_000 })).toMatchObject({
      status: 'ok',
      limit: null,
      used: 1_000,
    });
    expect(await sys((tx) => tx.usage.get(ws, T0 + 7))).toEqual({ api_calls: 5, projects: 1_000 });
  });

  it('checks without recording: ok while `by` more fits, over_limit after', async () => {
    const ws = await subscribed();
    expect(await meter(ws, { mode: 'check', by: 5 })).toEqual({
      status: 'ok',
      planId: 'pro',
      periodStart: T0,
      limit: 5,
      used: 0,
      duplicate: false,
    });
    await meter(ws, { by: 4 });
    expect(await meter(ws, { mode: 'check', by: 1 })).toMatchObject({ status: 'ok', used: 4 });
    expect(await meter(ws, { mode: 'check', by: 2 })).toEqual({
      status: 'over_limit',
      planId: 'pro',
      periodStart: T0,
      limit: 5,
      used: 4,
    });
    expect(await sys((tx) => tx.usage.get(ws, T0))).toEqual({ api_calls: 4 });
  });

  it("takes the stored plan's limits for a plan not in planLimits, and says what is missing", async () => {
    await sys((tx) => tx.plans.upsert(aPlan({ id: 'stored_only', limits: { api_calls: 2, seats: null } })));
    const stored = await subscribed('stored_only');
    expect(await meter(stored, { by: 2 })).toMatchObject({ status: 'ok', planId: 'stored_only', limit: 2, used: 2 });
    expect(await meter(stored)).toMatchObject({ status: 'over_limit', limit: 2, used: 2 });
    // planLimits wins over the stored plan of the same id.
    expect(await meter(stored, { planLimits: { stored_only: { api_calls: 10 } } })).toMatchObject({
      status: 'ok',
      limit: 10,
      used: 3,
    });
    const noMetric = await meter(stored, { metric: 'exports' });
    expect(noMetric).toMatchObject({ status: 'no_metric', planId: 'stored_only' });
    expect(noMetric.status === 'no_metric' && [...noMetric.metrics].sort()).toEqual(['api_calls', 'seats']);
    expect(await meter(await subscribed('free'), { metric: 'api_calls' })).toEqual({
      status: 'no_metric',
      planId: 'free',
      metrics: [],
    });
    expect(await meter(await subscribed('ghost'))).toEqual({ status: 'no_plan', planId: 'ghost' });
    // A metric named like an Object member is a metric like any other.
    expect(await meter(await subscribed(), { metric: 'constructor' })).toMatchObject({ status: 'no_metric' });
  });

  it('needs a live subscription of that workspace', async () => {
    expect(await meter(uid('ws'))).toEqual({ status: 'no_subscription' });
    const ended = aSubscription({ status: 'expired', endedAt: T0 });
    await sys((tx) => tx.subscriptions.insert(ended));
    expect(await meter(ended.workspaceId)).toEqual({ status: 'no_subscription' });
    expect(await sys((tx) => tx.usage.get(ended.workspaceId, ended.currentPeriodStart))).toEqual({});
  });

  it('counts a usage key once, and does not spend it on a refused call', async () => {
    const ws = await subscribed();
    expect(await meter(ws, { by: 2, usageKey: 'evt-1' })).toMatchObject({ status: 'ok', used: 2, duplicate: false });
    expect(await meter(ws, { by: 2, usageKey: 'evt-1' })).toMatchObject({ status: 'ok', used: 2, duplicate: true });
    expect(await meter(ws, { by: 3, usageKey: 'evt-2' })).toMatchObject({ status: 'ok', used: 5, duplicate: false });
    expect(await meter(ws, { by: 1, usageKey: 'late' })).toMatchObject({ status: 'over_limit', used: 5 });
    expect(await meter(ws, { by: 1, usageKey: 'late', planLimits: { pro: { api_calls: 6 } } })).toMatchObject({
      status: 'ok',
      used: 6,
      duplicate: false,
    });
  });

  it('50 concurrent calls of 1 against a limit of 30: exactly 30 are counted; 10 with one key: counted once', async () => {
    const ws = await subscribed();
    const stores = await h().workers(4);
    const limits = { pro: { api_calls: 30 } };
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => meter(ws, { planLimits: limits }, stores[i % stores.length])),
    );
    expect(results.filter((r) => r.status === 'ok')).toHaveLength(30);
    // A refused call reports a counter that explains the refusal.
    for (const r of results) if (r.status === 'over_limit') expect(r.used + 1).toBeGreaterThan(30);
    const keyed = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        meter(ws, { metric: 'projects', by: 2, usageKey: 'once' }, stores[i % stores.length]),
      ),
    );
    expect(keyed.filter((r) => r.status === 'ok' && !r.duplicate)).toHaveLength(1);
    expect(await sys((tx) => tx.usage.get(ws, T0))).toEqual({ api_calls: 30, projects: 2 });
  });

  it('refuses malformed requests with a TypeError, writing nothing', async () => {
    const ws = await subscribed();
    await expect(meter(ws, { by: 0 })).rejects.toBeInstanceOf(TypeError);
    await expect(meter(ws, { metric: 'Bad Metric' })).rejects.toBeInstanceOf(TypeError);
    await expect(meter(`${ws}\u0000`)).rejects.toBeInstanceOf(StoreInputError);
    await expect(meter(ws, { usageKey: 'k\u0000' })).rejects.toBeInstanceOf(StoreInputError);
    expect(await sys((tx) => tx.usage.get(ws, T0))).toEqual({});
  });
}
