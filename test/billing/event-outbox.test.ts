import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BillingHooks } from '../../src/billing/billing-hooks.js';
import type { SubscriptionManager } from '../../src/billing/subscription-manager.js';
import { createManualClock } from '../../src/common/clock.js';
import { createPgStore, type KyselyStore } from '../../src/storage/kysely/index.js';
import type { OutboxEventRecord } from '../../src/storage/records.js';
import { startPhonePeEmulator, type PhonePeEmulator } from '../../src/testing/index.js';
import { launch } from '../reliability/support/app-process.js';
import { databaseUrl, requireDependency } from '../support/environment.js';
import { createMigratedTempDatabase, type TempDatabase } from '../support/temp-database.js';
import { BACKENDS, RETURN_URL, START, useBillingHarness, type BillingHarness } from './support/billing-harness.js';
import { CRASH_PLAN, crashTestManager } from './support/outbox-crash-wiring.js';
import { subscribe } from './support/subscribe.js';

const SYSTEM = { system: true } as const;
const SECOND = 1000;

/** The outbox rows of a workspace, oldest first (read through the store port). */
async function outboxOf(h: BillingHarness, workspaceId: string): Promise<OutboxEventRecord[]> {
  const all: OutboxEventRecord[] = [];
  // The port lists dead events only; the rows are read by id from what the hooks saw and what is dead.
  for (const call of h.hookCalls)
    if (call.event.eventId) {
      const row = await h.store.transaction(SYSTEM, (tx) => tx.outbox.get(call.event.eventId));
      if (row && row.workspaceId === workspaceId && !all.some((r) => r.id === row.id)) all.push(row);
    }
  return all.sort((a, b) => a.sequence - b.sequence);
}

