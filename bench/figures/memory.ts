import { execFile, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createTestAuthorization } from '../../src/webhooks/index.js';
import type { HostCommand, HostReply } from '../processes/webhook-host.js';
import { openBillingStack } from '../support/billing-stack.js';
import { childExecArgv } from '../support/child-exec-argv.js';
import { runConcurrent } from '../support/concurrency.js';
import type { BenchContext } from '../support/context.js';
import { size } from '../support/options.js';
import { formatNumber, formatRatioValue, valueRow, type FigureResult } from '../support/report.js';
import { seedPendingPayments } from '../support/seed-payments.js';
import { BENCH_WEBHOOK, orderCompletedBody } from '../support/webhook-bodies.js';

const run = promisify(execFile);
const process_ = (name: string) => fileURLToPath(new URL(`../processes/${name}`, import.meta.url));
const MB = 1_000_000;

/** Heap after many vs few verifications, and host RSS after many vs few settled webhooks: both should stay flat. */
export async function memoryFigures(ctx: BenchContext): Promise<FigureResult> {
  const verifications = size(ctx.options, { quick: 10_000, full: 100_000 });
  const few = size(ctx.options, { quick: 100, full: 1_000 });
  const many = size(ctx.options, { quick: 300, full: 10_000 });
  // Both are memory readings, not timings: they may run side by side.
  const [heap, rss] = await Promise.all([
    verificationHeap(verifications),
    ctx.database().then((url) => hostRss(url, few, many)),
  ]);
  const heapRatio = heap.afterLarge / heap.afterSmall;
  const rssRatio = rss.many / rss.few;
  return {
    section: 'memory',
    rows: [
      valueRow({
        id: 'memory.heap',
        figure: `heap after ${verifications.toLocaleString('en-US')} vs 1,000 verifications`,
        ours: `${formatNumber(heap.afterLarge / MB)} MB`,
        anchor: `after 1,000: ${formatNumber(heap.afterSmall / MB)} MB`,
        ratio: `${formatRatioValue(heapRatio)}×`,
        goal: '≤ 1.2×',
        met: heapRatio <= 1.2,
      }),
      valueRow({
        id: 'memory.rss',
        figure: `host RSS after ${many.toLocaleString('en-US')} vs ${few.toLocaleString('en-US')} settled webhooks`,
        ours: `${formatNumber(rss.many / MB)} MB`,
        anchor: `after ${few.toLocaleString('en-US')}: ${formatNumber(rss.few / MB)} MB`,
        ratio: `${formatRatioValue(rssRatio)}×`,
        goal: '≤ 1.2×',
        met: rssRatio <= 1.2,
      }),
    ],
    notes: [
      `Memory: verifications run in a fresh process (\`bench/processes/verify-heap.ts\`, --expose-gc) on distinct bodies; heapUsed after two full collections, after the first 1,000 and after ${verifications.toLocaleString('en-US')}. Host RSS: the Hono host app (confirmation off, PostgreSQL store) runs in its own process (\`bench/processes/webhook-host.ts\`, --expose-gc); the bench POSTs ${few.toLocaleString('en-US')} webhooks for fresh pending payments, reads the host's RSS after a full collection, POSTs up to ${many.toLocaleString('en-US')} in all, and reads it again.`,
    ],
  };
}

async function verificationHeap(verifications: number): Promise<{ afterSmall: number; afterLarge: number }> {
  const { stdout } = await run(
    process.execPath,
    [...childExecArgv(['--expose-gc']), process_('verify-heap.ts'), String(verifications)],
    { maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) as string) as { afterSmall: number; afterLarge: number };
}

async function hostRss(databaseUrl: string, few: number, many: number): Promise<{ few: number; many: number }> {
  const seeder = await openBillingStack({ databaseUrl, phonepeBaseUrl: 'http://127.0.0.1:9/apis/pg-sandbox' });
  const host = fork(process_('webhook-host.ts'), [databaseUrl], {
    execArgv: childExecArgv(['--expose-gc']),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const replies: Array<(reply: HostReply | null) => void> = [];
  host.on('message', (reply: HostReply) => replies.shift()?.(reply));
  host.on('exit', () => replies.splice(0).forEach((reply) => reply(null)));
  const next = () =>
    new Promise<HostReply>((resolve, reject) => {
      const settle = (reply: HostReply | null) =>
        reply ? resolve(reply) : reject(new Error(`the webhook host process exited with code ${host.exitCode}`));
      if (host.exitCode !== null) settle(null);
      else replies.push(settle);
    });
  try {
    const ready = await next();
    if (ready.type !== 'ready') throw new Error('the webhook host did not start');
    const payments = await seedPendingPayments(seeder.store, 'rss', many);
    const authorization = await createTestAuthorization(BENCH_WEBHOOK.username, BENCH_WEBHOOK.password);
    const post = async (i: number) => {
      const p = payments[i]!;
      const body = orderCompletedBody({
        merchantOrderId: p.merchantOrderId,
        orderId: p.phonepeOrderId as string,
        amount: p.amountPaise,
      });
      const response = await fetch(ready.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body,
      });
      if (response.status !== 200) throw new Error(`webhook answered ${response.status}: ${await response.text()}`);
      await response.arrayBuffer();
    };
    const rssNow = async () => {
      const reply = next();
      host.send({ type: 'rss' } satisfies HostCommand);
      const r = await reply;
      if (r.type !== 'rss') throw new Error('unexpected reply from the webhook host');
      return r.rss;
    };
    await runConcurrent(few, 8, (i) => post(i));
    const atFew = await rssNow();
    await runConcurrent(many - few, 8, (i) => post(few + i));
    const atMany = await rssNow();
    return { few: atFew, many: atMany };
  } finally {
    host.send({ type: 'stop' } satisfies HostCommand);
    await new Promise((resolve) => (host.exitCode !== null ? resolve(null) : host.once('exit', resolve)));
    await seeder.close();
  }
}
