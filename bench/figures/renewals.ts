import { fork, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createManualClock } from '../../src/common/clock.js';
import { startPhonePeEmulator, type PhonePeEmulator } from '../../src/testing/index.js';
import type { WorkerCommand, WorkerReply } from '../processes/renewal-worker.js';
import { openBillingStack, PLANS } from '../support/billing-stack.js';
import { childExecArgv } from '../support/child-exec-argv.js';
import { runConcurrent } from '../support/concurrency.js';
import type { BenchContext } from '../support/context.js';
import { size } from '../support/options.js';
import { atLeast, formatNumber, formatRatioValue, pairedRow, valueRow, type FigureResult } from '../support/report.js';
import { alternate } from '../support/rounds.js';

const DAY = 24 * 60 * 60 * 1000;
const MINUTE = 60 * 1000;
const START = Date.parse('2026-01-01T00:00:00.000Z');
/** PhonePe's latency on every call while renewals run (an emulator delay fault). */
const LATENCY_MS = 80;
/** The calls the autopay protocol needs per renewal: the pre-debit notice and the redeem. */
const PROTOCOL_MINIMUM_CALLS = 2;
const WORKER = fileURLToPath(new URL('../processes/renewal-worker.ts', import.meta.url));

type Done = Extract<WorkerReply, { type: 'done' }>;

/** A worker process and a way to ask it for one phase. */
interface Worker {
  child: ChildProcess;
  phase(now: number): Promise<Done>;
}

