import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { setupServer } from 'msw/node';
import { expect } from 'vitest';
import {
  defaultEmulatorCredentials,
  defaultEmulatorMerchant,
  defaultEmulatorWebhookCredentials,
  phonePeHandlers,
  startPhonePeEmulator,
} from '../../../src/testing/index.js';
import { databaseAppUrl, databaseUrl } from '../../support/environment.js';
import { createLoginRole } from '../../storage/support/billing-roles.js';
import { grantAppRole } from '../../storage/support/grant-app-role.js';
import { createTestDatabase } from '../../storage/support/postgres-database.js';
import { MemoryStore, PhonePeClient, SubscriptionManager } from '../../../src/index.js';

/**
 * What a runnable documentation block runs in. `start()` provides what the page says the reader has
 * (environment variables, a PhonePe to talk to, the host's own objects declared in doc-prelude.ts);
 * `check()` looks at what the block did from the outside; `stop()` undoes everything.
 */
export interface DocEnvironment {
  /** Why it cannot run here (e.g. no PostgreSQL server), or undefined when it can. */
  missing?(): { what: string; howToProvide: string } | undefined;
  start(): Promise<RunningEnvironment>;
}

export interface RunningEnvironment {
  /** Environment variables set while the block runs. */
  env?: Record<string, string>;
  /** Globals the block may use (each declared in doc-prelude.ts). */
  globals?: Record<string, unknown>;
  check?(): Promise<void>;
  stop(): Promise<void>;
}

/** Runnable blocks by `<!-- runnable: <name> -->`. */
export const DOC_ENVIRONMENTS: Record<string, DocEnvironment> = {
  /** Nothing: the block starts what it needs (e.g. its own emulator). */
  none: { start: async () => ({ stop: async () => {} }) },
  'phonepe-sandbox': { start: startSandbox },
  quickstart: { start: startQuickstart },
  postgres: { missing: missingPostgres, start: startPostgres },
  'webhook-delivery': { start: startWebhookDelivery },
};

/**
 * PhonePe's sandbox host answered in-process by the emulator through msw (paid orders settle at once),
 * the dashboard credentials in `PHONEPE_CLIENT_*` and as `clientId`/`clientSecret`/`clientVersion`.
 */
async function startSandbox(): Promise<RunningEnvironment> {
  const { handlers, emulator } = phonePeHandlers({ outcome: 'success' });
  const server = setupServer(...handlers);
  server.listen({ onUnhandledRequest: 'error' });
  const welcomed: string[] = [];
  return {
    env: {
      PHONEPE_CLIENT_ID: defaultEmulatorCredentials.clientId,
      PHONEPE_CLIENT_SECRET: defaultEmulatorCredentials.clientSecret,
      PHONEPE_CLIENT_VERSION: String(defaultEmulatorCredentials.clientVersion),
    },
    globals: {
      clientId: defaultEmulatorCredentials.clientId,
      clientSecret: defaultEmulatorCredentials.clientSecret,
      clientVersion: String(defaultEmulatorCredentials.clientVersion),
      mailer: { welcome: async (workspaceId: string) => void welcomed.push(workspaceId) },
    },
    async check() {
      // The block reached PhonePe: every order it created is known there and was paid.
      const orders = emulator.state().orders;
      expect(orders.length).toBeGreaterThan(0);
      for (const order of orders) expect(order.state).toBe('COMPLETED');
    },
    async stop() {
      server.close();
      emulator.close();
    },
  };
}

/**
 * A webhook route's moment: `request` is the `checkout.order.completed` delivery PhonePe (the emulator,
 * through msw) sent for a checkout `billing` just created, with the dashboard credentials in
 * `PHONEPE_WEBHOOK_USERNAME` / `PHONEPE_WEBHOOK_PASSWORD`. `check()` sees the subscription activated.
 */
