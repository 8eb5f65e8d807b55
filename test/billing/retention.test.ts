import { describe, expect, it } from 'vitest';
import { BACKENDS, DAY, useBillingHarness } from './support/billing-harness.js';
import { subscribe } from './support/subscribe.js';

describe.each(BACKENDS)('retention: billing.purge (%s)', (backend) => {
  const h = useBillingHarness(backend);
  const events = () =>
    h.store.transaction({ system: true }, async (tx) => {
      const keys = h.webhookResults.map((r) => r.dedupeKey);
      return Promise.all([...new Set(keys)].map((key) => tx.webhookEvents.get(key)));
    });

  it('drops old raw webhook payloads in batches, keeps the rows, payments and audit; a redelivery is still a duplicate', async () => {
    const session = await subscribe(h, 'ws_retention', 'pro');
    const payment = await h.billing.getPayment(session.orderId);
    const stored = await events();
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.every((e) => e !== null && e.payload !== null)).toBe(true);

    // Younger than the cutoff: nothing to purge.
    expect(await h.billing.purge({ olderThanMs: 7 * DAY, dryRun: true })).toMatchObject({ webhookPayloads: 0 });
    await expect(h.billing.purge({ olderThanMs: DAY })).rejects.toMatchObject({ code: 'INVALID_INPUT' });

    const delivered = (await h.billing.eventCounts()).delivered;
    expect(delivered).toBeGreaterThan(0); // the hooks of the subscription went through the outbox
    h.clock.set(h.clock.now() + 8 * DAY);
    const dry = await h.billing.purge({ olderThanMs: 7 * DAY, dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, webhookPayloads: stored.length, deliveredEvents: delivered });
    expect((await h.billing.eventCounts()).delivered).toBe(delivered);
    expect((await events()).every((e) => e?.payload !== null)).toBe(true);

    const ticks: number[] = [];
    const done = await h.billing.purge({
      olderThanMs: 7 * DAY,
      batchSize: 1,
      onProgress: ({ purged }) => ticks.push(purged),
    });
    expect(done).toMatchObject({ dryRun: false, webhookPayloads: stored.length, deliveredEvents: delivered });
    expect(ticks.slice(0, stored.length)).toEqual(Array.from({ length: stored.length }, (_, i) => i + 1));
    expect(await h.billing.eventCounts()).toMatchObject({ delivered: 0, pending: 0, dead: 0 });
    const after = await events();
    expect(after.map((e) => e?.payload)).toEqual(stored.map(() => null));
    expect(after.map((e) => e?.status)).toEqual(stored.map((e) => e?.status));
    expect(await h.billing.getPayment(session.orderId)).toEqual(payment);
    const audit = await h.store.transaction({ workspaceId: 'ws_retention' }, (tx) =>
      tx.audit.listByWorkspace('ws_retention', { limit: 50 }),
    );
    expect(audit.some((a) => a.action === 'payment.created')).toBe(true);
    expect(await h.billing.purge({ olderThanMs: 7 * DAY, dryRun: true })).toMatchObject({
      webhookPayloads: 0,
      deliveredEvents: 0,
    });

    // The gateway delivers an old event again: its row (dedupe key, outcome) still answers it.
    const first = h.emu.webhooks.deliveries.find((d) => d.event === 'checkout.order.completed')!;
    await h.emu.webhooks.resend(first.id);
    await h.emu.webhooks.idle();
    expect(h.webhookResults.at(-1)?.outcome).toBe('duplicate');
  });
});