async function startWorker(databaseUrl: string, phonepeBaseUrl: string, workerId: string): Promise<Worker> {
  const child = fork(WORKER, [databaseUrl, phonepeBaseUrl, workerId, String(START)], {
    execArgv: childExecArgv(),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const replies: Array<(reply: WorkerReply) => void> = [];
  child.on('message', (reply: WorkerReply) => replies.shift()?.(reply));
  // A worker that dies fails whatever waits on it, instead of leaving the bench waiting forever.
  child.on('exit', (code) => {
    for (const reply of replies.splice(0))
      reply({ type: 'failed', message: `the worker process exited with code ${code}` });
  });
  const next = () =>
    new Promise<WorkerReply>((resolve) =>
      child.exitCode !== null
        ? resolve({ type: 'failed', message: `the worker process exited with code ${child.exitCode}` })
        : replies.push(resolve),
    );
  const ready = await next();
  if (ready.type !== 'ready') throw new Error(`renewal worker ${workerId} did not start: ${JSON.stringify(ready)}`);
  return {
    child,
    async phase(now) {
      const reply = next();
      child.send({ type: 'run', now } satisfies WorkerCommand);
      const done = await reply;
      if (done.type !== 'done')
        throw new Error(
          `renewal worker ${workerId} failed: ${done.type === 'failed' ? done.message : JSON.stringify(done)}`,
        );
      return done;
    },
  };
}

/** Completed redemptions per mandate in the emulator beyond one per renewal cycle run: money taken twice. */
function doubleCharges(emu: PhonePeEmulator, cycles: number): number {
  const completed = new Map<string, number>();
  for (const order of (emu.state().orders ?? []) as Array<Record<string, unknown>>) {
    if (order.kind !== 'REDEMPTION' || order.state !== 'COMPLETED') continue;
    const mandate = (order.paymentFlow as { merchantSubscriptionId?: string } | undefined)?.merchantSubscriptionId;
    if (!mandate) throw new Error(`redemption ${String(order.merchantOrderId)} names no mandate`);
    completed.set(mandate, (completed.get(mandate) ?? 0) + 1);
  }
  let extra = 0;
  for (const count of completed.values()) extra += Math.max(0, count - cycles);
  return extra;
}

/**
 * Autopay renewals with PhonePe at 80 ms: `n` subscriptions on UPI autopay, each cycle taken through
 * its four worker phases (notice, notice confirmed, debit, debit confirmed) by 1 worker process or
 * by 4, alternating; statements, PhonePe calls and double charges counted.
 */
export async function renewalFigures(ctx: BenchContext): Promise<FigureResult> {
  // A database of its own: workers claim every due subscription, the other figures' too.
  const databaseUrl = await ctx.database('renewals');
  const n = size(ctx.options, { quick: 4, full: 24 });
  const rounds = size(ctx.options, { quick: 1, full: 3 });
  const clock = createManualClock(START);
  const emu = await startPhonePeEmulator({ clock, outcome: 'success' });
  // The worker processes start (slowly: a Node process each) while the subscriptions are set up.
  const starting = Promise.all([0, 1, 2, 3].map((w) => startWorker(databaseUrl, emu.baseUrls.pg, `bench_worker_${w}`)));
  starting.catch(() => {});
  const setup = await openBillingStack({ databaseUrl, phonepeBaseUrl: emu.baseUrls.pg, clock });
  const workers: Worker[] = [];
  try {
    // n workspaces subscribe with autopay at START (the emulator completes the setup order at once).
    const plan = PLANS[0]!;
    await runConcurrent(n, 8, async (i) => {
      const checkout = await setup.billing.createCheckout({
        workspaceId: `ws_renew_${i}`,
        userId: 'u_bench',
        planId: plan.id,
        amount: plan.price,
        returnUrl: 'https://app.example.com/billing',
        autopay: true,
      });
      const settled = await setup.billing.refreshPayment(checkout.orderId);
      if (settled.payment?.state !== 'completed' || settled.subscription?.renewalMode !== 'autopay') {
        throw new Error(
          `autopay subscription ${i} was not set up: payment ${settled.payment?.state}, renewal mode ${settled.subscription?.renewalMode}`,
        );
      }
    });
    workers.push(...(await starting));

    let cycles = 0;
    const totals = { renewals: 0, statements: 0, transactions: 0, calls: 0, tokenCalls: 0 };
    const maxInFlightOne: number[] = [];
    const errors: string[] = [];
    /** One renewal cycle of every subscription by the first `count` workers; renewals per second. */
    const cycle = async (count: number): Promise<number> => {
      const due = await nextDue(setup, n);
      const phases = [due - 2 * DAY, due - 2 * DAY + 20 * MINUTE, due, due + 20 * MINUTE];
      let busyMs = 0;
      let renewed = 0;
      let maxInFlight = 0;
      const fault = emu.faults.add({ path: '/**', delayMs: LATENCY_MS });
      try {
        for (const at of phases) {
          clock.set(at);
          const started = performance.now();
          const done = await Promise.all(workers.slice(0, count).map((w) => w.phase(at)));
          busyMs += performance.now() - started;
          for (const d of done) {
            renewed += d.actions.renewed ?? 0;
            totals.statements += d.statements;
            totals.transactions += d.transactions;
            totals.calls += d.calls;
            totals.tokenCalls += d.tokenCalls;
            maxInFlight = Math.max(maxInFlight, d.maxInFlight);
            errors.push(...d.errors);
          }
        }
      } finally {
        emu.faults.remove(fault.id);
      }
      if (renewed !== n)
        throw new Error(
          `a renewal cycle renewed ${renewed} of ${n} subscriptions (errors: ${errors.slice(0, 3).join('; ') || 'none'})`,
        );
      cycles += 1;
      totals.renewals += n;
      if (count === 1) maxInFlightOne.push(maxInFlight);
      return (n * 1000) / busyMs;
    };
    const samples = await alternate({ one: () => cycle(1), four: () => cycle(4) }, rounds, {
      warmup: !ctx.options.quick,
    });

    const statements = totals.statements / totals.renewals;
    const transactions = totals.transactions / totals.renewals;
    const calls = totals.calls / totals.renewals;
    const doubles = doubleCharges(emu, cycles);
    const inFlight = Math.max(...maxInFlightOne);
    const floor = 1000 / (PROTOCOL_MINIMUM_CALLS * LATENCY_MS);
    return {
      section: 'renewals',
      rows: [
        pairedRow({
          id: 'renewals.one.rate',
          figure: `renewals/s, 1 worker (${LATENCY_MS} ms PhonePe)`,
          unit: '/s',
          ours: samples.one,
          anchor: samples.one.map(() => floor),
          anchorName: `one at a time, ${PROTOCOL_MINIMUM_CALLS} calls each`,
          goal: { op: '>', value: 1, label: '> 1× (concurrent)' },
        }),
        valueRow({
          id: 'renewals.one.inflight',
          figure: '1 worker: PhonePe calls in flight at once (max)',
          ours: String(inFlight),
          anchor: 'one at a time: 1',
          goal: '> 1, bounded',
          met: inFlight > 1,
        }),
        pairedRow({
          id: 'renewals.four.rate',
          figure: '4 worker processes vs 1, renewals/s',
          unit: '/s',
          ours: samples.four,
          anchor: samples.one,
          anchorName: '1 worker',
          goal: atLeast(3, '≥ 3×'),
        }),
        valueRow({
          id: 'renewals.statements',
          figure: 'SQL statements per renewal',
          ours: `${formatNumber(statements)} in ${formatNumber(transactions)} transactions`,
          anchor: '—',
          goal: '≤ 25',
          met: statements <= 25,
        }),
        valueRow({
          id: 'renewals.calls',
          figure: 'PhonePe calls per renewal',
          ours: `${formatNumber(calls)} (+${formatNumber(totals.tokenCalls / totals.renewals)} token)`,
          anchor: `protocol minimum: ${PROTOCOL_MINIMUM_CALLS}`,
          ratio: `${formatRatioValue(calls / PROTOCOL_MINIMUM_CALLS)}×`,
          goal: '—',
          met: null,
        }),
        valueRow({
          id: 'renewals.doubles',
          figure: 'double charges (emulator state)',
          ours: String(doubles),
          anchor: `${cycles} cycles × ${n} mandates`,
          goal: '0',
          met: doubles === 0,
        }),
      ],
      notes: [
        `Renewals: ${n} workspaces subscribe to Pro with UPI autopay at the emulator (outcome \`success\`, no webhook endpoint: the workers learn everything by asking). Each cycle moves a shared manual clock through the four moments a renewal needs — the pre-debit notice 2 days before the due date, 20 minutes later (notice confirmed), the due date (debit executed) and 20 minutes after it (debit confirmed, period extended) — and at each one every worker process runs \`runRenewals()\` passes until nothing is due. Workers are separate Node processes (\`bench/processes/renewal-worker.ts\`), each with its own manager, pg pool and PhonePe client; "1 worker" uses the first, "4 workers" all four, in alternating cycles (${rounds} of each${ctx.options.quick ? '' : ', after one warm-up cycle'}). Every emulator request is delayed ${LATENCY_MS} ms while workers run. Renewals/s counts only the time workers were busy. PhonePe calls are counted by a fetch wrapper given to each worker's \`PhonePeClient\`; token calls are listed apart (each phase jumps the virtual clock past the token's life). The anchor for one worker is a worker that renews one subscription at a time with only the protocol's ${PROTOCOL_MINIMUM_CALLS} writes (notice, redeem), learning outcomes by webhook: ${formatNumber(floor)}/s. Double charges: per mandate, COMPLETED redemption orders in \`emu.state()\` beyond one per cycle.`,
      ],
    };
  } finally {
    for (const w of workers) w.child.send({ type: 'stop' } satisfies WorkerCommand);
    await Promise.all(
      workers.map(
        (w) => new Promise((resolve) => (w.child.exitCode !== null ? resolve(null) : w.child.once('exit', resolve))),
      ),
    );
    await setup.close();
    await emu.close();
  }
}

/** The earliest period end among the live subscriptions (they all renew together). */
async function nextDue(setup: Awaited<ReturnType<typeof openBillingStack>>, n: number): Promise<number> {
  const { rows } = await setup.pool.query<{ due: Date; count: string }>(
    `select min(current_period_end) as due, count(*) as count from subscriptions where status = 'active'`,
  );
  const row = rows[0];
  if (!row || Number(row.count) !== n)
    throw new Error(`expected ${n} active subscriptions before a renewal cycle, found ${row?.count ?? 0}`);
  return new Date(row.due).getTime();
}
