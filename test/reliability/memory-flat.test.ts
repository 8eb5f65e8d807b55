import { resolve } from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgStore, migrateToLatest, type KyselyStore } from '../../src/storage/kysely/index.js';
import {
  defaultEmulatorWebhookCredentials,
  startPhonePeEmulator,
  type PhonePeEmulator,
} from '../../src/testing/index.js';
import { createTestAuthorization } from '../../src/webhooks/verify-webhook.js';
import { ApiClient, fetchCaller } from '../http/support/api-client.js';
import { databaseUrl, requireDependency } from '../support/environment.js';
import { createTempDatabase, type TempDatabase } from '../support/temp-database.js';
import { percentile } from './support/adapter-servers.js';
import { launch, type LaunchedProcess } from './support/app-process.js';
import { recordFigures } from './support/figures.js';
import { HOST_RETURN_URL } from './support/host-wiring.js';
import { expectBooksMatchPhonePe } from './support/invariants.js';
import { sized } from './support/reliability-size.js';

// The app's memory stays flat while it settles many webhooks: a per-event leak (an in-flight map that is
// never emptied, a cache without a bound, listeners piling up) shows as heap growing with the count. The
// app runs in its own process with --expose-gc (support/soak-app.ts) on real PostgreSQL, so its heap is
// measured alone — the emulator stays in the test process. Round after round, payers check out through
// the API and pay; PhonePe's `checkout.order.completed` webhooks (the emulator's exact bodies and
// Authorization) are POSTed to the app concurrently, as PhonePe delivers them for different orders, one in
// DUPLICATE_EVERY of them twice at once; each settles a payment (confirmed with PhonePe's status API) and
// activates a subscription. After each round the books of a sample are checked against the emulator's
// ledger, which then forgets the round (its own bookkeeping is not what is measured). The heap is read
// after full collections at quiet points: after 10 % of the webhooks, and every 10 % to the end.
//
// The bound: final heap <= 1.5 × the heap at 10 % + 5 MB. At 10 % every cache and pool is warm, so a flat
// process stays within a few MB of it (GC timing, pg's buffers); the 1.5× and 5 MB leave room for that
// noise. A leak of k bytes per webhook adds k × 0.9 × WEBHOOKS: at the default 10,000 webhooks anything
// above ~3 KB per webhook (a retained request, payload or closure over them) breaks the bound; at 100,000
// (--full), anything above ~300 bytes. Counts and bytes only: nothing here is timed.
const hasDb = requireDependency(
  databaseUrl,
  'PostgreSQL (DATABASE_URL)',
  'set DATABASE_URL=postgres://postgres@127.0.0.1:5432/phonepe_billing_test',
);
const WEBHOOKS = sized(10_000, 100_000);
const ROUND = 500;
const DUPLICATE_EVERY = 5;
const CONCURRENCY = 16;
const SAMPLE_PER_ROUND = 5;
const SOAK_APP = resolve(import.meta.dirname, 'support/soak-app.ts');
const MB = 1024 * 1024;

