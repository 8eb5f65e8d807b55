import { describe, expect, it } from 'vitest';
import { SubscriptionManager } from '../../src/billing/subscription-manager.js';
import type { WebhookEvent } from '../../src/webhooks/webhook-event.js';
import { parseExposition, type Exposition } from '../support/prometheus-exposition.js';
import { BACKENDS, DAY, PLANS, RETURN_URL, useBillingHarness, type BillingHarness } from './support/billing-harness.js';
import { subscribe } from './support/subscribe.js';

const scrape = async (h: BillingHarness): Promise<Exposition> => parseExposition(await h.billing.prometheusMetrics());

/** How much each series named in `probes` grew between two scrapes. */
const grew = (before: Exposition, after: Exposition, name: string, labels: Record<string, string>) =>
  after.value(name, labels) - before.value(name, labels);

/** Every label set per family, as strings (the series a scraper stores). */
const labelSets = (exposition: Exposition): Map<string, Set<string>> => {
  const sets = new Map<string, Set<string>>();
  for (const sample of exposition.samples) {
    const set = sets.get(sample.name) ?? new Set<string>();
    set.add(JSON.stringify(sample.labels));
    sets.set(sample.name, set);
  }
  return sets;
};

/** Histograms: each series' buckets never decrease with `le`, and `+Inf` is its `_count`. */
const expectCumulativeBuckets = (exposition: Exposition) => {
  const histograms = exposition.families.filter((f) => f.type === 'HISTOGRAM').map((f) => f.name);
  expect(histograms.length).toBeGreaterThan(0);
  for (const name of histograms) {
    const groups = new Map<string, Array<{ le: string; value: number }>>();
    for (const sample of exposition.series(`${name}_bucket`)) {
      const { le, ...rest } = sample.labels;
      const key = JSON.stringify(rest);
      groups.set(key, [...(groups.get(key) ?? []), { le: le!, value: sample.value }]);
    }
    for (const [key, buckets] of groups) {
      const values = buckets.map((b) => b.value);
      expect(values).toEqual([...values].sort((a, b) => a - b));
      expect(buckets.at(-1)?.le).toBe('+Inf');
      expect(buckets.at(-1)?.value).toBe(exposition.value(`${name}_count`, JSON.parse(key)));
    }
  }
};

