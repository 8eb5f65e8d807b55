import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BILLING_ERROR_CODES } from '../../src/billing/errors.js';
import { createBillingHandler, HTTP_ERROR_CODES, type BillingHandler } from '../../src/http/index.js';
import type { KyselyStore } from '../../src/storage/kysely/index.js';
import { defaultEmulatorMerchant } from '../../src/testing/index.js';
import { sendRaw } from '../adapters/support/raw-http.js';
import { ADAPTERS, serveAdapter, type ServedAdapter } from '../adapters/support/served-adapters.js';
import { ApiClient, handlerCaller } from '../http/support/api-client.js';
import { createHttpHarness, RETURN_URL, WEBHOOK, type HttpHarness } from '../http/support/http-harness.js';
import { subscribe, webhookAuthorization } from '../http/support/mounted-api.js';
import { storeSnapshot } from '../http/support/store-snapshot.js';
import { databaseUrl, requireDependency } from '../support/environment.js';
import { BILLING_TABLES } from '../storage/support/billing-tables.js';
import {
  badRequests,
  httpProfile,
  WEB_PROFILE,
  type BadRequest,
  type FuzzFixture,
  type TargetProfile,
} from './support/bad-requests.js';
import { FULL, sized } from './support/reliability-size.js';

// Fuzzed bad requests against every endpoint, through the bare web handler and through Express,
// Fastify and Hono over real HTTP, all on one manager whose store is a real PostgreSQL database (NUL
// handling is a PostgreSQL matter). Every request carries a defect (see support/bad-requests.ts).
// Asserted: every answer is a 4xx in the documented JSON error shape (0 × 5xx), nothing changed in
// any table nor at PhonePe (the emulator), and the logs hold no stack trace and no secret.
// Re-run: `npx vitest run test/reliability/bad-input-fuzz.test.ts` (RELIABILITY_FULL=1 for 100,000
// requests, RELIABILITY_SEED=<n> for another sequence). Figures: .tmp/reliability/bad-input-fuzz.json.

const TOTAL = sized(10_000, 100_000);
const SEED = Number(process.env.RELIABILITY_SEED ?? 20_261_101);
const TARGETS = ['web', ...ADAPTERS] as const;
type TargetName = (typeof TARGETS)[number];
const PER_TARGET = Math.ceil(TOTAL / TARGETS.length);
/** Requests in flight at once, per target. */
const CONCURRENCY = 6;
/** Requests generated at a time, per target. */
const BATCH = 500;
const FIGURES = resolve(import.meta.dirname, '../../.tmp/reliability/bad-input-fuzz.json');
const KNOWN_CODES = new Set([...Object.keys(BILLING_ERROR_CODES), ...Object.keys(HTTP_ERROR_CODES)]);

const hasServer = requireDependency(
  databaseUrl,
  'A PostgreSQL server (DATABASE_URL)',
  'set DATABASE_URL=postgres://postgres@127.0.0.1:5432/phonepe_billing_test; the fuzz runs on PGlite meanwhile',
);

/** What came back, whatever the transport. */
interface Answer {
  status: number;
  contentType: string;
  text: string;
}

interface TargetFigures {
  requests: number;
  statusCounts: Record<string, number>;
  codeCounts: Record<string, number>;
  /** Answers a framework gave before the billing routes ran (Fastify's own 400 for a URL it cannot decode). */
  frameworkRefusals: number;
  latencyMs: { p50: number; p99: number; max: number };
}

interface Problem {
  target: TargetName;
  kind: string;
  method: string;
  path: string;
  problem: string;
  answer: string;
}

const count = (counts: Record<string, number>, key: string) => void (counts[key] = (counts[key] ?? 0) + 1);
const percentile = (sorted: number[], p: number) =>
  Math.round((sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0) * 100) / 100;

/** Why an answer is not a clean refusal in the billing error shape, or null when it is one. */
function judge(target: TargetName, request: BadRequest, answer: Answer): string | null {
  if (answer.status < 400 || answer.status > 499) return `status ${answer.status}`;
  let json: any;
  try {
    json = JSON.parse(answer.text);
  } catch {
    return `body is not JSON (${answer.contentType})`;
  }
  if (target === 'fastify' && answer.status === 400 && json?.code === 'FST_ERR_BAD_URL') return null;
  if (!answer.contentType.startsWith('application/json')) return `content-type ${answer.contentType}`;
  const error = json?.error;
  if (json?.status !== 'error' || typeof error !== 'object' || error === null) return 'not { status: "error", error }';
  if (Object.keys(json).some((key) => key !== 'status' && key !== 'error'))
    return `extra top-level keys ${Object.keys(json).join(',')}`;
  if (!KNOWN_CODES.has(error.code)) return `unknown code ${String(error.code)}`;
  if (typeof error.message !== 'string' || error.message.length === 0) return 'no message';
  if (Object.keys(error).some((key) => !['code', 'message', 'details'].includes(key)))
    return `extra error keys ${Object.keys(error).join(',')}`;
  if (
    error.details !== undefined &&
    (typeof error.details !== 'object' || error.details === null || Array.isArray(error.details))
  )
    return 'details is not an object';
  if (/\n\s+at /.test(answer.text)) return 'stack trace in the body';
  // Routing comes before identity and body: 405 (404 off the paths). Express reads (and may refuse) an encoded body first.
  const encoded = Object.keys(request.headers).some((name) => name.toLowerCase() === 'content-encoding');
  if (request.kind === 'odd_method' && !encoded && ![400, 404, 405].includes(answer.status))
    return `odd method answered ${answer.status}`;
  return null;
}

