import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, useBillingHarness, createBillingHarness, DAY, RETURN_URL, type BillingHarness } from './support/billing-harness.js';
import { subscribe } from './support/subscribe.js';

describe.each(BACKENDS)('several renewal workers at once (%s)', (backend) => {
  const h = useBillingHarness(backend);

  it('never works one subscription twice: each due subscription gets exactly one pre-debit notice', async () => {
    const workspaces = Array.from({ length: 8 }, (_, i) => `ws_w${i}`);
    for (const ws of workspaces) await subscribe(h, ws, 'starter', { autopay: true });
    const due = Date.parse((await h.billing.getSubscription(workspaces[0]!))!.current_period_end);
    h.clock.set(due - 2 * DAY);
    const managers = [h.billing, await h.anotherManager(), await h.anotherManager()];
    const runs = await Promise.all(managers.map((m, i) => m.runRenewals({ workerId: `worker_${i}`, limit: 5 })));
    const worked = runs.flatMap((r) => r.items.map((i) => i.workspaceId));
    expect(new Set(worked).size).toBe(worked.length);
    // Whatever the first pass left (limit 5 each) the next pass picks up; no notice is ever sent twice.
    await Promise.all(managers.map((m, i) => m.runRenewals({ workerId: `worker_${i}` })));
    for (const ws of workspaces) {
      const payments = await h.store.transaction({ workspaceId: ws }, (tx) => tx.payments.listByWorkspace(ws, { limit: 10 }));
      expect(payments.filter((p) => p.purpose === 'renewal')).toHaveLength(1);
    }
  });
});

describe('hooks run after commit and never undo billing state', () => {
  let h: BillingHarness;
  const errors: Array<{ obj: Record<string, unknown>; msg?: string }> = [];
  const logger = { debug() {}, info() {}, warn() {}, error: (obj: Record<string, unknown>, msg?: string) => errors.push({ obj, msg }) };
  beforeAll(async () => {
    h = await createBillingHarness('memory', {
      logger,
      hooks: {
        subscriptionActivated: () => {
          throw new Error('mailer down');
        },
        paymentCompleted: async () => {
          await Promise.reject(new Error('analytics down'));
        },
      },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a throwing or rejecting hook is logged and the payment and subscription stay committed', async () => {
    const session = await h.billing.createCheckout({ workspaceId: 'ws_hooks', userId: 'u', planId: 'pro', amount: 299_900, returnUrl: RETURN_URL });
    await h.emu.completeOrder(session.orderId);
    await h.emu.webhooks.idle();
    expect((await h.billing.getPayment(session.orderId))?.state).toBe('completed');
    expect((await h.billing.getSubscription('ws_hooks'))?.status).toBe('active');
    expect(h.webhookResults.at(-1)?.outcome).toBe('processed');
    expect(h.hookCalls.map((c) => c.name)).toEqual(['subscriptionActivated', 'paymentCompleted']);
    expect(errors.map((e) => [e.obj.hook, e.obj.err])).toEqual([
      ['subscriptionActivated', 'mailer down'],
      ['paymentCompleted', 'analytics down'],
    ]);
  });

  it('hooks see the committed state (they run after the transaction)', async () => {
    let seen: string | undefined;
    const hh = await createBillingHarness('memory', {
      hooks: {
        subscriptionActivated: async ({ subscription }) => {
          seen = (await hh.billing.getSubscription(subscription.workspaceId))?.status;
        },
      },
    });
    try {
      const session = await hh.billing.createCheckout({ workspaceId: 'ws_after', userId: 'u', planId: 'pro', amount: 299_900, returnUrl: RETURN_URL });
      await hh.emu.completeOrder(session.orderId);
      await hh.emu.webhooks.idle();
      expect(seen).toBe('active');
    } finally {
      await hh.close();
    }
  });
});
