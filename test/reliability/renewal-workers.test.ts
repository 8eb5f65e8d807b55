import { describe, expect, it } from 'vitest';
import type { SubscriptionManager } from '../../src/billing/subscription-manager.js';
import type { RenewalRunResult } from '../../src/billing/renewals.js';
import type { PaymentRecord } from '../../src/storage/records.js';
import { DAY, useBillingHarness, type BillingHarness } from '../billing/support/billing-harness.js';
import { subscribe } from '../billing/support/subscribe.js';
import { databaseUrl, requireDependency } from '../support/environment.js';
import { percentile } from './support/adapter-servers.js';
import { recordFigures } from './support/figures.js';
import { expectBooksMatchPhonePe } from './support/invariants.js';
import { sized } from './support/reliability-size.js';

// Several renewal workers (`phonepe-billing renew` on several machines) run at once, each with its own
// connection pool on one PostgreSQL database, over many subscriptions falling due together: autopay ones
// go notice → 24 h → debit, manual ones get a reminder with a renewal checkout. Every subscription must be
// renewed exactly once, with one notice and one debit per cycle at PhonePe, and the books must match.
const hasDb = requireDependency(
  databaseUrl,
  'PostgreSQL (DATABASE_URL)',
  'set DATABASE_URL=postgres://postgres@127.0.0.1:5432/phonepe_billing_test',
);
const WORKERS = 4;
const PER_KIND = sized(40, 400);
const LIMIT = 4; // small batches, so the workers share the work and contend for the same rows
const MINUTE = 60_000;

describe.skipIf(!hasDb)(
  `${WORKERS} renewal workers on separate pools, ${PER_KIND} autopay + ${PER_KIND} manual subscriptions`,
  () => {
    const h = useBillingHarness('postgres');

    it(
      'renews every subscription exactly once: one notice and one debit per autopay cycle, one renewal checkout per manual one',
      async () => {
        const autopay = Array.from({ length: PER_KIND }, (_, i) => `ws_auto_${i}`);
        const manual = Array.from({ length: PER_KIND }, (_, i) => `ws_manual_${i}`);
        await inBatches(autopay, (ws) => subscribe(h, ws, 'starter', { autopay: true }));
        await inBatches(manual, (ws) => subscribe(h, ws, 'pro'));
        const due = (await h.billing.getSubscription(autopay[0]!))!.currentPeriodEnd;
        const workers = [
          h.billing,
          ...(await Promise.all(Array.from({ length: WORKERS - 1 }, () => h.anotherManager()))),
        ];
        const calls = {
          notify: countCalls(h, '/checkout/v2/subscriptions/notify'),
          redeem: countCalls(h, '/checkout/v2/subscriptions/redeem'),
          pay: countCalls(h, '/checkout/v2/pay'),
        };
        const passes: PassFigures[] = [];
        const runAll = async (label: string) => passes.push(await runConcurrently(workers, label));

        // Manual subscriptions: reminder + renewal checkout three days ahead; their payers pay.
        await advanceTo(h, due - 3 * DAY);
        await runAll('reminders');
        for (const ws of manual) {
          const [checkout] = await renewalsOf(h, ws);
          expect(checkout, `renewal checkout of ${ws}`).toMatchObject({ state: 'pending', method: 'checkout' });
          await h.emu.completeOrder(checkout!.merchantOrderId);
        }
        await h.emu.webhooks.idle();

        // Autopay: the pre-debit notice two days ahead, confirmed by PhonePe; the debit at the due date.
        await advanceTo(h, due - 2 * DAY);
        await runAll('notices');
        await h.emu.advanceTime(20 * MINUTE);
        await h.emu.webhooks.idle();
        await runAll('notice checks');
        await advanceTo(h, due);
        await runAll('debits');
        for (const ws of autopay) {
          const [debit] = await renewalsOf(h, ws);
          expect(debit, `debit of ${ws}`).toMatchObject({ state: 'pending', method: 'autopay_redemption' });
          await h.emu.completeOrder(debit!.merchantOrderId);
        }
        await h.emu.webhooks.idle();
        await h.emu.advanceTime(20 * MINUTE);
        await runAll('after settlement');

        const all = [...autopay, ...manual];
        const books = await expectBooksMatchPhonePe(h, all);
        const renewals = books.payments.filter((p) => p.purpose === 'renewal');
        expect(renewals, 'one renewal payment per subscription').toHaveLength(all.length);
        expect(renewals.every((p) => p.state === 'completed')).toBe(true);
        for (const p of renewals) expect(books.periodGrants.get(p.id), `period grants of ${p.merchantOrderId}`).toBe(1);
        for (const sub of books.subscriptions) {
          expect([sub.workspaceId, sub.status, sub.currentPeriodStart]).toEqual([sub.workspaceId, 'active', due]);
        }
        const redemptions = (
          h.emu.state().orders as Array<{
            kind: string;
            merchantOrderId: string;
            paymentDetails: unknown[];
            paymentFlow?: { merchantSubscriptionId?: string };
          }>
        ).filter((o) => o.kind === 'REDEMPTION');
        const mandates = books.subscriptions
          .filter((s) => s.renewalMode === 'autopay')
          .map((s) => s.merchantSubscriptionId)
          .sort();
        expect(mandates).toHaveLength(autopay.length);
        expect(
          redemptions.map((o) => o.paymentFlow?.merchantSubscriptionId).sort(),
          'one pre-debit notice per mandate',
        ).toEqual(mandates);
        expect(
          redemptions.every((o) => o.paymentDetails.length === 1),
          'one debit per notice',
        ).toBe(true);
        expect(hits(h, calls.notify)).toBe(autopay.length);
        expect(hits(h, calls.redeem)).toBe(autopay.length);
        expect(hits(h, calls.pay), 'one renewal checkout per manual subscription').toBe(manual.length);
        for (const ws of manual) {
          const audit = await h.store.transaction({ workspaceId: ws }, (tx) =>
            tx.audit.listByWorkspace(ws, { limit: 100 }),
          );
          expect(
            audit.filter((a) => a.action === 'subscription.renewal_reminder'),
            `reminders of ${ws}`,
          ).toHaveLength(1);
        }

        const claimsPerWorker = Array.from({ length: WORKERS }, (_, i) =>
          passes.reduce((n, p) => n + (p.claimsPerWorker[i] ?? 0), 0),
        );
        expect(claimsPerWorker.filter((n) => n > 0).length, 'the work was shared').toBeGreaterThan(1);
        recordFigures('renewal-workers', {
          workers: WORKERS,
          autopaySubscriptions: autopay.length,
          manualSubscriptions: manual.length,
          notifyCalls: hits(h, calls.notify),
          redeemCalls: hits(h, calls.redeem),
          renewalCheckouts: hits(h, calls.pay),
          renewalsCompleted: renewals.length,
          claimsPerWorker,
          passes: passes.map(({ claimsPerWorker: _ignored, ...rest }) => rest),
        });
      },
      sized(5, 60) * 60_000,
    ); // a cap for a stuck run, not a time assertion
  },
);