describe('bad-input fuzz: every endpoint, every adapter', () => {
  let h: HttpHarness;
  let handler: BillingHandler;
  let servers: ServedAdapter[] = [];
  let fixture: FuzzFixture;
  const backend = hasServer ? 'postgres' : 'pglite';

  beforeAll(async () => {
    h = await createHttpHarness({ backend });
    handler = createBillingHandler(h.options());
    servers = await Promise.all(ADAPTERS.map((name) => serveAdapter(name, h.options())));
    const paidOrderId = await subscribe(h, new ApiClient(handlerCaller(handler), '/v1'), 'ws_fuzz');
    fixture = {
      tenant: 'ws_fuzz',
      freshTenant: 'ws_fuzz_new',
      paidOrderId,
      webhookAuthorization: await webhookAuthorization(),
      returnUrl: RETURN_URL,
    };
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
    await h?.close();
  });

  /** Every row of every billing table (digested in SQL), the same through the store port, and the emulator's state. */
  async function snapshot(): Promise<unknown> {
    const db = (h.store.inner as KyselyStore).db;
    const tables: Record<string, unknown> = {};
    for (const table of BILLING_TABLES) {
      const { rows } = await sql<{
        rows: number;
        digest: string;
      }>`select count(*)::int as rows, coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as digest from ${sql.table(table)} t`.execute(
        db,
      );
      tables[table] = rows[0];
    }
    const plans = await h.store.transaction({ system: true }, (tx) => tx.plans.listActive());
    return {
      tables,
      port: await storeSnapshot(h.store, [fixture.tenant, fixture.freshTenant, 'foreign_ws']),
      plans,
      emulator: JSON.stringify(h.emu.state()),
    };
  }

  async function answerOf(target: TargetName, request: BadRequest, agent: http.Agent | undefined): Promise<Answer> {
    if (target === 'web') {
      const response = await handler(
        new Request(`http://billing.test/v1${request.path}`, {
          method: request.method,
          headers: request.headers,
          ...(request.body === undefined ? {} : { body: request.body as BodyInit }),
        }),
      );
      return {
        status: response.status,
        contentType: response.headers.get('content-type') ?? '',
        text: await response.text(),
      };
    }
    const server = servers.find((s) => s.name === target) as ServedAdapter;
    const res = await sendRaw(server.origin, {
      method: request.method,
      path: `${server.prefix}${request.path}`,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      ...(agent ? { agent } : {}),
    });
    return { status: res.status, contentType: String(res.headers['content-type'] ?? ''), text: res.text };
  }

  /** Sends `requests` to `target`, CONCURRENCY at a time, judging each answer. */
  async function runBatch(
    target: TargetName,
    requests: BadRequest[],
    agent: http.Agent | undefined,
    figures: TargetFigures,
    latencies: number[],
    problems: Problem[],
    kinds: Record<string, number>,
  ): Promise<void> {
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < requests.length; i = next++) {
        const request = requests[i] as BadRequest;
        count(kinds, request.kind);
        const started = performance.now();
        let answer: Answer;
        try {
          answer = await answerOf(target, request, agent);
        } catch (error) {
          problems.push({
            target,
            kind: request.kind,
            method: request.method,
            path: request.path.slice(0, 120),
            problem: 'no answer',
            answer: (error as Error).message,
          });
          continue;
        } finally {
          latencies.push(performance.now() - started);
          figures.requests++;
        }
        count(figures.statusCounts, String(answer.status));
        const code = /"code":"([A-Z_]+)"/.exec(answer.text)?.[1] ?? '(none)';
        count(figures.codeCounts, code);
        if (code === 'FST_ERR_BAD_URL') figures.frameworkRefusals++;
        const problem = judge(target, request, answer);
        if (problem)
          problems.push({
            target,
            kind: request.kind,
            method: request.method,
            path: request.path.slice(0, 120),
            problem,
            answer: `${answer.status} ${answer.text.slice(0, 200)}`,
          });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  }

  /**
   * `PER_TARGET` requests for `target`, generated in seeded batches (so the large run never holds
   * 25,000 generated bodies, some of them megabytes, at once) over one keep-alive connection pool.
   */
  async function run(
    target: TargetName,
    index: number,
    profile: TargetProfile,
    problems: Problem[],
    kinds: Record<string, number>,
  ): Promise<TargetFigures> {
    const agent = target === 'web' ? undefined : new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const figures: TargetFigures = {
      requests: 0,
      statusCounts: {},
      codeCounts: {},
      frameworkRefusals: 0,
      latencyMs: { p50: 0, p99: 0, max: 0 },
    };
    const latencies: number[] = [];
    const arbitrary = badRequests(profile, fixture);
    try {
      for (let sent = 0, batch = 0; sent < PER_TARGET; sent += BATCH, batch++) {
        const requests = fc.sample(arbitrary, {
          seed: SEED + index * 1_000_003 + batch,
          numRuns: Math.min(BATCH, PER_TARGET - sent),
        });
        await runBatch(target, requests, agent, figures, latencies, problems, kinds);
      }
    } finally {
      agent?.destroy();
    }
    latencies.sort((a, b) => a - b);
    figures.latencyMs = {
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: percentile(latencies, 100),
    };
    return figures;
  }

  it(
    `${TOTAL.toLocaleString('en')} bad requests: each a 4xx in the error shape, nothing written, no stack trace or secret in the logs`,
    async () => {
      const profiles: Record<TargetName, TargetProfile> = {
        web: WEB_PROFILE,
        express: httpProfile(),
        fastify: httpProfile(servers.find((s) => s.name === 'fastify')?.routedMethods),
        hono: httpProfile(),
      };
      const before = await snapshot();
      const logStart = h.logger.entries.length;
      const printed: string[] = [];
      const spies = (['error', 'warn', 'info', 'log'] as const).map((level) =>
        vi
          .spyOn(console, level)
          .mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' '))),
      );
      const problems: Problem[] = [];
      const kinds: Record<string, number> = {};
      const started = performance.now();
      let results: TargetFigures[];
      try {
        results = await Promise.all(
          TARGETS.map((target, index) => run(target, index, profiles[target], problems, kinds)),
        );
      } finally {
        for (const spy of spies) spy.mockRestore();
      }
      const wallClockMs = Math.round(performance.now() - started);
      const after = await snapshot();

      const logs = h.logger.entries.slice(logStart).map((entry) => JSON.stringify(entry));
      const secrets = [WEBHOOK.password, fixture.webhookAuthorization, defaultEmulatorMerchant.clientSecret];
      const withStack = [...logs, ...printed].filter((line) => /\\n\s+at |\n\s+at |"stack"/.test(line));
      const withSecret = [...logs, ...printed].filter((line) => secrets.some((secret) => line.includes(secret)));
      const statuses = results.flatMap((r) => Object.entries(r.statusCounts));
      const fiveXx = statuses.filter(([status]) => status.startsWith('5')).reduce((sum, [, n]) => sum + n, 0);
      const stateChanged = JSON.stringify(after) !== JSON.stringify(before);

      mkdirSync(dirname(FIGURES), { recursive: true });
      writeFileSync(
        FIGURES,
        `${JSON.stringify(
          {
            test: 'test/reliability/bad-input-fuzz.test.ts',
            ranAt: new Date().toISOString(),
            size: FULL ? 'full' : 'ci',
            seed: SEED,
            backend,
            totalRequests: results.reduce((sum, r) => sum + r.requests, 0),
            concurrencyPerTarget: CONCURRENCY,
            wallClockMs,
            targets: Object.fromEntries(TARGETS.map((target, i) => [target, results[i]])),
            kinds: Object.fromEntries(Object.entries(kinds).sort()),
            outcome: {
              fiveXx,
              problems: problems.length,
              noAnswer: problems.filter((p) => p.problem === 'no answer').length,
              stateChanged,
              logEntries: logs.length,
              errorLogEntries: h.logger.entries.slice(logStart).filter((e) => e.level === 'error').length,
              linesWithStackTrace: withStack.length,
              linesWithSecret: withSecret.length,
              consoleLines: printed.length,
            },
            problemSamples: problems.slice(0, 20),
          },
          null,
          2,
        )}\n`,
      );

      expect(results.reduce((sum, r) => sum + r.requests, 0)).toBeGreaterThanOrEqual(TOTAL);
      expect(problems.slice(0, 10), `${problems.length} answers were not clean refusals (seed ${SEED})`).toEqual([]);
      expect(fiveXx).toBe(0);
      expect(after).toEqual(before);
      expect(h.logger.entries.slice(logStart).filter((e) => e.level === 'error')).toEqual([]);
      expect(withStack.slice(0, 5)).toEqual([]);
      expect(withSecret.length).toBe(0);
    },
    sized(240_000, 2_400_000),
  );
});
