import { describe, expect, it } from 'vitest';
import { BACKENDS, DAY, PLANS, RETURN_URL, START, useBillingHarness } from './support/billing-harness.js';
import { subscribe } from './support/subscribe.js';
import { aPlan, aSubscription } from '../storage/conformance/fixtures.js';

describe.each(BACKENDS)('billing.report (%s)', (backend) => {
  const h = useBillingHarness(backend);
  const range = { from: START, to: START + 3 * DAY };

  it('reports payments, revenue, MRR, subscription moves and webhooks per UTC day, with exact numbers', async () => {
    // Day 0: one paid checkout (pro, ₹2,999) and one the payer's bank fails.
    const paid = await subscribe(h, 'ws_rep_paid', 'pro');
    const starter = PLANS.find((p) => p.id === 'starter')!;
    const failing = await h.billing.createCheckout({
      workspaceId: 'ws_rep_failed',
      userId: 'u',
      planId: 'starter',
      amount: starter.price,
      returnUrl: RETURN_URL,
    });
    await h.emu.failOrder(failing.orderId);
    await h.emu.webhooks.idle();
    expect((await h.billing.getPayment(failing.orderId))?.state).toBe('failed');
    // Day 1: ₹1,000 of the paid one is refunded and completes the same day.
    await h.emu.advanceTime(DAY);
    const refund = await h.billing.refund(paid.orderId, { amount: 100_000 });
    await h.emu.completeRefund(refund.merchantRefundId);
    await h.emu.webhooks.idle();
    // Day 2: two subscriptions on a yearly plan known only to the store (₹1,000.01 a year each).
    await h.emu.advanceTime(DAY);
    const annual = aPlan({ id: 'annual_rep', pricePaise: 100_001, interval: 'year' });
    await h.store.transaction({ system: true }, async (tx) => {
      await tx.plans.upsert(annual);
      for (const ws of ['ws_rep_y1', 'ws_rep_y2'])
        await tx.subscriptions.insert(
          aSubscription({ workspaceId: ws, planId: annual.id, status: 'active', createdAt: START + 2 * DAY + 1 }),
        );
    });

    const report = await h.billing.report(range);
    expect(report.days.map((d) => d.date)).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
    expect(report.days.map((d) => d.payments)).toEqual([
      { settled: 2, completed: 1, failed: 1, expired: 0, successRate: 0.5 },
      { settled: 0, completed: 0, failed: 0, expired: 0, successRate: null },
      { settled: 0, completed: 0, failed: 0, expired: 0, successRate: null },
    ]);
    expect(report.days.map((d) => d.revenue)).toEqual([
      { grossPaise: 299_900, refundedPaise: 0, netPaise: 299_900 },
      { grossPaise: 0, refundedPaise: 100_000, netPaise: -100_000 },
      { grossPaise: 0, refundedPaise: 0, netPaise: 0 },
    ]);
    // Yearly: (2 × 100,001) / 12 = 16,666.83 → 16,667 (summed, then divided once, half up).
    expect(report.days.map((d) => d.mrrPaise)).toEqual([299_900, 299_900, 299_900 + 16_667]);
    expect(report.days.map((d) => d.subscriptions)).toEqual([
      { new: 1, cancelled: 0, churned: 0 },
      { new: 0, cancelled: 0, churned: 0 },
      { new: 2, cancelled: 0, churned: 0 },
    ]);
    expect(report.days[0]!.webhooks).toMatchObject({ received: 2, processed: 2, failed: 0 });
    expect(report.days[0]!.settle).toEqual({ count: 2, p50Ms: 0, p95Ms: 0 });
    expect(report.totals).toMatchObject({
      payments: { settled: 2, completed: 1, successRate: 0.5 },
      revenue: { grossPaise: 299_900, refundedPaise: 100_000, netPaise: 199_900 },
      mrrPaise: 316_567,
      subscriptions: { new: 3, cancelled: 0, churned: 0 },
    });
    expect(report.unpricedPlans).toEqual([]);
  });

  it('counts a cancellation and the end of the subscription as churn on their days, and MRR drops', async () => {
    await h.billing.cancel('ws_rep_paid', { atPeriodEnd: false, reason: 'test' });
    const day = Math.floor(h.clock.now() / DAY) * DAY;
    const report = await h.billing.report({ from: day, to: day + DAY });
    // Still day 2, when the two yearly subscriptions began.
    expect(report.days[0]!.subscriptions).toEqual({ new: 2, cancelled: 1, churned: 1 });
    expect(report.days[0]!.mrrPaise).toBe(16_667);
  });

  it('refuses ranges that are not whole UTC days, reversed, or longer than 400 days', async () => {
    for (const bad of [
      { from: START + 1, to: START + DAY },
      { from: START, to: START },
      { from: START, to: START + 401 * DAY },
      { from: START, to: START + DAY, granularity: 'week' },
    ]) {
      await expect(h.billing.report(bad as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    expect((await h.billing.report({ from: START, to: START + 400 * DAY })).days).toHaveLength(400);
  });
});
