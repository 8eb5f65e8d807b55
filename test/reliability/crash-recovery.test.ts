import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock, type ManualClock } from '../../src/common/clock.js';
import type { PaymentRecord } from '../../src/storage/records.js';
import { createPgStore, migrateToLatest, type KyselyStore } from '../../src/storage/kysely/index.js';
import {
  defaultEmulatorWebhookCredentials,
  startPhonePeEmulator,
  type PhonePeEmulator,
} from '../../src/testing/index.js';
import { ApiClient, fetchCaller, type HttpResult } from '../http/support/api-client.js';
import { databaseUrl, requireDependency } from '../support/environment.js';
import { createTempDatabase, type TempDatabase } from '../support/temp-database.js';
import {
  freePort,
  runRenewProcess,
  startAppProcess,
  type AppProcess,
  type ProcessExit,
} from './support/app-process.js';
import type { CrashPoint } from './support/crash-points.js';
import { recordFigures } from './support/figures.js';
import { HOST_PLANS, HOST_RETURN_URL, hostManager } from './support/host-wiring.js';
import { expectBooksMatchPhonePe, invariantChecks, type Books } from './support/invariants.js';

// kill -9 of the app, or of a renewal worker, at the points where a crash can lose money: between our
// write and PhonePe's call, between PhonePe acting and its answer being stored, in the middle of webhook
// settlement, and between the pre-debit notice and the debit. The app is a real process (Hono on
// node:http, real PostgreSQL) killed by a hook in its own wiring (support/crash-app.ts); it is started
// again, the jobs run as the CLI runs them, the emulator redelivers webhooks, and the books must match
// PhonePe's ledger: completed here exactly when completed there, each period extended once, one notice
// and one debit per cycle.
const hasDb = requireDependency(
  databaseUrl,
  'PostgreSQL (DATABASE_URL)',
  'set DATABASE_URL=postgres://postgres@127.0.0.1:5432/phonepe_billing_test',
);
const START = Date.parse('2026-11-01T00:00:00.000Z');
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const price = (planId: string) => HOST_PLANS.find((p) => p.id === planId)!.price;
const points: Record<string, unknown> = {};