describe.each(BACKENDS)('metrics of real flows on PhonePe (%s)', (backend) => {
  const h = useBillingHarness(backend);

  it('a checkout, its webhook and a refund increment the right series', async () => {
    const before = await scrape(h);
    const session = await subscribe(h, 'ws_metrics_flow', 'pro');
    await h.billing.refund(session.orderId, { amount: 100_000 });
    await h.emu.advanceTime(61_000);
    await h.emu.webhooks.idle();
    const after = await scrape(h);

    const call = (operation: string, outcome = 'ok') => ({ gateway: 'phonepe', operation, outcome });
    expect(grew(before, after, 'billing_gateway_calls_total', call('createCheckout'))).toBe(1);
    expect(grew(before, after, 'billing_gateway_calls_total', call('refund'))).toBe(1);
    // Each webhook is confirmed with PhonePe's status API (confirmWebhooks is on by default).
    expect(grew(before, after, 'billing_gateway_calls_total', call('getOrder'))).toBeGreaterThanOrEqual(1);
    expect(grew(before, after, 'billing_gateway_calls_total', call('getRefund'))).toBeGreaterThanOrEqual(1);
    expect(
      grew(before, after, 'billing_gateway_call_duration_seconds_count', { gateway: 'phonepe', operation: 'refund' }),
    ).toBe(1);
    expect(
      grew(before, after, 'billing_webhooks_total', {
        gateway: 'phonepe',
        event: 'checkout.order.completed',
        outcome: 'processed',
      }),
    ).toBe(1);
    expect(
      grew(before, after, 'billing_webhooks_total', { gateway: 'phonepe', event: 'pg.refund.completed' }),
    ).toBeGreaterThanOrEqual(1);
    expect(grew(before, after, 'billing_webhook_duration_seconds_count', { gateway: 'phonepe' })).toBe(
      grew(before, after, 'billing_webhooks_total', { gateway: 'phonepe' }),
    );
    expect(
      grew(before, after, 'billing_settlements_total', {
        source: 'create',
        outcome: 'changed',
        from: 'created',
        to: 'pending',
      }),
    ).toBe(1);
    expect(
      grew(before, after, 'billing_settlements_total', {
        source: 'webhook',
        outcome: 'changed',
        from: 'pending',
        to: 'completed',
      }),
    ).toBe(1);
    // Scrape-time gauges from the store.
    expect(after.value('billing_store_up')).toBe(1);
    expect(after.value('billing_subscriptions', { status: 'active' })).toBeGreaterThanOrEqual(1);
    expect(after.families.find((f) => f.name === 'billing_open_payments')?.type).toBe('GAUGE');
    expect(
      after
        .series('billing_subscriptions')
        .map((s) => s.labels.status)
        .sort(),
    ).toEqual(['active', 'cancelled', 'expired', 'past_due', 'trialing'].sort());
    // Nothing names the workspace or the order.
    const text = await h.billing.prometheusMetrics();
    expect(text).not.toContain('ws_metrics_flow');
    expect(text).not.toContain(session.orderId);
    expectCumulativeBuckets(after);
  });

  it('a refund whose answer is lost after PhonePe acted counts as outcome_unknown', async () => {
    const session = await subscribe(h, 'ws_metrics_lost', 'starter');
    const before = await scrape(h);
    // PhonePe makes the refund but its answer is lost, and so is the client's status check that follows:
    // only then is the outcome unknown at the gateway port (a check that answers settles it there).
    h.emu.faults.add({ method: 'POST', path: '/payments/v2/refund', after: true, dropConnection: true, times: 1 });
    const lookup = h.emu.faults.add({ method: 'GET', path: '/payments/v2/refund/*/status', dropConnection: true });
    try {
      await expect(h.billing.refund(session.orderId, { amount: 10_000 })).rejects.toMatchObject({
        code: 'PAYMENT_OUTCOME_UNKNOWN',
      });
    } finally {
      h.emu.faults.remove(lookup.id);
    }
    const after = await scrape(h);
    expect(
      grew(before, after, 'billing_gateway_calls_total', {
        gateway: 'phonepe',
        operation: 'refund',
        outcome: 'outcome_unknown',
      }),
    ).toBe(1);
    expect(
      grew(before, after, 'billing_gateway_calls_total', { gateway: 'phonepe', operation: 'refund', outcome: 'ok' }),
    ).toBe(0);
  });

  it('an open checkout shows in the open payments gauge, with the age of the oldest', async () => {
    const session = await h.billing.createCheckout({
      workspaceId: 'ws_metrics_open',
      userId: 'u_open',
      planId: 'starter',
      amount: 99_900,
      returnUrl: RETURN_URL,
    });
    const before = await scrape(h);
    h.clock.advance(60_000);
    const later = await scrape(h);
    expect(before.value('billing_open_payments', { state: 'pending' })).toBeGreaterThanOrEqual(1);
    expect(later.value('billing_oldest_open_payment_age_seconds')).toBeGreaterThanOrEqual(60);
    await h.emu.completeOrder(session.orderId);
    await h.emu.webhooks.idle();
    expect((await scrape(h)).value('billing_open_payments', { state: 'pending' })).toBe(
      before.value('billing_open_payments', { state: 'pending' }) - 1,
    );
  });

  it('renewal passes and quota refusals are counted by action and by metric', async () => {
    await h.billing.startTrial('ws_metrics_trial', { planId: 'trial_plan' });
    const before = await scrape(h);
    await expect(h.billing.recordUsage('ws_metrics_trial', 'projects', 3)).rejects.toMatchObject({
      code: 'QUOTA_EXCEEDED',
    });
    h.clock.advance(15 * DAY);
    const result = await h.billing.runRenewals();
    const after = await scrape(h);
    expect(grew(before, after, 'billing_quota_refusals_total', { metric: 'projects' })).toBe(1);
    expect(grew(before, after, 'billing_renewal_runs_total', {})).toBe(1);
    const actions = Object.entries(result.summary);
    expect(actions.length).toBeGreaterThan(0);
    for (const [action, count] of actions)
      expect(grew(before, after, 'billing_renewal_actions_total', { action })).toBe(count);
  });
});

describe('metrics of real flows on Razorpay (memory)', () => {
  const h = useBillingHarness('memory', { gateway: 'razorpay' });

  it('a checkout, its webhook and a refund are counted under gateway="razorpay"', async () => {
    const before = await scrape(h);
    const plan = PLANS.find((p) => p.id === 'pro')!;
    const session = await h.billing.createCheckout({
      workspaceId: 'ws_metrics_rzp',
      userId: 'u_rzp',
      planId: plan.id,
      amount: plan.price,
      returnUrl: RETURN_URL,
    });
    await h.gateway.pay(session.orderId);
    await h.gateway.webhooks.idle();
    await h.billing.refund(session.orderId, { amount: 100_000 });
    await h.gateway.completeRefunds();
    await h.gateway.webhooks.idle();
    const after = await scrape(h);
    const call = (operation: string) => ({ gateway: 'razorpay', operation, outcome: 'ok' });
    expect(grew(before, after, 'billing_gateway_calls_total', call('createCheckout'))).toBe(1);
    expect(grew(before, after, 'billing_gateway_calls_total', call('refund'))).toBe(1);
    expect(grew(before, after, 'billing_gateway_calls_total', { gateway: 'phonepe' })).toBe(0);
    expect(
      grew(before, after, 'billing_webhooks_total', { gateway: 'razorpay', event: 'payment.captured' }) +
        grew(before, after, 'billing_webhooks_total', { gateway: 'razorpay', event: 'order.paid' }),
    ).toBeGreaterThanOrEqual(1);
    expect(grew(before, after, 'billing_webhooks_total', { gateway: 'razorpay', event: 'other' })).toBe(0);
    expect(
      grew(before, after, 'billing_settlements_total', { source: 'webhook', from: 'pending', to: 'completed' }),
    ).toBe(1);
    expectCumulativeBuckets(after);
  });
});

