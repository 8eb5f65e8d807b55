import { expect, it } from 'vitest';
import type { BillingTransaction } from '../../../src/storage/index.js';
import { aPayment, aRefund, aSubscription, DAY, scopeOf, SYSTEM, T0, uid } from './fixtures.js';
import type { StoreHarness } from './store-harness.js';

const D0 = T0 / DAY;
const HOUR = 3_600_000;

/** `reports`: per-UTC-day aggregates with exact numbers, the same on every backend. */
export function reportsConformance(h: () => StoreHarness): void {
  const sys = <T>(fn: (tx: BillingTransaction) => Promise<T>) => h().store.transaction(SYSTEM, fn);
  const days = { fromDay: D0, toDay: D0 + 3 };

  it('aggregates payments, settle percentiles and refunds per UTC day, inside the range only', async () => {
    const ws = uid('ws');
    await sys(async (tx) => {
      const settled = (at: number, state: 'completed' | 'failed' | 'expired', amountPaise: number, signalMs?: number) =>
        tx.payments.insert(
          aPayment({
            workspaceId: ws,
            state,
            amountPaise,
            settledAt: at,
            firstSignalAt: signalMs === undefined ? null : at - signalMs,
          }),
        );
      await settled(T0 + HOUR, 'completed', 500, 100);
      await settled(T0 + 2 * HOUR, 'completed', 700, 300);
      await settled(T0 + 3 * HOUR, 'failed', 700, 50);
      await settled(T0 + DAY + 5, 'completed', 1_000);
      await settled(T0 + DAY + 6, 'expired', 1_000, 1_000);
      await settled(T0 - 1, 'completed', 9_999, 7); // the day before the range
      await settled(T0 + 3 * DAY, 'completed', 9_999, 7); // the day after it
      await tx.payments.insert(aPayment({ state: 'pending' }));
      const paid = aPayment({ workspaceId: ws });
      await tx.refunds.insert(aRefund(paid, { state: 'completed', amountPaise: 200, settledAt: T0 + DAY + 10 }));
      await tx.refunds.insert(aRefund(aPayment(), { state: 'failed', amountPaise: 50, settledAt: T0 + DAY }));
      await tx.refunds.insert(aRefund(aPayment(), { state: 'completed', amountPaise: 50, settledAt: T0 + 3 * DAY }));
    });
    await sys(async (tx) => {
      expect(await tx.reports.payments(days)).toEqual([
        { day: D0, completed: 2, failed: 1, expired: 0, grossPaise: 1_200 },
        { day: D0 + 1, completed: 1, failed: 0, expired: 1, grossPaise: 1_000 },
      ]);
      expect(await tx.reports.settleLatency(days)).toEqual({
        byDay: [
          { day: D0, count: 3, p50Ms: 100, p95Ms: 300 },
          { day: D0 + 1, count: 1, p50Ms: 1_000, p95Ms: 1_000 },
        ],
        total: { count: 4, p50Ms: 100, p95Ms: 1_000 },
      });
      expect(await tx.reports.refunds(days)).toEqual([{ day: D0 + 1, completed: 1, refundedPaise: 200 }]);
      expect(await tx.reports.settleLatency({ fromDay: D0 + 2, toDay: D0 + 3 })).toEqual({
        byDay: [],
        total: { count: 0, p50Ms: null, p95Ms: null },
      });
    });
    // A workspace scope sees its own rows only.
    const theirs = await h().store.transaction(scopeOf(uid('ws')), (tx) => tx.reports.payments(days));
    expect(theirs).toEqual([]);
  });

  it('counts subscription moves per day and the subscriptions paying at each day end, per plan', async () => {
    await sys(async (tx) => {
      await tx.subscriptions.insert(aSubscription({ planId: 'p_month', status: 'active', createdAt: T0 - 5 * DAY }));
      await tx.subscriptions.insert(aSubscription({ planId: 'p_year', status: 'active', createdAt: T0 + DAY + 1 }));
      await tx.subscriptions.insert(
        aSubscription({
          planId: 'p_month',
          status: 'cancelled',
          createdAt: T0 + 10,
          cancelledAt: T0 + DAY + 2,
          endedAt: T0 + DAY + 3,
        }),
      );
      await tx.subscriptions.insert(aSubscription({ planId: 'p_month', status: 'trialing', createdAt: T0 + 20 }));
      await tx.subscriptions.insert(
        aSubscription({ planId: 'p_month', status: 'expired', createdAt: T0 - 10 * DAY, endedAt: T0 + 2 * DAY + 1 }),
      );
    });
    await sys(async (tx) => {
      expect(await tx.reports.subscriptions(days)).toEqual([
        { day: D0, created: 2, cancelled: 0, ended: 0 },
        { day: D0 + 1, created: 1, cancelled: 1, ended: 1 },
        { day: D0 + 2, created: 0, cancelled: 0, ended: 1 },
      ]);
      expect(await tx.reports.payingPlans(days)).toEqual([
        { day: D0, planId: 'p_month', subscriptions: 3 },
        { day: D0 + 1, planId: 'p_month', subscriptions: 2 },
        { day: D0 + 1, planId: 'p_year', subscriptions: 1 },
        { day: D0 + 2, planId: 'p_month', subscriptions: 1 },
        { day: D0 + 2, planId: 'p_year', subscriptions: 1 },
      ]);
    });
  });

  it('splits webhook deliveries by outcome per day received, and lists failed ones without payloads', async () => {
    const ws = uid('ws');
    await sys(async (tx) => {
      const receive = (key: string, now: number) =>
        tx.webhookEvents.record({
          dedupeKey: key,
          event: 'pg.order.completed',
          subjectId: null,
          payload: { a: 1 },
          now,
        });
      await receive('w1', T0);
      await tx.webhookEvents.markProcessed('w1', { workspaceId: ws, outcome: 'processed: ok', now: T0 });
      await receive('w1', T0 + 1);
      await receive('w2', T0 + 5);
      await tx.webhookEvents.markFailed('w2', { workspaceId: null, error: 'db down', now: T0 + 6 });
      await receive('w3', T0 + DAY);
      await tx.webhookEvents.markUnapplied('w3', { workspaceId: ws, outcome: 'refused: amount', now: T0 + DAY });
      await receive('w4', T0 + DAY);
      await tx.webhookEvents.markUnapplied('w4', { workspaceId: null, outcome: 'ignored: not ours', now: T0 + DAY });
      await receive('w5', T0 + DAY + 1);
      await receive('w6', T0 + 2 * DAY);
      await tx.webhookEvents.markUnapplied('w6', { workspaceId: ws, outcome: 'unconfirmed: x', now: T0 + 2 * DAY });
      await receive('w7', T0 + 2 * DAY + 1);
      await tx.webhookEvents.markFailed('w7', { workspaceId: ws, error: 'later', now: T0 + 2 * DAY + 2 });
    });
    await sys(async (tx) => {
      const zero = {
        received: 0,
        processed: 0,
        duplicates: 0,
        ignored: 0,
        refused: 0,
        unconfirmed: 0,
        failed: 0,
        pending: 0,
      };
      expect(await tx.reports.webhooks(days)).toEqual([
        { ...zero, day: D0, received: 2, processed: 1, duplicates: 1, failed: 1 },
        { ...zero, day: D0 + 1, received: 3, ignored: 1, refused: 1, pending: 1 },
        { ...zero, day: D0 + 2, received: 2, unconfirmed: 1, failed: 1 },
      ]);
      const failed = await tx.reports.failedWebhooks({ limit: 10 });
      expect(failed.map((row) => [row.dedupeKey, row.error, row.payload])).toEqual([
        ['w7', 'later', null],
        ['w2', 'db down', null],
      ]);
      expect((await tx.reports.failedWebhooks({ limit: 1 })).map((row) => row.dedupeKey)).toEqual(['w7']);
    });
  });

  it('reports keyed usage per day and metric, and counters per period with their keyed part', async () => {
    const ws = uid('ws');
    const periodStart = T0 - 5 * DAY;
    const add = (metric: string, by: number, now: number, usageKey?: string, workspaceId = ws) =>
      h().store.transaction(scopeOf(workspaceId), (tx) =>
        tx.usage.increment({
          workspaceId,
          metric,
          periodStart,
          by,
          limit: null,
          now,
          ...(usageKey ? { usageKey } : {}),
        }),
      );
    await add('api_calls', 10, T0);
    await add('api_calls', 3, T0 + HOUR, 'k1');
    await add('api_calls', 4, T0 + DAY, 'k2');
    await add('projects', 1, T0 + DAY + 1, 'k3');
    await add('api_calls', 4, T0 + DAY, 'k2'); // a repeat of k2: counted once
    await add('api_calls', 99, T0, 'other', uid('ws'));
    const report = await h().store.transaction(scopeOf(ws), async (tx) => ({
      byDay: await tx.reports.usageByDay(ws, days),
      byPeriod: await tx.reports.usageByPeriod(ws, { from: T0 - 10 * DAY, to: T0 }),
      later: await tx.reports.usageByPeriod(ws, { from: T0, to: T0 + DAY }),
    }));
    expect(report).toEqual({
      byDay: [
        { day: D0, metric: 'api_calls', quantity: 3 },
        { day: D0 + 1, metric: 'api_calls', quantity: 4 },
        { day: D0 + 1, metric: 'projects', quantity: 1 },
      ],
      byPeriod: [
        { periodStart, metric: 'api_calls', used: 17, keyed: 7 },
        { periodStart, metric: 'projects', used: 1, keyed: 1 },
      ],
      later: [],
    });
    // Another workspace's scope sees none of it.
    expect(await h().store.transaction(scopeOf(uid('ws')), (tx) => tx.reports.usageByDay(ws, days))).toEqual([]);
  });

  it('lists past-due subscriptions, the longest unpaid first', async () => {
    const late = aSubscription({ status: 'past_due', currentPeriodEnd: T0 + 1 });
    const later = aSubscription({ status: 'past_due', currentPeriodEnd: T0 + 2 });
    await sys(async (tx) => {
      await tx.subscriptions.insert(later);
      await tx.subscriptions.insert(late);
      await tx.subscriptions.insert(aSubscription({ status: 'active' }));
    });
    const listed = await sys((tx) => tx.reports.pastDue({ limit: 10 }));
    expect(listed.map((row) => row.id)).toEqual([late.id, later.id]);
    expect(listed[0]).toEqual(late);
  });

  it('refuses a day range that is reversed or too long', async () => {
    await expect(sys((tx) => tx.reports.payments({ fromDay: D0 + 1, toDay: D0 }))).rejects.toBeInstanceOf(TypeError);
    await expect(sys((tx) => tx.reports.payingPlans({ fromDay: D0, toDay: D0 + 1_001 }))).rejects.toBeInstanceOf(
      TypeError,
    );
  });
}