// Each test starts two to four processes: a generous cap for a loaded machine (not a time assertion).
describe.skipIf(!hasDb)(
  'crash recovery: the app or a renewal worker killed with SIGKILL, then started again',
  { timeout: 180_000 },
  () => {
    let temp: TempDatabase;
    let clock: ManualClock;
    let emu: PhonePeEmulator;
    let store: KyselyStore;
    let port: number;
    let env: Record<string, string>;

    beforeAll(async () => {
      temp = await createTempDatabase(databaseUrl!);
      const db = new Kysely<any>({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: temp.url, max: 1 }) }),
      });
      await migrateToLatest(db);
      await db.destroy();
      store = await createPgStore({ connectionString: temp.url, max: 4 });
      port = await freePort();
      clock = createManualClock(START);
      // PhonePe redelivers a webhook that got no 2xx; these delays outlast a restart of the app (a few s).
      const retry = { retries: 30, delaysMs: [100, 250, 500, 1_000] };
      emu = await startPhonePeEmulator({
        clock,
        webhook: { url: `http://127.0.0.1:${port}/v1/payments/webhook`, ...defaultEmulatorWebhookCredentials, retry },
      });
      env = {
        DATABASE_URL: temp.url,
        EMULATOR_URL: emu.url,
        PHONEPE_PG_URL: emu.baseUrls.pg,
        PHONEPE_OAUTH_URL: emu.baseUrls.oauth,
      };
    });
    afterAll(async () => {
      await emu?.close();
      await store?.close();
      await temp?.drop();
      recordFigures('crash-recovery', {
        crashesInjected: Object.keys(points).length,
        points,
        invariantChecksPassed: invariantChecks.passed,
      });
    });

    const start = (point?: CrashPoint) => startAppProcess(port, { ...env, CRASH_AT: point ?? '' });
    const renewProcess = (point?: CrashPoint) => runRenewProcess({ ...env, CRASH_AT: point ?? '' });
    const apiOf = (app: AppProcess) => new ApiClient(fetchCaller(app.origin), '/v1');
    const checkout = (
      app: AppProcess,
      ws: string,
      planId: string,
      extra: Record<string, unknown> = {},
      key = `key_${ws}`,
    ) =>
      apiOf(app).post('/payments/create', {
        tenant: ws,
        headers: { 'idempotency-key': key },
        json: { plan_id: planId, amount: (price(planId) / 100).toFixed(2), return_url: HOST_RETURN_URL, ...extra },
      });
    const paymentsOf = (ws: string): Promise<PaymentRecord[]> =>
      store.transaction({ workspaceId: ws }, (tx) => tx.payments.listByWorkspace(ws, { limit: 100 }));
    const subscriptionOf = (ws: string) =>
      store.transaction({ workspaceId: ws }, (tx) => tx.subscriptions.getLatest(ws));
    const redemptionsOf = (mandate: string) =>
      (
        emu.state().orders as Array<{
          kind: string;
          merchantOrderId: string;
          paymentDetails: unknown[];
          paymentFlow?: { merchantSubscriptionId?: string };
        }>
      ).filter((o) => o.kind === 'REDEMPTION' && o.paymentFlow?.merchantSubscriptionId === mandate);
    const ordersOf = (ids: string[]) =>
      (
        emu.state().orders as Array<{
          merchantOrderId: string;
          state: string;
          kind: string;
          paymentDetails: unknown[];
          merchantSubscriptionId?: string;
        }>
      ).filter((o) => ids.includes(o.merchantOrderId));

    /** `phonepe-billing reconcile` then `renew`, a minute later on the emulator's clock (their own pool, as the CLI has). */
    async function runJobs(): Promise<{ reconciled: number; renewed: number }> {
      await emu.advanceTime(MINUTE);
      const jobStore = await createPgStore({ connectionString: temp.url, max: 2 });
      try {
        const billing = hostManager({ store: jobStore, clock, baseUrls: emu.baseUrls });
        const reconciled = await billing.reconcile();
        const renewed = await billing.runRenewals();
        expect(reconciled.errors, JSON.stringify(reconciled.items)).toBe(0);
        expect(
          renewed.items.filter((i) => i.action === 'error'),
          JSON.stringify(renewed.items),
        ).toEqual([]);
        return { reconciled: reconciled.settled, renewed: renewed.claimed };
      } finally {
        await jobStore.close();
      }
    }

    /** The request the crash interrupted: no answer at all, and the process died of SIGKILL. */
    async function expectKilled(app: AppProcess, request: Promise<HttpResult>): Promise<ProcessExit> {
      await expect(request).rejects.toThrow();
      const exit = await app.exited;
      expect(exit.signal, exit.stderr).toBe('SIGKILL');
      return exit;
    }

    /** Each paid payment extended its subscription's period exactly once. */
    function expectGrants(books: Books, paidOrderIds: string[]): void {
      const paid = books.payments.filter((p) => paidOrderIds.includes(p.merchantOrderId));
      for (const payment of paid)
        expect(books.periodGrants.get(payment.id), `grants of ${payment.merchantOrderId}`).toBe(1);
    }

    function note(point: string, data: Record<string, unknown>): void {
      points[point] = data;
    }

    const deliveryAttempts = (orderId: string) =>
      emu.webhooks.deliveries.filter((d) => d.body.includes(orderId)).reduce((n, d) => n + d.attempts.length, 0);

    describe('the app process', () => {
      it('killed after the payment row is written, before PhonePe is called: the same Idempotency-Key submits the same order after the restart', async () => {
        const ws = 'ws_crash_before_create';
        const first = await start('checkout-before-phonepe');
        await expectKilled(first, checkout(first, ws, 'pro'));
        const [row] = await paymentsOf(ws);
        expect(row).toMatchObject({ state: 'created', attempts: 0 });
        expect(ordersOf([row!.merchantOrderId]), 'PhonePe never heard of it').toEqual([]);

        const app = await start();
        try {
          const jobs = await runJobs();
          expect(
            (await paymentsOf(ws)).map((p) => p.state),
            'not at PhonePe yet, not given up',
          ).toEqual(['created']);
          const retried = await checkout(app, ws, 'pro');
          expect(retried.status, retried.text).toBe(200);
          expect(retried.json.order_id).toBe(row!.merchantOrderId);
          expect(retried.json.payment_url).toContain('/transact/');
          await emu.completeOrder(row!.merchantOrderId);
          await emu.webhooks.idle();
          await runJobs();
          const books = await expectBooksMatchPhonePe({ store, emu }, [ws]);
          expect(books.payments.map((p) => p.state)).toEqual(['completed']);
          expectGrants(books, [row!.merchantOrderId]);
          expect(ordersOf([row!.merchantOrderId])).toHaveLength(1);
          expect((await subscriptionOf(ws))?.status).toBe('active');
          note('checkout-before-phonepe', {
            restarts: 1,
            reconcileSettledAfterRestart: jobs.reconciled,
            ordersAtPhonePe: 1,
            paymentsHere: books.payments.length,
          });
        } finally {
          await app.stop();
        }
      });

      it.each(['paid', 'unpaid'] as const)(
        'killed after PhonePe created the order, before its answer is stored (order %s at PhonePe): settled exactly as PhonePe settled it',
        async (outcome) => {
          const ws = `ws_crash_after_create_${outcome}`;
          const first = await start('checkout-after-phonepe');
          await expectKilled(first, checkout(first, ws, 'pro'));
          const [row] = await paymentsOf(ws);
          expect(row).toMatchObject({ state: 'created', paymentUrl: null });
          expect(ordersOf([row!.merchantOrderId]).map((o) => o.state)).toEqual(['PENDING']);
          // While the app is down PhonePe settles the order; its webhook finds nobody and is retried.
          if (outcome === 'paid') await emu.completeOrder(row!.merchantOrderId);
          else await emu.advanceTime(31 * MINUTE); // past expireAfter (1800 s): PhonePe fails the order

          const app = await start();
          try {
            await emu.webhooks.idle();
            const settledBy = (await paymentsOf(ws))[0]!.state === 'created' ? 'reconcile' : 'redelivered webhook';
            const jobs = await runJobs();
            // The client retries with its key: no second order, whatever the outcome.
            const retried = await checkout(app, ws, 'pro');
            expect([200, 502]).toContain(retried.status);
            await runJobs();
            const books = await expectBooksMatchPhonePe({ store, emu }, [ws]);
            expect(books.payments).toHaveLength(1);
            expect(ordersOf([row!.merchantOrderId])).toHaveLength(1);
            if (outcome === 'paid') {
              expect(books.payments[0]!.state).toBe('completed');
              expectGrants(books, [row!.merchantOrderId]);
              expect((await subscriptionOf(ws))?.status).toBe('active');
            } else {
              expect(books.payments[0]!.state).toMatch(/^(failed|expired)$/);
              expect(await subscriptionOf(ws)).toBeNull();
            }
            note(`checkout-after-phonepe (${outcome})`, {
              restarts: 1,
              webhookAttempts: deliveryAttempts(row!.merchantOrderId),
              reconcileSettledAfterRestart: jobs.reconciled,
              retryStatus: retried.status,
              paymentState: books.payments[0]!.state,
              settledBy,
            });
          } finally {
            await app.stop();
          }
        },
      );

      it.each(['webhook-recorded', 'webhook-settled'] as const)(
        'killed in the middle of webhook settlement (%s): the redelivered webhook settles it once',
        async (point) => {
          const ws = `ws_crash_${point.replace('-', '_')}`;
          const first = await start(point);
          const created = await checkout(first, ws, 'pro');
          expect(created.status, created.text).toBe(200);
          const orderId = created.json.order_id as string;
          await emu.completeOrder(orderId); // its webhook kills the app at the point
          const exit = await first.exited;
          expect(exit.signal, exit.stderr).toBe('SIGKILL');
          expect(exit.stderr).toContain(`SIGKILL at ${point}`);
          const [row] = await paymentsOf(ws);
          // The settlement and the "processed" mark commit together, so a kill at either point leaves it pending.
          expect(row!.state).toBe('pending');

          const app = await start();
          try {
            await emu.webhooks.idle();
            const delivery = emu.webhooks.deliveries.find(
              (d) => d.event === 'checkout.order.completed' && d.body.includes(orderId),
            )!;
            expect(delivery.status, 'PhonePe redelivered it after the restart').toBe('delivered');
            expect(
              (await paymentsOf(ws)).map((p) => p.state),
              'the redelivery itself settled it (before any job ran)',
            ).toEqual(['completed']);
            const jobs = await runJobs();
            const books = await expectBooksMatchPhonePe({ store, emu }, [ws]);
            expect(books.payments.map((p) => p.state)).toEqual(['completed']);
            expectGrants(books, [orderId]);
            const event = await store.transaction({ system: true }, (tx) =>
              tx.webhookEvents.get(`${delivery.event}:${orderId}:COMPLETED`),
            );
            expect(event?.status).toBe('processed');
            const audit = await store.transaction({ workspaceId: ws }, (tx) =>
              tx.audit.listByWorkspace(ws, { limit: 100 }),
            );
            expect(audit.filter((a) => a.action === 'subscription.activated')).toHaveLength(1);
            note(point, {
              restarts: 1,
              webhookAttempts: delivery.attempts.length,
              attemptStatuses: delivery.attempts.map((a) => a.status ?? 'no answer'),
              reconcileSettledAfterRestart: jobs.reconciled,
            });
          } finally {
            await app.stop();
          }
        },
      );
    });

    describe('a renewal worker process', () => {
      let app: AppProcess;
      beforeAll(async () => {
        app = await start();
      });
      afterAll(async () => {
        await app?.stop();
      });

      /** An active autopay subscription paid through the app, and its due date. */
      async function autopaySubscription(ws: string): Promise<{ due: number }> {
        const created = await checkout(app, ws, 'starter', { autopay: true });
        expect(created.status, created.text).toBe(200);
        await emu.completeOrder(created.json.order_id);
        await emu.webhooks.idle();
        const sub = await subscriptionOf(ws);
        expect(sub).toMatchObject({ status: 'active', renewalMode: 'autopay', mandateState: 'ACTIVE' });
        return { due: sub!.currentPeriodEnd };
      }

      const advanceTo = async (at: number) => void (at > clock.now() && (await emu.advanceTime(at - clock.now())));
      const renewalsOf = async (ws: string) => (await paymentsOf(ws)).filter((p) => p.purpose === 'renewal');
      const countCalls = (path: string) => emu.faults.add({ method: 'POST', path }); // a fault without an answer only counts
      const hits = (id: string) => emu.faults.list().find((f) => f.id === id)?.hits ?? 0;

      /** Finishes the cycle: after the crash, passes of `renew` (a restarted worker first, then the CLI) and PhonePe settling the debit. */
      async function finishCycle(
        ws: string,
        due: number,
        calls: { notify: string; redeem: string },
        point: CrashPoint,
      ): Promise<void> {
        for (let pass = 0; pass < 3; pass++) {
          await emu.advanceTime(20 * MINUTE); // past the dead worker's lease; the notice confirms meanwhile
          await emu.webhooks.idle();
          await runJobs();
        }
        await advanceTo(due);
        await runJobs();
        const [debit] = await renewalsOf(ws);
        const order = ordersOf([debit!.merchantOrderId])[0]!;
        if (order.state === 'PENDING') await emu.completeOrder(debit!.merchantOrderId);
        await emu.webhooks.idle();
        await runJobs();

        const books = await expectBooksMatchPhonePe({ store, emu }, [ws]);
        const renewals = books.payments.filter((p) => p.purpose === 'renewal');
        expect(
          renewals.map((p) => p.state),
          'one renewal debit, completed',
        ).toEqual(['completed']);
        expectGrants(
          books,
          renewals.map((p) => p.merchantOrderId),
        );
        const sub = (await subscriptionOf(ws))!;
        const redemptions = redemptionsOf(sub.merchantSubscriptionId!);
        expect(
          redemptions.map((o) => o.merchantOrderId),
          'one pre-debit notice (one redemption order) for the mandate at PhonePe',
        ).toEqual([renewals[0]!.merchantOrderId]);
        expect(redemptions[0]!.paymentDetails, 'one debit at PhonePe').toHaveLength(1);
        expect(hits(calls.notify), 'the payer was notified once').toBe(1);
        expect(sub.currentPeriodStart, 'the period was extended once, to the next cycle').toBe(due);
        expect(sub.status).toBe('active');
        note(point, {
          notifyCalls: hits(calls.notify),
          redeemCalls: hits(calls.redeem),
          debitsAtPhonePe: redemptions[0]!.paymentDetails.length,
          renewalPayments: renewals.length,
        });
        emu.faults.remove(calls.notify);
        emu.faults.remove(calls.redeem);
        // Ends the subscription now, so later scenarios' passes do not renew it again.
        const cancelled = await apiOf(app).put('/subscriptions/cancel', { tenant: ws, json: { at_period_end: false } });
        expect(cancelled.status, cancelled.text).toBe(200);
      }

      it('killed after PhonePe accepted the pre-debit notice, before the answer is stored: no second notice, one debit', async () => {
        const ws = 'ws_crash_after_notice';
        const { due } = await autopaySubscription(ws);
        const calls = {
          notify: countCalls('/checkout/v2/subscriptions/notify').id,
          redeem: countCalls('/checkout/v2/subscriptions/redeem').id,
        };
        await advanceTo(due - 2 * DAY);
        // PhonePe's subscription.notification.completed would move the row on its own (the app settles it),
        // racing this check: hold webhooks until the crash's own effect is seen.
        emu.webhooks.hold();
        const killed = await renewProcess('renewal-after-notice');
        expect(killed.signal, killed.stderr).toBe('SIGKILL');
        const [debit] = await renewalsOf(ws);
        expect(debit!.state, 'the notice answer never got stored').toBe('created');
        expect(hits(calls.notify)).toBe(1);
        await emu.webhooks.release();
        await emu.advanceTime(6 * MINUTE); // the dead worker's 5-minute lease runs out
        const restarted = await renewProcess();
        expect(restarted.code, restarted.stderr).toBe(0);
        await finishCycle(ws, due, calls, 'renewal-after-notice');
      });

      it.each(['renewal-before-redeem', 'renewal-after-redeem'] as const)(
        'killed at the debit (%s): the debit happens once and renews the period once',
        async (point) => {
          const ws = `ws_crash_${point.replaceAll('-', '_')}`;
          const { due } = await autopaySubscription(ws);
          const calls = {
            notify: countCalls('/checkout/v2/subscriptions/notify').id,
            redeem: countCalls('/checkout/v2/subscriptions/redeem').id,
          };
          await advanceTo(due - 2 * DAY);
          await runJobs(); // the notice
          await emu.advanceTime(20 * MINUTE);
          await emu.webhooks.idle();
          await runJobs();
          expect((await renewalsOf(ws)).map((p) => p.state)).toEqual(['pending']);
          await advanceTo(due);
          const killed = await renewProcess(point);
          expect(killed.signal, killed.stderr).toBe('SIGKILL');
          const [debit] = await renewalsOf(ws);
          expect(debit).toMatchObject({ state: 'pending', phonepeTransactionId: null, attempts: 1 });
          expect(ordersOf([debit!.merchantOrderId])[0]!.paymentDetails).toHaveLength(
            point === 'renewal-after-redeem' ? 1 : 0,
          );
          await emu.advanceTime(6 * MINUTE);
          const restarted = await renewProcess();
          expect(restarted.code, restarted.stderr).toBe(0);
          await finishCycle(ws, due, calls, point);
        },
      );
    });
  },
);