describe.skipIf(!hasDb)(`memory over ${WEBHOOKS} webhooks`, () => {
  let temp: TempDatabase;
  let emu: PhonePeEmulator;
  let app: LaunchedProcess;
  let origin = '';
  let store: KyselyStore;

  beforeAll(async () => {
    temp = await createTempDatabase(databaseUrl!);
    const db = new Kysely<any>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: temp.url, max: 1 }) }),
    });
    await migrateToLatest(db);
    await db.destroy();
    store = await createPgStore({ connectionString: temp.url, max: 2 });
    // No webhook URL: the emulator records each webhook (body and all) and the test delivers them, concurrently.
    emu = await startPhonePeEmulator();
    app = launch(
      { DATABASE_URL: temp.url, PHONEPE_PG_URL: emu.baseUrls.pg, PHONEPE_OAUTH_URL: emu.baseUrls.oauth },
      SOAK_APP,
      ['--expose-gc'],
    );
    origin = await new Promise<string>((ready, fail) => {
      app.child.stdout!.on('data', () => {
        const match = /ready (\S+)/.exec(app.output().stdout);
        if (match) ready(match[1]!);
      });
      void app.exited.then((exit) => fail(new Error(`soak-app exited (${exit.code ?? exit.signal}): ${exit.stderr}`)));
    });
  });
  afterAll(async () => {
    if (app && app.child.exitCode === null) app.child.kill('SIGTERM');
    await app?.exited;
    await emu?.close();
    await store?.close();
    await temp?.drop();
  });

  it(
    `settles ${WEBHOOKS} webhooks (1 in ${DUPLICATE_EVERY + 1} a duplicate) with the heap after GC at most 1.5× its size at 10 % + 5 MB`,
    async () => {
      const api = new ApiClient(fetchCaller(origin), '/v1');
      const authorization = await createTestAuthorization(
        defaultEmulatorWebhookCredentials.username,
        defaultEmulatorWebhookCredentials.password,
      );
      const outcomes: Record<string, number> = {};
      const latencies: number[] = [];
      const samples: Array<{ webhooks: number; heapUsedMb: number; rssMb: number; externalMb: number }> = [];
      let orders = 0;
      let webhooks = 0;
      let duplicates = 0;
      let checked = 0;
      let nextSample = 0.1;

      const concurrently = async <T>(items: T[], run: (item: T) => Promise<void>) => {
        const queue = [...items];
        await Promise.all(
          Array.from({ length: CONCURRENCY }, async () => {
            for (let item = queue.shift(); item !== undefined; item = queue.shift()) await run(item);
          }),
        );
      };
      const deliver = async (body: string) => {
        const sent = performance.now();
        const response = await fetch(`${origin}/v1/payments/webhook`, {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/json' },
          body,
        });
        const answer = (await response.json()) as { outcome?: string };
        latencies.push(performance.now() - sent);
        const key = `${response.status} ${answer.outcome ?? JSON.stringify(answer)}`;
        outcomes[key] = (outcomes[key] ?? 0) + 1;
        webhooks += 1;
      };

      while (webhooks < WEBHOOKS) {
        const size = Math.min(ROUND, Math.ceil(((WEBHOOKS - webhooks) * DUPLICATE_EVERY) / (DUPLICATE_EVERY + 1)));
        const round = Array.from({ length: size }, () => `ws_soak_${orders++}`);
        await concurrently(round, async (ws) => {
          const created = await api.post('/payments/create', {
            tenant: ws,
            json: { plan_id: 'pro', amount: '2999.00', return_url: HOST_RETURN_URL },
          });
          if (created.status !== 200) throw new Error(`checkout of ${ws}: ${created.status} ${created.text}`);
          await emu.completeOrder(created.json.order_id);
        });
        const bodies = emu.webhooks.deliveries.filter((d) => d.event === 'checkout.order.completed').map((d) => d.body);
        expect(bodies).toHaveLength(size);
        // One in DUPLICATE_EVERY is delivered twice at the same moment (PhonePe retrying a slow answer).
        await concurrently(
          bodies.map((body, i) => ({ body, copies: i % DUPLICATE_EVERY === DUPLICATE_EVERY - 1 ? 2 : 1 })),
          async ({ body, copies }) => {
            duplicates += copies - 1;
            await Promise.all(Array.from({ length: copies }, () => deliver(body)));
          },
        );
        const sample = round.filter((_, i) => i % Math.ceil(size / SAMPLE_PER_ROUND) === 0);
        const books = await expectBooksMatchPhonePe({ store, emu }, sample);
        expect(books.payments.map((p) => p.state)).toEqual(sample.map(() => 'completed'));
        checked += sample.length;
        emu.reset();
        if (webhooks >= Math.round(WEBHOOKS * nextSample) || webhooks >= WEBHOOKS) {
          const usage = (await (await fetch(`${origin}/__soak/heap`)).json()) as NodeJS.MemoryUsage;
          samples.push({
            webhooks,
            heapUsedMb: round1(usage.heapUsed / MB),
            rssMb: round1(usage.rss / MB),
            externalMb: round1(usage.external / MB),
          });
          while (webhooks >= Math.round(WEBHOOKS * nextSample)) nextSample += 0.1;
        }
      }

      expect(Object.keys(outcomes).sort(), 'every webhook answered 200: processed, or duplicate').toEqual([
        '200 duplicate',
        '200 processed',
      ]);
      expect(outcomes['200 processed'], 'each order settled once').toBe(orders);
      const totals = await store.transaction({ system: true }, (tx) =>
        tx.metrics.payments({ from: 0, to: 8_640_000_000_000_000 }),
      );
      expect(totals.completed, 'every order completed').toBe(orders);
      const audit = await store.transaction({ system: true }, (tx) =>
        tx.metrics.subscriptions({ from: 0, to: 8_640_000_000_000_000 }),
      );
      expect(audit.created, 'one subscription per order').toBe(orders);

      const first = samples[0]!;
      const last = samples.at(-1)!;
      const boundMb = round1(1.5 * first.heapUsedMb + 5);
      recordFigures('memory-flat', {
        webhooks,
        distinctOrders: orders,
        duplicates,
        concurrency: CONCURRENCY,
        backend: 'postgres',
        invariantsCheckedOn: checked,
        outcomes,
        webhookP50Ms: percentile(latencies, 50),
        webhookP99Ms: percentile(latencies, 99),
        boundMb,
        growthRatio: round1(last.heapUsedMb / first.heapUsedMb),
        samples,
      });
      expect(last.heapUsedMb, `heap after GC: ${JSON.stringify(samples)}`).toBeLessThanOrEqual(boundMb);
    },
    sized(20, 120) * 60_000,
  ); // a cap for a stuck run, not a time assertion
});

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
