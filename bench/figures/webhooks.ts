import pg from 'pg';
import { createTestAuthorization } from '../../src/webhooks/index.js';
import { defaultEmulatorMerchant, startPhonePeEmulator, type PhonePeEmulator } from '../../src/testing/index.js';
import { openBillingStack, serveHono, type BillingStack } from '../support/billing-stack.js';
import { runConcurrent } from '../support/concurrency.js';
import type { BenchContext } from '../support/context.js';
import { since, snapshot } from '../support/database.js';
import { size } from '../support/options.js';
import { createPlainTables, seedPlainPayments, settlePlain } from '../support/plain-pg-loop.js';
import {
  atLeast,
  formatNumber,
  formatRatioValue,
  pairedRow,
  valueRow,
  type FigureResult,
  type FigureRow,
} from '../support/report.js';
import { alternate } from '../support/rounds.js';
import { seedPendingPayments } from '../support/seed-payments.js';
import { quantile } from '../support/stats.js';
import { BENCH_WEBHOOK, orderCompletedBody } from '../support/webhook-bodies.js';

/** How many webhooks are in flight at once, for ours and for the plain loop alike. */
const CONCURRENCY = 8;
/** PhonePe's delivery timeout for a webhook (its docs: the merchant should answer within 3 s). */
const PHONEPE_TIMEOUT_MS = 3_000;

/** POSTs one webhook to the host app; anything but 200 + `expected` (when given) is a crash of the bench. */
async function postWebhook(url: string, authorization: string, body: string, expected?: string): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body,
  });
  const text = await response.text();
  if (response.status !== 200 || (expected && !text.includes(`"outcome":"${expected}"`))) {
    throw new Error(`webhook answered ${response.status} ${text.slice(0, 300)}`);
  }
}

/** Runs `total` plain settlements on `CONCURRENCY` pg clients, each held for its lane. */
async function plainRate(
  pool: pg.Pool,
  bodies: readonly string[],
  beforeEach?: (i: number) => Promise<unknown>,
): Promise<number> {
  const clients = await Promise.all(Array.from({ length: CONCURRENCY }, () => pool.connect()));
  try {
    const ms = await runConcurrent(bodies.length, CONCURRENCY, async (i, lane) => {
      if (beforeEach) await beforeEach(i);
      await settlePlain(clients[lane] as pg.PoolClient, bodies[i] as string);
    });
    return (bodies.length * 1000) / ms;
  } finally {
    for (const client of clients) client.release();
  }
}

/**
 * Webhooks settled per second through the Hono adapter over HTTP into PostgreSQL (confirmation off,
 * then on with 50 ms of PhonePe latency), statements and transactions per webhook, and the p99 of
 * 200 concurrent copies of one webhook.
 */
export async function webhookFigures(ctx: BenchContext): Promise<FigureResult> {
  const databaseUrl = await ctx.database();
  const rows: FigureRow[] = [];
  const notes: string[] = [];
  const anchorPool = new pg.Pool({ connectionString: databaseUrl, max: CONCURRENCY + 2 });
  anchorPool.on('error', () => {});
  await createPlainTables(anchorPool);
  const authorization = await createTestAuthorization(BENCH_WEBHOOK.username, BENCH_WEBHOOK.password);
  try {
    rows.push(...(await confirmationOff(ctx, databaseUrl, anchorPool, authorization, notes)));
    rows.push(...(await confirmationOn(ctx, databaseUrl, anchorPool, authorization, notes)));
  } finally {
    await anchorPool.end();
  }
  return { section: 'webhooks', rows, notes };
}

