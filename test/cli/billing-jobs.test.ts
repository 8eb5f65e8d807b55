import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addIntervals } from '../../src/billing/billing-period.js';
import { SubscriptionManager } from '../../src/billing/subscription-manager.js';
import { PhonePeClient } from '../../src/client/phonepe-client.js';
import { RazorpayClient } from '../../src/razorpay/razorpay-client.js';
import { createRazorpayGateway } from '../../src/razorpay/razorpay-gateway.js';
import { startRazorpayEmulator } from '../../src/testing/razorpay/index.js';
import { createManualClock } from '../../src/common/clock.js';
import { createPgStore, type KyselyStore } from '../../src/storage/kysely/index.js';
import { defaultEmulatorMerchant, startPhonePeEmulator, type PhonePeEmulator } from '../../src/testing/index.js';
import { PLANS, RETURN_URL } from '../billing/support/billing-harness.js';
import { databaseUrl, requireDependency } from '../support/environment.js';
import { createMigratedTempDatabase, type TempDatabase } from '../support/temp-database.js';
import { admin, createLoginRole } from '../storage/support/billing-roles.js';
import { grantAppRole } from '../storage/support/grant-app-role.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const cli = (args: string[], env: Record<string, string>) =>
  run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

const hasDb = requireDependency(
  databaseUrl,
  'PostgreSQL (DATABASE_URL)',
  'set DATABASE_URL to a server where the test role may create databases',
);

