import { spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runDemoFlow } from '../../scripts/demo/demo-flow.js';
import { DemoStepError } from '../../scripts/demo/demo-step-error.js';
import type { PhonePeEmulator } from '../../src/testing/index.js';
import { REPO_ROOT, startTsProcess } from './support/example-process.js';

// The demo's PGlite starts from the initdb tarball the test run caches instead of running initdb (see the file).
const PGLITE_FROM_SNAPSHOT = { NODE_OPTIONS: `--import ${REPO_ROOT}/test/examples/support/pglite-initdb-snapshot.mjs` };

describe('npm run demo', () => {
  it('walks the whole flow over HTTP, one line per step, and exits 0 with nothing left running', async () => {
    // Through npm, as the README says; a DATABASE_URL of the caller's must not matter (the demo is on PGlite).
    const child = spawn('npm', ['run', '--silent', 'demo'], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        DATABASE_URL: 'postgres://nobody@127.0.0.1:1/nowhere',
        ...PGLITE_FROM_SNAPSHOT,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    const [code] = await once(child, 'exit');
    expect({ code, err }).toEqual({ code: 0, err: '' });
    // Each step line is "  ✓ <step padded to 15> <detail>".
    const steps = out
      .split('\n')
      .filter((line) => line.startsWith('  ✓ '))
      .map((line) => line.slice(4, 19).trim());
    expect(steps).toEqual([
      'emulator',
      'app',
      'sign in',
      'create payment',
      'hosted page',
      'callback',
      'webhook',
      'subscription',
      'record usage',
      'cancel',
    ]);
    expect(out).toMatch(/create payment +POST \/v1\/payments\/create plan=pro amount=2999\.00 → 200 order_id=ord_\w+/);
    expect(out).toMatch(
      /hosted page +http:\/\/127\.0\.0\.1:\d+\/transact\/uat_v2 shows ₹2,999\.00; Pay → 302 \/v1\/payments\/callback/,
    );
    expect(out).toContain('GET /v1/payments/callback → 302 /?payment_status=completed → billing page 200');
    expect(out).toContain('checkout.order.completed → POST /v1/payments/webhook → 200');
    expect(out).toMatch(
      /GET \/v1\/subscriptions → Pro active until \d{4}-\d\d-\d\d; usage api_calls 0\/100000 \(0%\), projects 0\/10 \(0%\)/,
    );
    expect(out).toContain('POST /api/projects → 201; projects 1/10 (10%)');
    expect(out).toMatch(
      /PUT \/v1\/subscriptions\/cancel → active, cancel_at_period_end=true, access until \d{4}-\d\d-\d\d/,
    );
    expect(out).toMatch(/All steps passed in [\d.]+ s\./);
  }, 60_000);

  it('--gateway razorpay walks the same flow through Razorpay: checkout page, Checkout, signed callback, webhooks', async () => {
    const child = spawn('npm', ['run', '--silent', 'demo', '--', '--gateway', 'razorpay'], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        DATABASE_URL: 'postgres://nobody@127.0.0.1:1/nowhere',
        // Nor Razorpay settings of the caller's: the demo builds the app's environment itself.
        RAZORPAY_KEY_ID: 'rzp_test_NotTheDemos0001',
        ...PGLITE_FROM_SNAPSHOT,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    const [code] = await once(child, 'exit');
    expect({ code, err }).toEqual({ code: 0, err: '' });
    const steps = out
      .split('\n')
      .filter((line) => line.startsWith('  ✓ '))
      .map((line) => line.slice(4, 19).trim());
    expect(steps).toEqual([
      'emulator',
      'razorpay',
      'app',
      'sign in',
      'create payment',
      'checkout page',
      'razorpay pay',
      'callback',
      'webhook',
      'subscription',
      'record usage',
      'cancel',
    ]);
    expect(out).toContain('gateways phonepe, razorpay (default)');
    // No gateway in the request: BILLING_DEFAULT_GATEWAY=razorpay decided.
    expect(out).toMatch(
      /create payment +POST \/v1\/payments\/create plan=pro amount=2999\.00 → 200 gateway=razorpay order_id=ord_\w+/,
    );
    expect(out).toMatch(
      /checkout page +GET \/v1\/payments\/checkout → 200, opens http:\/\/127\.0\.0\.1:\d+\/v1\/checkout\.js for order_\w+/,
    );
    expect(out).toMatch(/razorpay pay +the emulator's Checkout shows ₹2999\.00; Pay → pay_\w+, signed/);
    expect(out).toContain(
      'POST /v1/payments/callback (signature checked) → 303 /?payment_status=completed → billing page 200',
    );
    expect(out).toMatch(/webhook +(?:[a-z.]+ 200, )*order\.paid 200.* → POST \/v1\/payments\/webhook\/razorpay/);
    expect(out).toMatch(/GET \/v1\/subscriptions → Pro active until \d{4}-\d\d-\d\d/);
    expect(out).toContain('POST /api/projects → 201; projects 1/10 (10%)');
    expect(out).toMatch(/PUT \/v1\/subscriptions\/cancel → active, cancel_at_period_end=true/);
    expect(out).toContain('Next: `npm run demo -- --gateway razorpay --serve`');
  }, 60_000);

  it('--serve --gateway razorpay serves a billing page offering both gateways, Razorpay preselected', async () => {
    const demo = startTsProcess(
      'scripts/demo.ts',
      ['--serve', '--gateway', 'razorpay', '--port', '0', '--emulator-port', '0', '--razorpay-port', '0'],
      { ...PGLITE_FROM_SNAPSHOT },
    );
    try {
      const [, pageUrl] = await demo.waitFor(/Billing page +(\S+)/);
      await demo.waitFor(/Press Ctrl-C to stop/);
      const [, razorpayUrl] = demo.stdout().match(/Razorpay +(http:\/\/\S+)/)!;
      const page = await fetch(new URL(pageUrl!).origin);
      expect(await page.text()).toContain('data-gateways="phonepe razorpay" data-default-gateway="razorpay"');
      expect((await fetch(`${razorpayUrl}/__emulator/state`)).status).toBe(200);
      expect((await fetch(`${razorpayUrl}/v1/checkout.js`)).status).toBe(200);
    } finally {
      expect(await demo.stop('SIGINT')).toBe(0);
    }
  }, 60_000);

  it('refuses an unknown --gateway with the usage', async () => {
    const demo = startTsProcess('scripts/demo.ts', ['--gateway', 'stripe'], {});
    expect(await demo.exited()).toBe(2);
    expect(demo.stderr()).toContain('--gateway is phonepe or razorpay, got "stripe".');
    expect(demo.stderr()).toContain('--gateway <name>');
  });

  it('--serve keeps the app and the emulator running, prints the URLs and a sign-in link, and stops on Ctrl-C', async () => {
    const demo = startTsProcess('scripts/demo.ts', ['--serve', '--port', '0', '--emulator-port', '0'], {
      ...PGLITE_FROM_SNAPSHOT,
    });
    try {
      const [, pageUrl] = await demo.waitFor(/Billing page +(\S+)/);
      await demo.waitFor(/Press Ctrl-C to stop/);
      const url = new URL(pageUrl!);
      const fragment = new URLSearchParams(url.hash.slice(1));
      expect(fragment.get('workspace')).toBe('ws_demo');
      const [, emulatorUrl] = demo.stdout().match(/Emulator +(http:\/\/\S+)/)!;
      const page = await fetch(url.origin);
      expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
      expect(await page.text()).toContain('id="plans"');
      const headers = { authorization: `Bearer ${fragment.get('token')}`, 'x-tenant-id': 'ws_demo' };
      const sub = await fetch(`${url.origin}/v1/subscriptions`, { headers });
      expect(await sub.json()).toEqual({ status: 'success', data: { subscription: null, usage: {} } });
      expect((await fetch(`${emulatorUrl}/__emulator/state`)).status).toBe(200);
    } finally {
      expect(await demo.stop('SIGINT')).toBe(0);
    }
    expect(demo.stdout()).toContain('SIGINT: stopping.');
  }, 60_000);
});

describe('runDemoFlow', () => {
  it('stops at the first step that does not see what it expects and names it with the answer', async () => {
    const app = http.createServer((_req, res) => {
      res.writeHead(403, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          status: 'error',
          error: { code: 'FORBIDDEN', message: 'You are not a member of workspace ws_demo.' },
        }),
      );
    });
    app.listen(0, '127.0.0.1');
    await once(app, 'listening');
    const url = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
    const printed: string[] = [];
    const stack = {
      app: { url, close: async () => {} },
      emu: {} as PhonePeEmulator,
      jwtSecret: 'x'.repeat(32),
      close: async () => {},
    };
    try {
      const failure = await runDemoFlow(stack, (step) => printed.push(step)).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(DemoStepError);
      expect(failure).toMatchObject({
        step: 'create payment',
        message: 'HTTP 403 FORBIDDEN: You are not a member of workspace ws_demo.',
      });
      expect(printed).toEqual(['sign in']);
    } finally {
      app.close();
    }
  });
});