async function startWebhookDelivery(): Promise<RunningEnvironment> {
  const deliveries: Request[] = [];
  const { handlers, emulator } = phonePeHandlers({
    outcome: 'success',
    webhook: {
      url: 'https://api.example.com/v1/payments/webhook',
      fetch: async (input, init) => {
        deliveries.push(new Request(input, init));
        return new Response(null, { status: 200 });
      },
    },
  });
  const server = setupServer(...handlers);
  server.listen({ onUnhandledRequest: 'error' });
  const billing = new SubscriptionManager({
    client: new PhonePeClient({ ...defaultEmulatorCredentials, env: 'SANDBOX' }),
    store: new MemoryStore(),
    plans: [{ id: 'pro', name: 'Pro', price: 299900, interval: 'month', limits: { projects: 50 } }],
    config: {
      callbackUrl: 'https://api.example.com/v1/payments/callback',
      redirectAllowlist: ['https://app.example.com'],
    },
  });
  await billing.syncPlans();
  await billing.createCheckout({
    workspaceId: 'ws_1',
    userId: 'u_1',
    planId: 'pro',
    amount: 299900,
    returnUrl: 'https://app.example.com/billing',
  });
  await emulator.webhooks.idle();
  const completed = [];
  for (const delivery of deliveries)
    if ((await delivery.clone().json()).event === 'checkout.order.completed') completed.push(delivery);
  expect(completed).toHaveLength(1);
  return {
    env: {
      PHONEPE_WEBHOOK_USERNAME: defaultEmulatorWebhookCredentials.username,
      PHONEPE_WEBHOOK_PASSWORD: defaultEmulatorWebhookCredentials.password,
    },
    globals: { request: completed[0], billing },
    async check() {
      expect((await billing.getSubscription('ws_1'))?.status).toBe('active');
    },
    async stop() {
      server.close();
      emulator.close();
    },
  };
}

/**
 * The README quickstart as a reader runs it: `.env.phonepe.example`'s values against a local emulator,
 * the host's `sessions` and `memberships`, and port 3000 (taken as any free port, so parallel test
 * files never collide). `check()` takes a checkout through whatever server the block started.
 */
async function startQuickstart(): Promise<RunningEnvironment> {
  const emu = await startPhonePeEmulator();
  const servers = recordListeningServers(3000);
  return {
    env: {
      PHONEPE_CLIENT_ID: defaultEmulatorMerchant.clientId,
      PHONEPE_CLIENT_SECRET: defaultEmulatorMerchant.clientSecret,
      PHONEPE_CLIENT_VERSION: '1',
      PHONEPE_ENV: 'SANDBOX',
      PHONEPE_WEBHOOK_USERNAME: defaultEmulatorWebhookCredentials.username,
      PHONEPE_WEBHOOK_PASSWORD: defaultEmulatorWebhookCredentials.password,
      PHONEPE_CALLBACK_URL: 'http://127.0.0.1:3000/v1/payments/callback',
      PAYMENT_REDIRECT_ALLOWLIST: 'http://127.0.0.1:3000',
      PHONEPE_BASE_URL: emu.baseUrls.pg,
    },
    globals: {
      sessions: {
        verify: async (header: string | null) => (header === 'Bearer owner-token' ? { userId: 'u_1' } : null),
      },
      memberships: {
        role: async (userId: string, workspaceId: string) =>
          userId === 'u_1' && workspaceId === 'ws_1' ? 'owner' : null,
      },
    },
    async check() {
      const server = await servers.first();
      if (!server) return; // the shared set-up alone starts no server
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const plans = await fetch(`${origin}/v1/plans`);
      expect((await plans.json()).plans[0].price).toBe('2999.00');
      const created = await fetch(`${origin}/v1/payments/create`, {
        method: 'POST',
        headers: { authorization: 'Bearer owner-token', 'x-tenant-id': 'ws_1', 'content-type': 'application/json' },
        // An http://127.0.0.1 return URL, as .env.phonepe.example allows: accepted in the sandbox.
        body: JSON.stringify({ plan_id: 'pro', amount: '2999.00', return_url: 'http://127.0.0.1:3000/billing' }),
      });
      expect(created.status).toBe(200);
      expect((await created.json()).payment_url).toContain(emu.url);
    },
    async stop() {
      await servers.closeAll();
      await emu.close();
    },
  };
}

