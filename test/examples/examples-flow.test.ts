import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defaultEmulatorWebhookCredentials,
  startPhonePeEmulator,
  type PhonePeEmulator,
} from '../../src/testing/index.js';
import { signJwt } from '../../examples/common/jwt.js';
import { demoClient, getManual } from '../../scripts/demo/demo-http.js';
import { freePort } from '../../scripts/demo/free-port.js';
import { submitHostedPage } from '../../scripts/demo/hosted-page.js';
import { databaseUrl, requireDependency } from '../support/environment.js';
import { createTempDatabase, type TempDatabase } from '../support/temp-database.js';
import { startTsProcess, type ExampleProcess } from './support/example-process.js';

const FRAMEWORKS = ['express', 'fastify', 'hono'] as const;
type Framework = (typeof FRAMEWORKS)[number];
const hasPostgres = requireDependency(
  databaseUrl,
  'PostgreSQL (DATABASE_URL)',
  'set DATABASE_URL=postgres://postgres@127.0.0.1:5432/phonepe_billing_test',
);
const JWT_SECRET = randomBytes(32).toString('hex');

interface RunningApp {
  url: string;
  env: Record<string, string>;
  process: ExampleProcess;
  database: TempDatabase;
}

/** One emulator, one merchant per example (each with its own webhook URL), one fresh database per example. */
describe.skipIf(!hasPostgres)('the examples as processes, on PostgreSQL, against the emulator', () => {
  let emu: PhonePeEmulator;
  const apps = {} as Record<Framework, RunningApp>;

  beforeAll(async () => {
    const ports = await Promise.all(FRAMEWORKS.map(() => freePort()));
    const merchant = (framework: Framework, i: number) => ({
      clientId: `EXAMPLE_${framework.toUpperCase()}`,
      clientSecret: `example-${framework}-secret`,
      clientVersion: '1',
      merchantId: `PGEXAMPLE${framework.toUpperCase()}`,
      webhook: { url: `http://127.0.0.1:${ports[i]}/v1/payments/webhook` },
    });
    // The PayPage opens only from an app's own page (PhonePe checks the referrer).
    const appOrigins = ports.map((port) => `http://127.0.0.1:${port}`);
    emu = await startPhonePeEmulator({
      merchants: FRAMEWORKS.map(merchant),
      requireReferrer: appOrigins,
      webhook: { retry: { retries: 2, delaysMs: [100, 300] } },
    });
    await Promise.all(
      FRAMEWORKS.map(async (framework, i) => {
        const database = await createTempDatabase(databaseUrl!, 'phonepe_billing_ex');
        const url = `http://127.0.0.1:${ports[i]}`;
        const { clientId, clientSecret, clientVersion } = merchant(framework, i);
        const env = {
          PHONEPE_CLIENT_ID: clientId,
          PHONEPE_CLIENT_SECRET: clientSecret,
          PHONEPE_CLIENT_VERSION: clientVersion,
          PHONEPE_ENV: 'SANDBOX',
          PHONEPE_BASE_URL: emu.baseUrls.pg,
          PHONEPE_WEBHOOK_USERNAME: defaultEmulatorWebhookCredentials.username,
          PHONEPE_WEBHOOK_PASSWORD: defaultEmulatorWebhookCredentials.password,
          PHONEPE_CALLBACK_URL: `${url}/v1/payments/callback`,
          PAYMENT_REDIRECT_ALLOWLIST: url,
          DATABASE_URL: database.url,
          JWT_SECRET,
          PORT: String(ports[i]),
          HOST: '127.0.0.1',
        };
        const child = startTsProcess(`examples/${framework}/server.ts`, [], env);
        apps[framework] = { url, env, process: child, database };
        await child.waitFor(/listening on http:\/\/127\.0\.0\.1:\d+/);
      }),
    );
  }, 90_000);

  afterAll(async () => {
    await Promise.all(
      Object.values(apps).map(async (app) => {
        await app.process.stop();
        await app.database.drop();
      }),
    );
    await emu?.close();
  });

  const tokenFor = (user: string) => signJwt({ sub: user }, JWT_SECRET);

  describe.each(FRAMEWORKS)('examples/%s', (framework) => {
    it('create → pay on the hosted page → callback → webhook → active subscription → quota route → cancel', async () => {
      const app = apps[framework];
      const owner = demoClient(app.url, { token: await tokenFor('usr_owner'), workspace: 'ws_demo' });
      const created = await owner('POST', '/v1/payments/create', {
        plan_id: 'pro',
        amount: '2999.00',
        return_url: `${app.url}/`,
      });
      expect(created.status).toBe(200);
      expect(created.json).toMatchObject({
        status: 'success',
        amount: '2999.00',
        plan_id: 'pro',
        payment_url: expect.stringContaining(`${emu.url}/`),
      });
      const orderId: string = created.json.order_id;

      // The billing page opens the PayPage with the emulator's checkout.js, which its CSP allows.
      const billingPage = await fetch(`${app.url}/`);
      expect(await billingPage.text()).toContain(`<script src="${emu.checkoutScriptUrl}"></script>`);
      expect(billingPage.headers.get('content-security-policy')).toContain(
        `script-src 'unsafe-inline' ${emu.checkoutScriptUrl};`,
      );
      expect(billingPage.headers.get('content-security-policy')).toContain(`frame-src ${emu.url};`);
      const visit = await submitHostedPage(created.json.payment_url, `${app.url}/`, 'pay');
      expect(visit.amountText).toBe('₹2,999.00');
      expect(visit.status).toBe(302);
      expect(visit.location).toBe(`${app.url}/v1/payments/callback?order_id=${orderId}`);
      const callback = await getManual(visit.location!);
      expect([callback.status, callback.location]).toEqual([
        302,
        `${app.url}/?payment_status=completed&order_id=${orderId}`,
      ]);
      const page = await getManual(callback.location!);
      expect(page.status).toBe(200);
      expect(page.text).toContain('<title>Billing');

      await emu.webhooks.idle();
      const delivery = emu.webhooks.deliveries.find(
        (d) => d.event === 'checkout.order.completed' && d.body.includes(orderId),
      );
      expect(delivery?.url).toBe(`${app.url}/v1/payments/webhook`);
      expect(delivery?.attempts.map((a) => a.status)).toEqual([200]);

      const member = demoClient(app.url, { token: await tokenFor('usr_member'), workspace: 'ws_demo' });
      const sub = await member('GET', '/v1/subscriptions');
      expect(sub.json.data).toMatchObject({
        subscription: { plan_id: 'pro', status: 'active', cancel_at_period_end: false, limits: { projects: 10 } },
        usage: { projects: { current: 0, limit: 10, percentage: 0 } },
      });

      const project = await member('POST', '/api/projects');
      expect([project.status, project.json.usage]).toEqual([
        201,
        { metric: 'projects', current: 1, limit: 10, percentage: 10, duplicate: false },
      ]);

      const refused = await member('PUT', '/v1/subscriptions/cancel', { at_period_end: true });
      expect([refused.status, refused.json.error.code]).toEqual([403, 'FORBIDDEN']);
      const cancelled = await owner('PUT', '/v1/subscriptions/cancel', {
        cancellation_reason: 'switching tools',
        at_period_end: true,
      });
      expect(cancelled.status).toBe(200);
      expect(cancelled.json.subscription).toMatchObject({
        status: 'active',
        cancel_at_period_end: true,
        cancellation_reason: 'switching tools',
      });
    });

    it('the quota route answers 429 QUOTA_EXCEEDED at the plan limit and 401 without a valid token', async () => {
      const app = apps[framework];
      const owner = demoClient(app.url, { token: await tokenFor('usr_owner'), workspace: 'ws_demo' });
      // The first test left 1 of the Pro plan's 10 projects used.
      for (let used = 2; used <= 10; used++)
        expect((await owner('POST', '/api/projects')).json.usage.current).toBe(used);
      const over = await owner('POST', '/api/projects');
      expect([over.status, over.json.error.code, over.json.error.details]).toEqual([
        429,
        'QUOTA_EXCEEDED',
        { metric: 'projects', current: 10, limit: 10, requested: 1 },
      ]);
      const stranger = demoClient(app.url, {
        token: await signJwt({ sub: 'usr_owner' }, 'another-secret-of-at-least-32-characters'),
        workspace: 'ws_demo',
      });
      expect((await stranger('POST', '/api/projects')).status).toBe(401);
      expect((await stranger('GET', '/v1/subscriptions')).status).toBe(401);
      const expired = demoClient(app.url, {
        token: await signJwt({ sub: 'usr_owner' }, JWT_SECRET, { now: Date.now() - 7_200_000 }),
        workspace: 'ws_demo',
      });
      expect((await expired('GET', '/v1/subscriptions')).status).toBe(401);
      for (const workspace of ['ws_other', '__proto__']) {
        const elsewhere = demoClient(app.url, { token: await tokenFor('usr_owner'), workspace });
        expect((await elsewhere('POST', '/api/projects')).status).toBe(403);
        expect((await elsewhere('GET', '/v1/subscriptions')).json.error.code).toBe('FORBIDDEN');
      }
    });
  });

  it('examples/scripts run against the same database: sync plans, check a payment, renewals, reconcile', async () => {
    const { env } = apps.express;
    const orders = await demoClient(apps.express.url, { token: await tokenFor('usr_owner'), workspace: 'ws_demo' })(
      'GET',
      '/v1/subscriptions',
    );
    expect(orders.json.data.subscription.status).toBe('active');
    const paid = emu.webhooks.deliveries.find(
      (d) => d.url?.startsWith(apps.express.url) && d.event === 'checkout.order.completed',
    );
    const orderId = JSON.parse(paid!.body).payload.merchantOrderId as string;
    const run = (script: string, args: string[] = []) => startTsProcess(`examples/scripts/${script}`, args, env);
    const [sync, check, renew, reconcile, missing] = [
      run('sync-plans.ts'),
      run('check-payment.ts', [orderId]),
      run('run-renewals.ts'),
      run('reconcile.ts', ['--older-than-seconds', '0']),
      run('check-payment.ts', ['ord_nope']),
    ];
    expect(await sync.exited()).toBe(0);
    expect(sync.stdout()).toMatch(/pro\s+₹2,999\.00 \/ month\s+projects 10, api_calls 100000/);
    expect(sync.stdout()).toContain('3 plans synced.');
    expect(await check.exited()).toBe(0);
    expect(check.stdout()).toContain(
      `${orderId}: completed (unchanged), ₹2,999.00 for plan pro, workspace ws_demo, paid by UPI_INTENT`,
    );
    expect(await renew.exited()).toBe(0);
    expect(renew.stdout()).toContain('renewals: 0 subscriptions due.');
    expect(await reconcile.exited()).toBe(0);
    expect(reconcile.stdout()).toMatch(/reconcile: 0 checked, 0 settled, 0 not due yet, 0 errors\./);
    expect(await missing.exited()).toBe(1);
    expect(missing.stderr()).toContain('No payment with order id ord_nope');
  }, 60_000);

  it('an example refuses to start without a required variable and names it', async () => {
    const { PHONEPE_CALLBACK_URL: _left, ...env } = apps.hono.env;
    const child = startTsProcess('examples/hono/server.ts', [], { ...env, PORT: '0' });
    expect(await child.exited()).toBe(1);
    expect(child.stderr()).toContain('PHONEPE_CALLBACK_URL is not set');
    const weak = startTsProcess('examples/hono/server.ts', [], { ...apps.hono.env, PORT: '0', JWT_SECRET: 'short' });
    expect(await weak.exited()).toBe(1);
    expect(weak.stderr()).toContain('JWT_SECRET must be set to a random string of at least 32 characters');
  });
});
