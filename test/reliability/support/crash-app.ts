// The billing host app of the crash scenarios, run as its own process (`node --import tsx crash-app.ts`)
// so the test can kill it with SIGKILL at an exact point and start it again. The points are injected
// in this file's wiring only — a fetch handed to the PhonePe client and a store wrapper — never in
// library code. Environment:
//   CRASH_APP_MODE  `serve` (Hono on node:http at PORT, until killed) or `renew` (one runRenewals pass)
//   CRASH_AT        one of CRASH_POINTS, or empty for no crash
//   DATABASE_URL, EMULATOR_URL, PHONEPE_PG_URL, PHONEPE_OAUTH_URL, PORT (serve)
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { phonePeBillingApp } from '../../../adapters/hono/index.js';
import type { BillingStore, BillingTransaction } from '../../../src/storage/billing-store.js';
import { createPgStore } from '../../../src/storage/kysely/create-pg-store.js';
import { defaultEmulatorWebhookCredentials } from '../../../src/testing/default-test-credentials.js';
import { testAuth } from '../../http/support/test-auth.js';
import { CRASH_POINTS, type CrashPoint } from './crash-points.js';
import { emulatorTime, hostManager } from './host-wiring.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`crash-app: ${name} is not set`);
  return value;
};

const point = (process.env.CRASH_AT || null) as CrashPoint | null;
if (point !== null && !CRASH_POINTS.includes(point)) throw new Error(`crash-app: unknown CRASH_AT "${point}"`);

/** Dies at once, as `kill -9` would: no finally blocks, no rollback beyond what PostgreSQL does itself. */
function crash(where: CrashPoint): never {
  process.stderr.write(`crash-app: SIGKILL at ${where}\n`);
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
}

// PhonePe calls, by method and path suffix, before and after which a point kills the process.
const CALLS: Partial<Record<CrashPoint, { path: string; when: 'before' | 'after' }>> = {
  'checkout-before-phonepe': { path: '/checkout/v2/pay', when: 'before' },
  'checkout-after-phonepe': { path: '/checkout/v2/pay', when: 'after' },
  'renewal-after-notice': { path: '/checkout/v2/subscriptions/notify', when: 'after' },
  'renewal-before-redeem': { path: '/checkout/v2/subscriptions/redeem', when: 'before' },
  'renewal-after-redeem': { path: '/checkout/v2/subscriptions/redeem', when: 'after' },
};

/** The fetch given to the PhonePe client: kills the process just before a call is sent, or just after PhonePe answered it. */
function crashingFetch(): typeof fetch {
  const call = point ? CALLS[point] : undefined;
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const hit = call !== undefined && method === 'POST' && new URL(url).pathname.endsWith(call.path);
    if (hit && call.when === 'before') crash(point!);
    const response = await fetch(input, init);
    if (hit && call.when === 'after') crash(point!);
    return response;
  };
}

/**
 * The store, wrapped for the webhook points: `webhook-recorded` dies once the transaction that recorded
 * a delivery has committed (nothing settled yet); `webhook-settled` dies when settlement is done and the
 * event is about to be marked processed (that transaction never commits).
 */
function crashingStore(inner: BillingStore): BillingStore {
  if (point !== 'webhook-recorded' && point !== 'webhook-settled') return inner;
  return {
    async transaction(scope, fn) {
      let recorded = false;
      const result = await inner.transaction(scope, (tx) =>
        fn(
          watchWebhookEvents(tx, (method) => {
            if (method === 'record') recorded = true;
            if (method === 'markProcessed' && point === 'webhook-settled') crash(point);
          }),
        ),
      );
      if (recorded && point === 'webhook-recorded') crash(point);
      return result;
    },
    meterUsage: (request) => inner.meterUsage(request),
    close: () => inner.close(),
  };
}

function watchWebhookEvents(tx: BillingTransaction, seen: (method: string) => void): BillingTransaction {
  return new Proxy(tx, {
    get(target, property) {
      const value = Reflect.get(target, property);
      if (property !== 'webhookEvents') return value;
      return new Proxy(value as object, {
        get(events, name) {
          const method = Reflect.get(events, name);
          if (typeof method !== 'function') return method;
          return (...args: unknown[]) => {
            seen(String(name));
            return method.apply(events, args);
          };
        },
      });
    },
  });
}

async function main(): Promise<void> {
  const mode = env('CRASH_APP_MODE');
  const clock = await emulatorTime(env('EMULATOR_URL'));
  const store = crashingStore(await createPgStore({ connectionString: env('DATABASE_URL'), max: 4 }));
  const billing = hostManager({
    store,
    clock,
    baseUrls: { pg: env('PHONEPE_PG_URL'), oauth: env('PHONEPE_OAUTH_URL') },
    fetch: crashingFetch(),
  });
  if (mode === 'renew') {
    const result = await billing.runRenewals({ workerId: `worker_${process.pid}` });
    process.stdout.write(`${JSON.stringify(result)}\n`);
    await store.close();
    return;
  }
  await billing.syncPlans();
  const app = new Hono();
  // The host keeps its clock on the emulator's virtual time, read before each request.
  app.use('*', async (_c, next) => {
    await clock.sync();
    await next();
  });
  app.route(
    '/',
    phonePeBillingApp({
      billing,
      auth: testAuth,
      webhook: { ...defaultEmulatorWebhookCredentials },
      roles: { refund: ['owner'] },
    }),
  );
  const port = Number(env('PORT'));
  serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => process.stdout.write(`ready ${port}\n`));
}

main().catch((error: unknown) => {
  process.stderr.write(`crash-app: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