describe.each(BACKENDS)('billing events through the outbox (%s)', (backend) => {
  describe('delivered in-process after the commit', () => {
    const h = useBillingHarness(backend);

    it('hands every hook its event with the eventId of its outbox row, delivered once, in order', async () => {
      await subscribe(h, 'ws_out_1');
      const calls = h.hookCalls.filter(
        (c) => c.event.payment?.workspaceId === 'ws_out_1' || c.event.subscription?.workspaceId === 'ws_out_1',
      );
      expect(calls.map((c) => c.name)).toEqual(['subscriptionActivated', 'paymentCompleted']);
      const rows = await outboxOf(h, 'ws_out_1');
      expect(rows.map((r) => [r.event, r.status, r.attempts])).toEqual([
        ['subscriptionActivated', 'delivered', 1],
        ['paymentCompleted', 'delivered', 1],
      ]);
      expect(calls.map((c) => c.event.eventId)).toEqual(rows.map((r) => r.id));
      // The hook gets the stored payload plus its id: epoch-ms numbers, the records as committed.
      expect(calls[1]!.event).toEqual({ ...rows[1]!.payload, eventId: rows[1]!.id });
      expect(calls[1]!.event.payment.state).toBe('completed');
      // Nothing left to deliver.
      expect(await h.billing.dispatchEvents()).toMatchObject({ claimed: 0 });
    });

    it('writes quotaWarning (a metered call, outside any transaction) to the outbox too', async () => {
      await subscribe(h, 'ws_out_q', 'starter');
      await h.billing.recordUsage('ws_out_q', 'projects', 4);
      const warning = h.hookCalls.find((c) => c.name === 'quotaWarning' && c.event.workspaceId === 'ws_out_q');
      expect(warning?.event).toMatchObject({ threshold: 80, current: 4, limit: 5, eventId: expect.any(String) });
      const row = await h.store.transaction(SYSTEM, (tx) => tx.outbox.get(warning!.event.eventId));
      expect(row).toMatchObject({ event: 'quotaWarning', workspaceId: 'ws_out_q', status: 'delivered' });
    });
  });

  describe('a failing hook', () => {
    const failing = { paymentCompleted: true };
    const h = useBillingHarness(backend, {
      config: { outbox: { maxAttempts: 3, backoffBaseMs: 10 * SECOND } },
      hooks: {
        paymentCompleted: () => {
          if (failing.paymentCompleted) throw new Error('mailer down');
        },
      },
    });

    it('is retried with backoff, holds back the later events of its workspace, and is dead after maxAttempts', async () => {
      // A second payment of the same workspace later writes more events behind the failing one.
      await subscribe(h, 'ws_out_f');
      expect((await h.billing.getSubscription('ws_out_f'))?.status).toBe('active');
      const completed = h.hookCalls.filter((c) => c.name === 'paymentCompleted');
      expect(completed).toHaveLength(1);
      const eventId = completed[0]!.event.eventId as string;
      const row = () => h.store.transaction(SYSTEM, (tx) => tx.outbox.get(eventId));
      expect(await row()).toMatchObject({
        status: 'pending',
        attempts: 1,
        lastError: 'mailer down',
        nextAttemptAt: h.clock.now() + 10 * SECOND,
        lockedBy: null,
      });

      // A later event of the workspace waits behind it: cancelling writes subscriptionCancelled.
      await h.billing.cancel('ws_out_f', { reason: 'too dear' });
      expect(h.hookCalls.some((c) => c.name === 'subscriptionCancelled')).toBe(false);

      // Not due yet: nothing is claimed.
      expect(await h.billing.dispatchEvents()).toMatchObject({ claimed: 0 });
      h.clock.advance(10 * SECOND);
      expect(await h.billing.dispatchEvents()).toMatchObject({ claimed: 2, retried: 1, deferred: 1 });
      expect(await row()).toMatchObject({ attempts: 2, nextAttemptAt: h.clock.now() + 20 * SECOND });
      h.clock.advance(20 * SECOND);
      expect(await h.billing.dispatchEvents()).toMatchObject({ claimed: 2, dead: 1, delivered: 1 });
      expect(await row()).toMatchObject({ status: 'dead', attempts: 3 });
      // Dead, it no longer holds the workspace back: the cancellation was delivered after it.
      expect(h.hookCalls.map((c) => c.name).slice(-4)).toEqual([
        'paymentCompleted',
        'paymentCompleted',
        'paymentCompleted',
        'subscriptionCancelled',
      ]);
      expect(new Set(h.hookCalls.filter((c) => c.name === 'paymentCompleted').map((c) => c.event.eventId))).toEqual(
        new Set([eventId]),
      );
      // Billing state never moved back.
      expect((await h.billing.getPayment(completed[0]!.event.payment.merchantOrderId))?.state).toBe('completed');
    });

    it('is listed as dead and, replayed, delivered by the next dispatch with the same eventId', async () => {
      const dead = await h.billing.listDeadEvents();
      expect(dead.map((e) => e.event)).toEqual(['paymentCompleted']);
      await expect(h.billing.replayEvent('evt_unknown')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      failing.paymentCompleted = false;
      expect(await h.billing.replayEvent(dead[0]!.id)).toMatchObject({ status: 'pending', attempts: 0 });
      await expect(h.billing.replayEvent(dead[0]!.id)).rejects.toThrow(/pending, not dead/);
      expect(await h.billing.dispatchEvents()).toMatchObject({ claimed: 1, delivered: 1 });
      expect(h.hookCalls.at(-1)).toMatchObject({ name: 'paymentCompleted', event: { eventId: dead[0]!.id } });
      expect(await h.billing.listDeadEvents()).toEqual([]);
      expect(await h.billing.eventCounts()).toMatchObject({ pending: 0, dead: 0 });
    });
  });

  describe('a hook that runs longer than the lease', () => {
    const h = useBillingHarness(backend, { config: { outbox: { leaseMs: 1000 } } });

    it('is not delivered again by another process while it still runs', async () => {
      await h.store.transaction(SYSTEM, (tx) =>
        tx.outbox.append([
          {
            id: 'evt_slow_1',
            workspaceId: 'ws_slow',
            event: 'anomaly',
            payload: { kind: 'late_payment', detail: 'slow', workspaceId: 'ws_slow', subjectId: null },
            now: h.clock.now(),
          },
        ]),
      );
      let release = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const started: string[] = [];
      const a = await h.anotherManager({
        hooks: {
          anomaly: async ({ eventId }) => {
            started.push(`a:${eventId}`);
            await gate;
          },
        },
      });
      const b = await h.anotherManager({ hooks: { anomaly: ({ eventId }) => void started.push(`b:${eventId}`) } });
      const first = a.dispatchEvents();
      await vi.waitFor(() => expect(started).toEqual(['a:evt_slow_1']));
      // The hook is still running when its lease would have ended (on the clock, and in real time long
      // enough for the dispatcher to renew it): the other process must not take the event.
      h.clock.advance(1001);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const second = await b.dispatchEvents();
      release();
      expect(await first).toMatchObject({ claimed: 1, delivered: 1 });
      expect(second).toMatchObject({ claimed: 0 });
      expect(started).toEqual(['a:evt_slow_1']);
      expect(await h.store.transaction(SYSTEM, (tx) => tx.outbox.get('evt_slow_1'))).toMatchObject({
        status: 'delivered',
        attempts: 1,
      });
    });
  });

  describe('a hook whose error message is long', () => {
    const h = useBillingHarness(backend);

    it('records the failed attempt even when the cut falls inside a surrogate pair', async () => {
      await h.store.transaction(SYSTEM, (tx) =>
        tx.outbox.append([
          {
            id: 'evt_long_err',
            workspaceId: 'ws_long_err',
            event: 'anomaly',
            payload: { kind: 'late_payment', detail: 'x', workspaceId: 'ws_long_err', subjectId: null },
            now: h.clock.now(),
          },
        ]),
      );
      // 499 characters, then an emoji (two UTF-16 units) across the 500-character cut of lastError.
      const message = `${'m'.repeat(499)}\u{1F600} and more`;
      const billing = await h.anotherManager({
        hooks: {
          anomaly: () => {
            throw new Error(message);
          },
        },
      });
      expect(await billing.dispatchEvents()).toMatchObject({ claimed: 1, retried: 1 });
      const row = await h.store.transaction(SYSTEM, (tx) => tx.outbox.get('evt_long_err'));
      expect(row).toMatchObject({ status: 'pending', attempts: 1, lockedBy: null });
      expect(row?.lastError?.startsWith('m'.repeat(499))).toBe(true);
    });
  });

  describe('left for dispatchEvents', () => {
    const h = useBillingHarness(backend, { config: { outbox: { deliverInProcess: false } } });

    it('stays pending after the commit when in-process delivery is off, until a dispatch delivers it', async () => {
      await subscribe(h, 'ws_out_d');
      expect(h.hookCalls).toEqual([]);
      expect(await h.billing.eventCounts()).toMatchObject({ pending: 2, due: 2, oldestPendingAt: h.clock.now() });
      expect(await h.billing.dispatchEvents({ limit: 10 })).toEqual({
        claimed: 2,
        delivered: 2,
        retried: 0,
        dead: 0,
        deferred: 0,
      });
      expect(h.hookCalls.map((c) => c.name)).toEqual(['subscriptionActivated', 'paymentCompleted']);
      await expect(h.billing.dispatchEvents({ limit: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    });

    it('two managers (two processes) dispatching at once never deliver one event twice, and keep each workspace in order', async () => {
      const workspaces = ['ws_c_1', 'ws_c_2', 'ws_c_3'];
      await h.store.transaction(SYSTEM, (tx) =>
        tx.outbox.append(
          Array.from({ length: 30 }, (_, i) => ({
            id: `evt_c_${String(i).padStart(2, '0')}`,
            workspaceId: workspaces[i % 3]!,
            event: 'anomaly',
            payload: { kind: 'late_payment', detail: `n=${i}`, workspaceId: workspaces[i % 3]!, subjectId: null },
            now: h.clock.now(),
          })),
        ),
      );
      const delivered: Array<{ by: string; eventId: string; workspaceId: string }> = [];
      const hooksOf = (by: string): BillingHooks => ({
        anomaly: async ({ eventId, workspaceId }) => {
          delivered.push({ by, eventId, workspaceId: workspaceId! });
          // Yield, so the other manager's claims interleave with this delivery.
          await new Promise((resolve) => setTimeout(resolve, 2));
        },
      });
      const managers: SubscriptionManager[] = [
        await h.anotherManager({ hooks: hooksOf('a') }),
        await h.anotherManager({ hooks: hooksOf('b') }),
      ];
      const drain = async (billing: SubscriptionManager) => {
        for (let pass = 0; pass < 100; pass += 1) {
          const result = await billing.dispatchEvents({ limit: 2 });
          if (result.claimed === 0 && (await billing.eventCounts()).pending === 0) return;
        }
      };
      await Promise.all(managers.map(drain));
      const ids = delivered.map((d) => d.eventId);
      // Both took part: the claims really interleaved.
      expect(new Set(delivered.map((d) => d.by))).toEqual(new Set(['a', 'b']));
      expect(new Set(ids).size).toBe(30);
      expect(ids).toHaveLength(30);
      for (const ws of workspaces) {
        const order = delivered.filter((d) => d.workspaceId === ws).map((d) => d.eventId);
        expect(order).toEqual([...order].sort());
      }
    });
  });
});

// The crash the outbox exists for: a host process commits a payment completion and is killed with
// SIGKILL before any hook has run. The events are in the outbox, leased by the dead process; once the
// lease ends another process's dispatchEvents delivers them, with the eventId the dead process had.
const hasDb = requireDependency(
  databaseUrl,
  'PostgreSQL (DATABASE_URL)',
  'set DATABASE_URL=postgres://postgres@127.0.0.1:5432/phonepe_billing_test',
);

describe.skipIf(!hasDb)('a process killed between commit and delivery (real PostgreSQL)', { timeout: 60_000 }, () => {
  let temp: TempDatabase;
  let emu: PhonePeEmulator;
  let store: KyselyStore;
  const clock = createManualClock(START);
  const seen: Array<{ name: string; eventId: string; state?: string }> = [];

  beforeAll(async () => {
    temp = await createMigratedTempDatabase(databaseUrl!);
    store = await createPgStore({ connectionString: temp.url, max: 2 });
    emu = await startPhonePeEmulator({ clock });
  });
  afterAll(async () => {
    await emu?.close();
    await store?.close();
    await temp?.drop();
  });

  it('delivers the committed payment completion afterwards, with the same eventId', async () => {
    const billing = crashTestManager({
      store,
      clock,
      baseUrls: emu.baseUrls,
      hooks: {
        paymentCompleted: ({ eventId, payment }) =>
          void seen.push({ name: 'paymentCompleted', eventId, state: payment.state }),
        subscriptionActivated: ({ eventId }) => void seen.push({ name: 'subscriptionActivated', eventId }),
      },
    });
    await billing.syncPlans();
    const session = await billing.createCheckout({
      workspaceId: 'ws_crash',
      userId: 'u',
      planId: CRASH_PLAN.id,
      amount: CRASH_PLAN.price,
      returnUrl: RETURN_URL,
    });
    await emu.completeOrder(session.orderId);

    const child = launch(
      {
        DATABASE_URL: temp.url,
        PHONEPE_PG_URL: emu.baseUrls.pg,
        PHONEPE_OAUTH_URL: emu.baseUrls.oauth,
        ORDER_ID: session.orderId,
        NOW: String(clock.now()),
      },
      new URL('./support/outbox-crash-child.ts', import.meta.url).pathname,
    );
    const exit = await child.exited;
    expect(exit.signal, exit.stderr).toBe('SIGKILL');
    const [, hookName, firstEventId] = /hook (\w+) (\S+)/.exec(exit.stdout) ?? [];
    expect(hookName).toBe('subscriptionActivated');

    // The child committed: the payment is settled and both events are in the outbox, undelivered.
    expect((await billing.getPayment(session.orderId))?.state).toBe('completed');
    expect(seen).toEqual([]);
    const counts = await billing.eventCounts();
    expect(counts).toMatchObject({ pending: 2, delivered: 0 });
    // Its lease holds them for a while (config.outbox.leaseMs): no double delivery meanwhile.
    expect(await billing.dispatchEvents()).toMatchObject({ claimed: 0 });

    clock.advance(billing.config.outbox.leaseMs);
    expect(await billing.dispatchEvents()).toMatchObject({ claimed: 2, delivered: 2 });
    expect(seen.map((s) => s.name)).toEqual(['subscriptionActivated', 'paymentCompleted']);
    expect(seen[0]!.eventId).toBe(firstEventId);
    expect(seen[1]).toMatchObject({ state: 'completed' });
    const row = await store.transaction(SYSTEM, (tx) => tx.outbox.get(seen[1]!.eventId));
    // Two attempts: the dead process's, then this one.
    expect(row).toMatchObject({ status: 'delivered', attempts: 2, workspaceId: 'ws_crash' });
    expect(await billing.eventCounts()).toMatchObject({ pending: 0, delivered: 2 });
  });
});