describe.skipIf(!hasDb)('phonepe-billing reconcile / renew as real processes', () => {
  let temp: TempDatabase;
  let emu: PhonePeEmulator;
  let store: KyselyStore;
  let env: Record<string, string>;
  const managerAt = (startMs: number) =>
    new SubscriptionManager({
      client: new PhonePeClient({
        ...pick(defaultEmulatorMerchant),
        env: 'SANDBOX',
        baseUrls: emu.baseUrls,
        retry: { limit: 0 },
      }),
      store,
      plans: PLANS,
      clock: createManualClock(startMs),
      config: {
        callbackUrl: 'https://api.example.com/v1/payments/callback',
        redirectAllowlist: ['https://app.example.com'],
      },
    });

  beforeAll(async () => {
    temp = await createMigratedTempDatabase(databaseUrl!);
    store = await createPgStore({ connectionString: temp.url });
    emu = await startPhonePeEmulator();
    env = {
      DATABASE_URL: temp.url,
      PHONEPE_CLIENT_ID: defaultEmulatorMerchant.clientId,
      PHONEPE_CLIENT_SECRET: defaultEmulatorMerchant.clientSecret,
      PHONEPE_CLIENT_VERSION: defaultEmulatorMerchant.clientVersion,
      PHONEPE_ENV: 'SANDBOX',
      PHONEPE_BASE_URL: emu.baseUrls.pg,
      PHONEPE_CALLBACK_URL: 'https://api.example.com/v1/payments/callback',
      PAYMENT_REDIRECT_ALLOWLIST: 'https://app.example.com',
    };
    await managerAt(Date.now()).syncPlans();
  });
  afterAll(async () => {
    await emu?.close();
    await store?.close();
    await temp?.drop();
  });

  it('reconcile settles a payment whose webhook never arrived, and prints what it did', async () => {
    // Created a minute ago (so PhonePe's first-check delay has passed), paid, webhook lost.
    const billing = managerAt(Date.now() - 60_000);
    const session = await billing.createCheckout({
      workspaceId: 'ws_cli',
      userId: 'u',
      planId: 'pro',
      amount: 299_900,
      returnUrl: RETURN_URL,
    });
    await emu.completeOrder(session.orderId);
    const result = await cli(['reconcile'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`payment ${session.orderId} (ws_cli): pending -> completed [settled]`);
    expect(result.stdout).toMatch(/reconcile: \d+ checked, 1 settled/);
    expect((await billing.getSubscription('ws_cli'))?.status).toBe('active');
    expect(result.stdout + result.stderr).not.toContain(defaultEmulatorMerchant.clientSecret);
  });

  it('reconcile reaches a Razorpay payment when RAZORPAY_* is set (rows stay on their gateway)', async () => {
    // Its own database: the Razorpay row it leaves would fail the other tests' jobs, which hold no Razorpay.
    const own = await createMigratedTempDatabase(databaseUrl!);
    const ownStore = await createPgStore({ connectionString: own.url });
    const rzp = await startRazorpayEmulator();
    try {
      const razorpay = createRazorpayGateway({
        client: new RazorpayClient({
          keyId: rzp.credentials.keyId,
          keySecret: rzp.credentials.keySecret,
          baseUrl: rzp.baseUrl,
        }),
        webhookSecret: rzp.credentials.webhookSecret,
      });
      const billing = new SubscriptionManager({
        gateways: [razorpay],
        store: ownStore,
        plans: PLANS,
        clock: createManualClock(Date.now() - 60_000),
        config: {
          callbackUrl: 'https://api.example.com/v1/payments/callback',
          redirectAllowlist: ['https://app.example.com'],
        },
      });
      await billing.syncPlans();
      const session = await billing.createCheckout({
        workspaceId: 'ws_cli_rzp',
        userId: 'u',
        planId: 'pro',
        amount: 299_900,
        returnUrl: RETURN_URL,
      });
      const payment = await billing.getPayment(session.orderId);
      await rzp.payOrder(payment!.phonepeOrderId!);
      // Without Razorpay's settings the job cannot reach the payment's gateway and says so (the row waits).
      const ownEnv = { ...env, DATABASE_URL: own.url };
      const without = await cli(['reconcile'], ownEnv);
      expect(without.stdout + without.stderr).toContain('held by the gateway "razorpay"');
      expect((await billing.getPayment(session.orderId))?.state).toBe('pending');
      // (A failed check backs that row off; a second payment shows the job with Razorpay's settings.)
      const second = await billing.createCheckout({
        workspaceId: 'ws_cli_rzp2',
        userId: 'u',
        planId: 'pro',
        amount: 299_900,
        returnUrl: RETURN_URL,
      });
      await rzp.payOrder((await billing.getPayment(second.orderId))!.phonepeOrderId!);
      const result = await cli(['reconcile'], {
        ...ownEnv,
        RAZORPAY_KEY_ID: rzp.credentials.keyId,
        RAZORPAY_KEY_SECRET: rzp.credentials.keySecret,
        RAZORPAY_WEBHOOK_SECRET: rzp.credentials.webhookSecret,
        RAZORPAY_BASE_URL: rzp.baseUrl,
      });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`payment ${second.orderId} (ws_cli_rzp2): pending -> completed [settled]`);
      expect((await billing.getSubscription('ws_cli_rzp2'))?.status).toBe('active');
      expect(result.stdout + result.stderr).not.toContain(rzp.credentials.keySecret);
    } finally {
      await rzp.close();
      await ownStore.close();
      await own.drop();
    }
  });

  it('on a terminal, reconcile shows a live count under its lines (a real pseudo-terminal via script(1))', async () => {
    const billing = managerAt(Date.now() - 60_000);
    const session = await billing.createCheckout({
      workspaceId: 'ws_cli_tty',
      userId: 'u',
      planId: 'pro',
      amount: 299_900,
      returnUrl: RETURN_URL,
    });
    await emu.completeOrder(session.orderId);
    const command = [process.execPath, '--import', 'tsx', 'src/cli/main.ts', 'reconcile'].join(' ');
    const tty = await run('script', ['-qec', command, '/dev/null'], { cwd: root, env: { ...process.env, ...env } });
    // The live count, redrawn in place: carriage return, erase line (ESC [2K), the count.
    expect(tty.stdout).toContain('\r\u001b[2Kreconcile: 1/');
    expect(tty.stdout).toContain(`payment ${session.orderId} (ws_cli_tty): pending -> completed [settled]`);
  });

  it('renew sends the pre-debit notice for an autopay subscription that comes due', async () => {
    // Subscribed about a month ago with autopay, so that its period ends a day from now (inside the 48 h notice lead).
    const dueIn = Date.now() + 24 * 60 * 60 * 1000;
    let start = Date.now() - 27 * 24 * 60 * 60 * 1000;
    while (addIntervals(start, 'month', 1) > dueIn) start -= 60 * 60 * 1000;
    const billing = managerAt(start);
    const session = await billing.createCheckout({
      workspaceId: 'ws_cli_auto',
      userId: 'u',
      planId: 'starter',
      amount: 99_900,
      returnUrl: RETURN_URL,
      autopay: true,
    });
    await emu.completeOrder(session.orderId);
    await billing.refreshPayment(session.orderId);
    expect((await billing.getSubscription('ws_cli_auto'))?.renewalMode).toBe('autopay');
    const result = await cli(['renew', '--worker-id', 'cron-1'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\(ws_cli_auto\): notified/);
    expect(result.stdout).toMatch(/renew \(cron-1\): \d+ claimed/);
    const payments = await store.transaction({ workspaceId: 'ws_cli_auto' }, (tx) =>
      tx.payments.listByWorkspace('ws_cli_auto', { limit: 5 }),
    );
    expect(payments.find((p) => p.purpose === 'renewal')).toMatchObject({
      method: 'autopay_redemption',
      state: 'pending',
    });
  });

  it('runs its cross-workspace work on DATABASE_SYSTEM_URL, the worker role (the app role may not)', async () => {
    const app = await createLoginRole(databaseUrl!, 'phonepe_billing_cli_app');
    const worker = await createLoginRole(databaseUrl!, 'phonepe_billing_cli_worker', { inSystemRole: true });
    try {
      await grantAppRole(temp.url, temp.name, { app: app.name, worker: worker.name });
      const asApp = await cli(['reconcile'], { ...env, DATABASE_URL: app.urlFor(temp.name) });
      expect(asApp.code).not.toBe(0);
      expect(asApp.stderr).toContain(`grant phonepe_billing_system to ${app.name}`);
      const withWorker = await cli(['reconcile', '--database-system-url', worker.urlFor(temp.name)], {
        ...env,
        DATABASE_URL: app.urlFor(temp.name),
      });
      expect(withWorker.stderr).toBe('');
      expect(withWorker.code).toBe(0);
      expect(withWorker.stdout).toMatch(/reconcile: \d+ checked/);
    } finally {
      await admin(temp.url, `drop owned by "${app.name}", "${worker.name}"`).catch(() => undefined);
      await app.drop();
      await worker.drop();
    }
  });

  it('names the missing setting and exits 2', async () => {
    const { PHONEPE_CLIENT_SECRET: _drop, ...rest } = env;
    const result = await cli(['renew'], { ...rest, PHONEPE_CLIENT_SECRET: '' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('PHONEPE_CLIENT_SECRET is empty');
    const usage = await cli(['reconcile', '--bogus'], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("Unknown option '--bogus'");
  });
});

function pick(m: typeof defaultEmulatorMerchant) {
  return { clientId: m.clientId, clientSecret: m.clientSecret, clientVersion: m.clientVersion };
}