/**
 * Records every server that starts listening until `closeAll()`, and has one asked for `port` listen
 * on a free port instead (the documented port stays in the docs; tests run in parallel).
 */
function recordListeningServers(port: number) {
  const listen = net.Server.prototype.listen;
  const servers: net.Server[] = [];
  net.Server.prototype.listen = function (this: net.Server, ...args: unknown[]) {
    servers.push(this);
    if (args[0] === port) args[0] = 0;
    else if (typeof args[0] === 'object' && args[0] !== null && (args[0] as { port?: unknown }).port === port)
      args[0] = { ...args[0], port: 0 };
    return (listen as (...a: unknown[]) => net.Server).apply(this, args);
  } as typeof listen;
  return {
    async first(): Promise<net.Server | undefined> {
      const server = servers[0];
      if (server && !server.listening) await new Promise((resolve) => server.once('listening', resolve));
      return server;
    },
    async closeAll() {
      net.Server.prototype.listen = listen;
      await Promise.all(
        servers.map((server) => {
          (server as { closeAllConnections?: () => void }).closeAllConnections?.();
          return new Promise((resolve) => (server.listening ? server.close(resolve) : resolve(undefined)));
        }),
      );
    },
  };
}

function missingPostgres() {
  if (!databaseUrl)
    return {
      what: 'A PostgreSQL server (DATABASE_URL)',
      howToProvide: 'set DATABASE_URL=postgres://postgres@127.0.0.1:5432/phonepe_billing_test',
    };
  if (!databaseAppUrl)
    return { what: 'A non-owner PostgreSQL role (DATABASE_APP_URL)', howToProvide: 'set DATABASE_APP_URL' };
  return undefined;
}

/**
 * docs/storage.md's production set-up on a fresh database: `DATABASE_URL` the owner, `DATABASE_APP_URL`
 * the app role with exactly the documented grants, `DATABASE_SYSTEM_URL` a worker role in
 * `phonepe_billing_system`. The grants need the tables, so the database is a copy of the migrated
 * template (test/support/migrated-template.ts; the block's own migrate is then the documented no-op of a second run).
 */
async function startPostgres(): Promise<RunningEnvironment> {
  const database = await createTestDatabase(databaseUrl!, 'docs', { migrated: true });
  const worker = await createLoginRole(databaseUrl!, 'phonepe_billing_worker', { inSystemRole: true });
  const appUrl = database.urlFor(databaseAppUrl!);
  await grantAppRole(database.url, database.name, {
    app: decodeURIComponent(new URL(appUrl).username),
    worker: worker.name,
  });
  const restorePglite = await pgliteFromInitdbSnapshot();
  return {
    env: { DATABASE_URL: database.url, DATABASE_APP_URL: appUrl, DATABASE_SYSTEM_URL: worker.urlFor(database.name) },
    async stop() {
      restorePglite();
      await database.drop();
      await worker.drop();
    },
  };
}

/**
 * Until the returned function is called, a PGlite opened in memory without a data directory to load (the
 * block's `createPgliteStore()`) starts from the cached tarball of initdb's result
 * (test/storage/support/pglite-snapshot.ts) instead of running initdb, which takes seconds (over ten on a
 * loaded machine). It is what initdb makes: the store still migrates it on open.
 */
async function pgliteFromInitdbSnapshot(): Promise<() => void> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { emptyPgliteSnapshot } = await import('../../storage/support/pglite-snapshot.js');
  const initdb = await emptyPgliteSnapshot();
  type Create = (this: unknown, dataDir?: unknown, options?: { loadDataDir?: Blob }) => Promise<unknown>;
  const pglite = PGlite as unknown as { create: Create };
  const create = pglite.create;
  pglite.create = function createFromSnapshot(dataDir, options) {
    if (dataDir !== undefined || options?.loadDataDir) return create.call(this, dataDir, options);
    return create.call(this, undefined, { ...options, loadDataDir: initdb });
  };
  return () => {
    pglite.create = create;
  };
}