describe('label sets stay bounded (memory)', () => {
  const h = useBillingHarness('memory');

  const unknownEvent = (i: number): WebhookEvent =>
    ({ event: `made.up.event_${i}`, type: null, kind: 'unknown', payload: { merchantOrderId: `o_${i}` } }) as never;

  /** What 1 workspace does: a checkout, a trial refused over its quota, a webhook of an unknown event. */
  const drive = async (from: number, to: number) => {
    const jobs = Array.from({ length: to - from }, (_, k) => from + k);
    for (let start = 0; start < jobs.length; start += 25)
      await Promise.all(
        jobs.slice(start, start + 25).map(async (i) => {
          const ws = `ws_bound_${i}`;
          await h.billing.createCheckout({
            workspaceId: ws,
            userId: `u_${i}`,
            planId: 'starter',
            amount: 99_900,
            returnUrl: RETURN_URL,
          });
          await h.billing.startTrial(ws, { planId: 'trial_plan' });
          await h.billing.recordUsage(ws, 'projects', 3).catch(() => undefined);
          await h.billing.handleWebhook(unknownEvent(i));
        }),
      );
  };

  it('1,000 workspaces add no series beyond those of the first 10', { timeout: 120_000 }, async () => {
    await drive(0, 10);
    const few = await scrape(h);
    await drive(10, 1_000);
    const many = await scrape(h);
    expect(many.value('billing_gateway_calls_total', { operation: 'createCheckout', outcome: 'ok' })).toBe(1_000);
    expect(many.value('billing_quota_refusals_total', { metric: 'projects' })).toBe(1_000);
    expect(many.value('billing_webhooks_total', { event: 'other', outcome: 'ignored' })).toBe(1_000);
    const [fewSets, manySets] = [labelSets(few), labelSets(many)];
    expect([...manySets.keys()].sort()).toEqual([...fewSets.keys()].sort());
    for (const [name, sets] of manySets) expect([...sets].sort(), name).toEqual([...(fewSets.get(name) ?? [])].sort());
    const text = await h.billing.prometheusMetrics();
    expect(text).not.toMatch(/ws_bound_|made\.up|u_\d/);
    expect(many.samples.length).toBeLessThan(400);
  });
});

describe('metrics: false (memory)', () => {
  const h = useBillingHarness('memory');

  it('records nothing, wraps no gateway, and prometheusMetrics() says why', async () => {
    const quiet = new SubscriptionManager({
      client: h.client,
      store: h.store,
      plans: PLANS,
      clock: h.clock,
      metrics: false,
      config: {
        callbackUrl: 'https://api.example.com/v1/payments/callback',
        redirectAllowlist: ['https://app.example.com'],
      },
    });
    const session = await quiet.createCheckout({
      workspaceId: 'ws_quiet',
      userId: 'u_quiet',
      planId: 'starter',
      amount: 99_900,
      returnUrl: RETURN_URL,
    });
    expect(session.state).toBe('pending');
    await expect(quiet.prometheusMetrics()).rejects.toMatchObject({ code: 'INVALID_INPUT', message: /metrics: false/ });
  });
});

describe.each(BACKENDS)('outbox lag in the metrics (%s)', (backend) => {
  const h = useBillingHarness(backend, { config: { outbox: { deliverInProcess: false } } });

  it('undelivered events and the age of the oldest are scraped, and fall to zero once dispatched', async () => {
    const empty = await scrape(h);
    expect(empty.value('billing_outbox_events', { status: 'pending' })).toBe(0);
    expect(empty.value('billing_outbox_lag_seconds', {})).toBe(0);
    await subscribe(h, 'ws_metrics_lag', 'pro');
    h.clock.set(h.clock.now() + 90_000);
    const waiting = await scrape(h);
    const pending = (await h.billing.eventCounts()).pending;
    expect(pending).toBeGreaterThan(0);
    expect(waiting.value('billing_outbox_events', { status: 'pending' })).toBe(pending);
    expect(waiting.value('billing_outbox_lag_seconds', {})).toBeGreaterThanOrEqual(90);
    await h.billing.dispatchEvents();
    const drained = await scrape(h);
    expect(drained.value('billing_outbox_events', { status: 'pending' })).toBe(0);
    expect(drained.value('billing_outbox_lag_seconds', {})).toBe(0);
  });
});