interface PassFigures {
  label: string;
  rounds: number;
  claims: number;
  claimsPerWorker: number[];
  actions: Record<string, number>;
  roundP50Ms: number;
  roundMaxMs: number;
}

/**
 * Every worker runs `runRenewals` at the same moment, round after round, until a round claims nothing.
 * A subscription claimed twice in one round would be the bug this file is about.
 */
async function runConcurrently(workers: SubscriptionManager[], label: string): Promise<PassFigures> {
  const figures: PassFigures = {
    label,
    rounds: 0,
    claims: 0,
    claimsPerWorker: workers.map(() => 0),
    actions: {},
    roundP50Ms: 0,
    roundMaxMs: 0,
  };
  const roundMs: number[] = [];
  for (let round = 0; round < 200; round++) {
    const started = performance.now();
    const results: RenewalRunResult[] = await Promise.all(
      workers.map((w, i) => w.runRenewals({ workerId: `worker_${i}`, limit: LIMIT })),
    );
    roundMs.push(performance.now() - started);
    const worked = results.flatMap((r) => r.items.map((item) => item.subscriptionId));
    expect(new Set(worked).size, `round ${round} of ${label}: no subscription worked by two workers`).toBe(
      worked.length,
    );
    const errors = results.flatMap((r) => r.items.filter((item) => item.action === 'error'));
    expect(errors, `${label}: no step failed`).toEqual([]);
    figures.rounds += 1;
    results.forEach((r, i) => (figures.claimsPerWorker[i]! += r.claimed));
    for (const item of results.flatMap((r) => r.items))
      figures.actions[item.action] = (figures.actions[item.action] ?? 0) + 1;
    const claimed = results.reduce((n, r) => n + r.claimed, 0);
    figures.claims += claimed;
    if (claimed === 0) break;
  }
  figures.roundP50Ms = percentile(roundMs, 50);
  figures.roundMaxMs = percentile(roundMs, 100);
  return figures;
}

/** Sets the subscriptions up a few at a time (set-up only: the scenario itself is the concurrent renewal). */
async function inBatches(items: string[], run: (item: string) => Promise<unknown>, size = 8): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

async function advanceTo(h: BillingHarness, at: number): Promise<void> {
  if (at > h.clock.now()) await h.emu.advanceTime(at - h.clock.now());
}

async function renewalsOf(h: BillingHarness, ws: string): Promise<PaymentRecord[]> {
  const payments = await h.store.transaction({ workspaceId: ws }, (tx) =>
    tx.payments.listByWorkspace(ws, { limit: 20 }),
  );
  return payments.filter((p) => p.purpose === 'renewal');
}

/** A fault without an answer only counts the calls that match it. */
function countCalls(h: BillingHarness, path: string): string {
  return h.emu.faults.add({ method: 'POST', path }).id;
}

function hits(h: BillingHarness, id: string): number {
  return h.emu.faults.list().find((f) => f.id === id)?.hits ?? 0;
}
