import { beforeAll, describe, expect, it } from 'vitest';
import { QuotaExceededError } from '../../src/billing/errors.js';
import { BACKENDS, DAY, useBillingHarness } from './support/billing-harness.js';
import { subscribe } from './support/subscribe.js';

describe.each(BACKENDS)('usage quotas (%s)', (backend) => {
  const h = useBillingHarness(backend);
  beforeAll(() => subscribe(h, 'ws_q', 'starter'));

  it('records usage, reports it with percentages, and refuses past the limit with current and limit', async () => {
    expect(await h.billing.recordUsage('ws_q', 'projects', 3)).toEqual({
      metric: 'projects',
      current: 3,
      limit: 5,
      percentage: 60,
      duplicate: false,
    });
    const error = await h.billing.recordUsage('ws_q', 'projects', 3).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QuotaExceededError);
    expect(error).toMatchObject({ code: 'QUOTA_EXCEEDED', current: 3, limit: 5, requested: 3, status: 429 });
    expect((await h.billing.getSubscription('ws_q'))?.usage.projects).toEqual({ current: 3, limit: 5, percentage: 60 });
    expect(await h.billing.checkQuota('ws_q', 'projects', 2)).toEqual({
      allowed: true,
      metric: 'projects',
      current: 3,
      limit: 5,
      remaining: 2,
    });
    expect((await h.billing.checkQuota('ws_q', 'projects', 3)).allowed).toBe(false);
  });

  it('counts a usage key once', async () => {
    const first = await h.billing.recordUsage('ws_q', 'api_calls', 10, { key: 'req-1' });
    const again = await h.billing.recordUsage('ws_q', 'api_calls', 10, { key: 'req-1' });
    expect(first).toMatchObject({ current: 10, duplicate: false });
    expect(again).toMatchObject({ current: 10, duplicate: true });
  });

  it('lets exactly the limit through when many callers race', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, () => h.billing.recordUsage('ws_q', 'api_calls', 25)),
    );
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    expect(ok).toBe(Math.floor((1_000 - 10) / 25));
    expect(
      results
        .filter((r) => r.status === 'rejected')
        .every((r) => (r as PromiseRejectedResult).reason instanceof QuotaExceededError),
    ).toBe(true);
    expect((await h.billing.getSubscription('ws_q'))?.usage.api_calls?.current).toBe(10 + ok * 25);
  });

  it('fires a quota warning once per threshold crossed', async () => {
    const warnings = () =>
      h.hookCalls
        .filter((c) => c.name === 'quotaWarning')
        .map((c) => [c.event.metric, c.event.threshold, c.event.current]);
    // 985 of 1000 api_calls after the race: 80 % was crossed once; projects sit at 60 %.
    expect(warnings()).toEqual([['api_calls', 80, expect.any(Number)]]);
    await h.billing.recordUsage('ws_q', 'api_calls', 15);
    expect(warnings()).toEqual([
      ['api_calls', 80, expect.any(Number)],
      ['api_calls', 100, 1_000],
    ]);
    await expect(h.billing.recordUsage('ws_q', 'api_calls', 1)).rejects.toBeInstanceOf(QuotaExceededError);
    expect(warnings()).toHaveLength(2);
  });

  it('refuses unknown metrics, bad quantities, and workspaces without a subscription', async () => {
    await expect(h.billing.recordUsage('ws_q', 'seats', 1)).rejects.toMatchObject({ code: 'UNKNOWN_METRIC' });
    await expect(h.billing.recordUsage('ws_q', 'projects', 0)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(h.billing.recordUsage('ws_q', 'projects', 1.5)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(h.billing.recordUsage('ws_nobody', 'projects', 1)).rejects.toMatchObject({
      code: 'SUBSCRIPTION_NOT_FOUND',
    });
  });

  it('starts counting afresh in the next billing period', async () => {
    const before = await h.billing.getSubscription('ws_q');
    expect(before?.usage.projects?.current).toBe(3);
    // Renew by paying the renewal checkout the worker creates before period end.
    h.clock.set(before!.currentPeriodEnd - 2 * DAY);
    const run = await h.billing.runRenewals();
    expect(run.items.find((i) => i.workspaceId === 'ws_q')?.action).toBe('reminded');
    const reminder = h.hookCalls.filter((c) => c.name === 'renewalReminder').at(-1)!.event;
    await h.emu.completeOrder(reminder.payment.merchantOrderId);
    await h.emu.webhooks.idle();
    h.clock.set(before!.currentPeriodEnd + 1000);
    const after = await h.billing.getSubscription('ws_q');
    expect(after?.currentPeriodStart).toBe(before?.currentPeriodEnd);
    expect(after?.usage.projects).toEqual({ current: 0, limit: 5, percentage: 0 });
  });
});