async function confirmationOff(
  ctx: BenchContext,
  databaseUrl: string,
  anchorPool: pg.Pool,
  authorization: string,
  notes: string[],
): Promise<FigureRow[]> {
  const n = size(ctx.options, { quick: 80, full: 600 });
  const rounds = size(ctx.options, { quick: 2, full: 5 });
  // No PhonePe call happens with confirmation off; the client still needs a base URL.
  const stack = await openBillingStack({
    databaseUrl,
    phonepeBaseUrl: 'http://127.0.0.1:9/apis/pg-sandbox',
    config: { confirmWebhooks: false },
  });
  const app = await serveHono(stack.billing);
  let round = 0;
  const counted = { statements: 0, transactions: 0, webhooks: 0 };
  try {
    const samples = await alternate(
      {
        ours: async () => {
          const prefix = `off${(round += 1)}`;
          const payments = await seedPendingPayments(stack.store, prefix, n);
          const bodies = payments.map((p) =>
            orderCompletedBody({
              merchantOrderId: p.merchantOrderId,
              orderId: p.phonepeOrderId as string,
              amount: p.amountPaise,
            }),
          );
          const before = snapshot(stack.counter);
          const ms = await runConcurrent(n, CONCURRENCY, (i) =>
            postWebhook(app.webhookUrl, authorization, bodies[i] as string, 'processed'),
          );
          const used = since(stack.counter, before);
          counted.statements += used.statements;
          counted.transactions += used.transactions;
          counted.webhooks += n;
          return (n * 1000) / ms;
        },
        plain: async () => {
          const prefix = `off${(round += 1)}`;
          await seedPlainPayments(anchorPool, prefix, n);
          const bodies = Array.from({ length: n }, (_, i) =>
            orderCompletedBody({ merchantOrderId: `ord_${prefix}_${i}`, orderId: `OMO${prefix}${i}`, amount: 299_900 }),
          );
          return plainRate(anchorPool, bodies);
        },
      },
      rounds,
      { warmup: !ctx.options.quick },
    );
    const statements = counted.statements / counted.webhooks;
    const transactions = counted.transactions / counted.webhooks;
    notes.push(
      `Webhooks, confirmation off: each sample settles ${n.toLocaleString('en-US')} fresh \`checkout.order.completed\` webhooks (pending checkout payments written to the store beforehand, not timed), ${CONCURRENCY} in flight, POSTed with fetch to the Hono adapter (\`phonePeBillingApp\` on @hono/node-server, in this process) on a KyselyStore over a pg pool of 10; each activates a subscription. The anchor is a plain \`pg\` loop on ${CONCURRENCY} held clients: parse the body, BEGIN, insert the event (on conflict do nothing), update the payment, update the subscription, COMMIT — 5 statements in 1 transaction, no HTTP. Statements and transactions are counted by wrapping \`query\` on every client of the pool handed to \`createPgStore({ pool })\` (a transaction = a \`begin\`/\`start transaction\`).`,
    );
    return [
      pairedRow({
        id: 'webhooks.off.rate',
        figure: 'webhooks settled/s, confirmation off',
        unit: '/s',
        ours: samples.ours,
        anchor: samples.plain,
        anchorName: 'plain pg loop',
        goal: atLeast(0.5, '≥ 0.5×'),
      }),
      valueRow({
        id: 'webhooks.off.statements',
        figure: 'SQL statements per settled webhook',
        ours: formatNumber(statements),
        anchor: 'plain pg loop: 5',
        ratio: `${formatRatioValue(statements / 5)}×`,
        goal: '≤ 8',
        met: statements <= 8,
      }),
      valueRow({
        id: 'webhooks.off.transactions',
        figure: 'transactions per settled webhook',
        ours: formatNumber(transactions),
        anchor: 'plain pg loop: 1',
        ratio: `${formatRatioValue(transactions)}×`,
        goal: '≤ 2',
        met: transactions <= 2,
      }),
    ];
  } finally {
    await app.close();
    await stack.close();
  }
}

/** Our merchant's OAuth token at the emulator, for the anchor's raw status call. */
async function emulatorToken(emu: PhonePeEmulator): Promise<string> {
  const form = new URLSearchParams({
    client_id: defaultEmulatorMerchant.clientId,
    client_secret: defaultEmulatorMerchant.clientSecret,
    client_version: String(defaultEmulatorMerchant.clientVersion),
    grant_type: 'client_credentials',
  });
  const response = await fetch(`${emu.baseUrls.oauth}/v1/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
  });
  const token = (await response.json()) as { access_token: string; token_type?: string };
  return `${token.token_type ?? 'O-Bearer'} ${token.access_token}`;
}

/**
 * `n` checkouts paid at the emulator (outcome `success`), and the webhook body PhonePe would send for
 * each. The emulator is reset first: it runs in this process and a request costs it O(stored orders),
 * so orders left from earlier rounds would tax later rounds (ours and the anchor alike).
 */
async function paidCheckouts(
  stack: BillingStack,
  emu: PhonePeEmulator,
  prefix: string,
  n: number,
): Promise<{ orderIds: string[]; bodies: string[] }> {
  emu.reset();
  const orderIds: string[] = [];
  await runConcurrent(n, CONCURRENCY, async (i) => {
    const checkout = await stack.billing.createCheckout({
      workspaceId: `ws_${prefix}_${i}`,
      userId: 'u_bench',
      planId: 'pro',
      amount: 299_900,
      currency: 'INR',
      returnUrl: 'https://app.example.com/billing',
    });
    orderIds[i] = checkout.orderId;
  });
  const wanted = new Set(orderIds);
  const bodyOf = new Map<string, string>();
  for (const delivery of emu.webhooks.deliveries) {
    const id = String(delivery.payload.merchantOrderId ?? '');
    if (delivery.event === 'checkout.order.completed' && wanted.has(id)) bodyOf.set(id, delivery.body);
  }
  emu.webhooks.clear();
  return { orderIds, bodies: orderIds.map((id) => bodyOf.get(id) as string) };
}

async function confirmationOn(
  ctx: BenchContext,
  databaseUrl: string,
  anchorPool: pg.Pool,
  authorization: string,
  notes: string[],
): Promise<FigureRow[]> {
  const n = size(ctx.options, { quick: 32, full: 240 });
  const rounds = size(ctx.options, { quick: 2, full: 5 });
  const copies = size(ctx.options, { quick: 50, full: 200 });
  const copyRounds = size(ctx.options, { quick: 1, full: 5 });
  const latencyMs = 50;
  const emu = await startPhonePeEmulator({ outcome: 'success' });
  const stack = await openBillingStack({ databaseUrl, phonepeBaseUrl: emu.baseUrls.pg });
  const app = await serveHono(stack.billing);
  let round = 0;
  const counted = { statements: 0, transactions: 0, webhooks: 0 };
  const slow = () => emu.faults.add({ path: '/**', delayMs: latencyMs });
  try {
    const samples = await alternate(
      {
        ours: async () => {
          const { bodies } = await paidCheckouts(stack, emu, `on${(round += 1)}`, n);
          const fault = slow();
          try {
            const before = snapshot(stack.counter);
            const ms = await runConcurrent(n, CONCURRENCY, (i) =>
              postWebhook(app.webhookUrl, authorization, bodies[i] as string, 'processed'),
            );
            const used = since(stack.counter, before);
            counted.statements += used.statements;
            counted.transactions += used.transactions;
            counted.webhooks += n;
            return (n * 1000) / ms;
          } finally {
            emu.faults.remove(fault.id);
          }
        },
        plain: async () => {
          const prefix = `on${(round += 1)}`;
          const { orderIds } = await paidCheckouts(stack, emu, prefix, n);
          const token = await emulatorToken(emu); // the reset forgot the last one
          await seedPlainPayments(anchorPool, prefix, n);
          const bodies = Array.from({ length: n }, (_, i) =>
            orderCompletedBody({ merchantOrderId: `ord_${prefix}_${i}`, orderId: `OMO${prefix}${i}`, amount: 299_900 }),
          );
          const fault = slow();
          try {
            return await plainRate(anchorPool, bodies, async (i) =>
              (
                await fetch(`${emu.baseUrls.pg}/checkout/v2/order/${orderIds[i]}/status`, {
                  headers: { authorization: token, 'content-type': 'application/json' },
                })
              ).json(),
            );
          } finally {
            emu.faults.remove(fault.id);
          }
        },
      },
      rounds,
      { warmup: !ctx.options.quick },
    );

    // The same webhook delivered `copies` times at once (PhonePe retries, several pods…), confirmation on.
    const p99s: number[] = [];
    let statusCalls = 0;
    for (let r = 0; r < copyRounds; r += 1) {
      const { bodies } = await paidCheckouts(stack, emu, `copies${r}`, 1);
      const fault = slow();
      try {
        const latencies = await Promise.all(
          Array.from({ length: copies }, async () => {
            const started = performance.now();
            await postWebhook(app.webhookUrl, authorization, bodies[0] as string);
            return performance.now() - started;
          }),
        );
        p99s.push(quantile(latencies, 0.99));
        // Every request the emulator saw meanwhile passed the delay fault: its hits are PhonePe calls.
        statusCalls += emu.faults.list().find((f) => f.id === fault.id)?.hits ?? 0;
      } finally {
        emu.faults.remove(fault.id);
      }
    }
    const p99 = [...p99s].sort((a, b) => a - b)[Math.floor(p99s.length / 2)] as number;
    notes.push(
      `Webhooks, confirmation on: as above, but each checkout is created through \`createCheckout\` at the emulator (outcome \`success\`, so PhonePe reports it COMPLETED) and the webhook body is the one the emulator recorded; every emulator request is delayed ${latencyMs} ms (a fault \`{ path: '/**', delayMs: ${latencyMs} }\`) while the webhooks are timed, so each webhook's order-status call costs at least ${latencyMs} ms. The anchor is the plain loop plus one order-status GET to the same emulator (same delay) per webhook. ${n} webhooks per sample, ${CONCURRENCY} in flight, ${rounds} rounds.`,
      `Concurrent copies: one paid order's webhook POSTed ${copies} times at once (confirmation on, ${latencyMs} ms PhonePe latency); p99 of the ${copies} response times by nearest rank, median over ${copyRounds} rounds. PhonePe gives up on a delivery after ${PHONEPE_TIMEOUT_MS / 1000} s.`,
    );
    return [
      pairedRow({
        id: 'webhooks.on.rate',
        figure: `webhooks settled/s, confirmation on (${latencyMs} ms PhonePe)`,
        unit: '/s',
        ours: samples.ours,
        anchor: samples.plain,
        anchorName: 'plain loop + 1 HTTP call',
        goal: atLeast(0.5, '≥ 0.5×'),
      }),
      valueRow({
        id: 'webhooks.on.statements',
        figure: 'SQL statements per settled webhook, confirmation on',
        ours: `${formatNumber(counted.statements / counted.webhooks)} in ${formatNumber(counted.transactions / counted.webhooks)} transactions`,
        anchor: 'plain loop: 5 in 1',
        ratio: `${formatRatioValue(counted.statements / counted.webhooks / 5)}×`,
        goal: '—',
        met: null,
      }),
      valueRow({
        id: 'webhooks.copies.p99',
        figure: `${copies} concurrent copies of one webhook, p99`,
        ours: `${formatNumber(p99)} ms (${p99s.map((v) => formatNumber(v)).join(', ')}); ${formatNumber(statusCalls / copyRounds)} PhonePe calls per ${copies}`,
        anchor: `PhonePe timeout: ${PHONEPE_TIMEOUT_MS} ms`,
        ratio: `${formatRatioValue(p99 / PHONEPE_TIMEOUT_MS)}×`,
        goal: '< 2000 ms',
        met: p99 < 2_000,
      }),
    ];
  } finally {
    await app.close();
    await stack.close();
    await emu.close();
  }
}
