import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { phonePeCaller, payBody, read } from '../../testing/support/phonepe-caller.js';
import { startWebhookReceiver } from '../../testing/support/webhook-receiver.js';
import { razorpayCaller, startRazorpayReceiver } from '../../testing/razorpay/support/razorpay-caller.js';
import { createHmac } from 'node:crypto';

// The real command line: node with the tsx loader, so SIGTERM reaches the CLI process itself.
function startCli(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'emulator', ...args], {
    cwd: process.cwd(),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = once(child, 'exit').then(([code]) => code as number);
  return { child, exited, output: () => stdout, errors: () => stderr };
}

async function untilListening(cli: ReturnType<typeof startCli>): Promise<string> {
  for (let i = 0; i < 200 && !cli.output().includes('Press Ctrl-C'); i += 1) {
    if (cli.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const match = /listening on (http:\/\/[^\s]+)/.exec(cli.output());
  if (!match) throw new Error(`the CLI did not start: ${cli.output()} ${cli.errors()}`);
  return match[1]!;
}

const running: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('phonepe-billing emulator', () => {
  it('starts on a free port with given credentials, prints them, serves PhonePe, and stops on SIGTERM', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const cli = startCli([
        '--port',
        '0',
        '--client-id',
        'CLI_CLIENT',
        '--client-secret',
        'cli-secret',
        '--client-version',
        '3',
        '--merchant-id',
        'CLIMERCHANT',
        '--webhook-url',
        receiver.url,
        '--webhook-username',
        'cli_hooks',
        '--webhook-password',
        'cliPass123',
        '--outcome',
        'success',
      ]);
      running.push(cli.child);
      const url = await untilListening(cli);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(url).not.toMatch(/:8787$/);
      const out = cli.output();
      expect(out).toContain(`PG base URL:     ${url}/apis/pg-sandbox`);
      expect(out).toContain(`OAuth base URL:  ${url}/apis/pg-sandbox`);
      expect(out).toContain('clientId=CLI_CLIENT clientSecret=cli-secret clientVersion=3 merchantId=CLIMERCHANT');
      expect(out).toContain(`POST ${receiver.url}`);
      expect(out).toContain('Outcome:         success');

      const caller = phonePeCaller(
        { baseUrls: { pg: `${url}/apis/pg-sandbox`, oauth: `${url}/apis/pg-sandbox` } },
        { clientId: 'CLI_CLIENT', clientSecret: 'cli-secret', clientVersion: '3' },
      );
      const body = payBody();
      expect((await caller.post('/checkout/v2/pay', body)).status).toBe(200);
      // outcome success: the order settles and the webhook goes to --webhook-url.
      await receiver.waitFor(1);
      expect(receiver.received[0]!.json).toMatchObject({
        event: 'checkout.order.completed',
        payload: { merchantId: 'CLIMERCHANT', merchantOrderId: body.merchantOrderId },
      });
      const state = await fetch(`${url}/__emulator/state`).then(read);
      expect(state.body.orders[0].state).toBe('COMPLETED');

      cli.child.kill('SIGTERM');
      expect(await cli.exited).toBe(0);
      expect(cli.output()).toContain('Received SIGTERM; stopping the emulator.');
      await expect(fetch(`${url}/__emulator/state`)).rejects.toThrow();
    } finally {
      await receiver.close();
    }
  });

  it('uses the default sandbox credentials when none are given, and stops on SIGINT', async () => {
    const cli = startCli(['--port', '0']);
    running.push(cli.child);
    const url = await untilListening(cli);
    expect(cli.output()).toContain(
      'clientId=EMULATOR_TEST_CLIENT clientSecret=emulator-test-client-secret clientVersion=1 merchantId=PGTESTEMULATOR',
    );
    expect(cli.output()).toContain('not sent (no --webhook-url)');
    expect(
      (
        await phonePeCaller({
          baseUrls: { pg: `${url}/apis/pg-sandbox`, oauth: `${url}/apis/pg-sandbox` },
        }).fetchToken()
      ).status,
    ).toBe(200);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
  });

  it('takes the response shape, mandate families and referrer rule from flags', async () => {
    const cli = startCli([
      '--port',
      '0',
      '--response-shape',
      'documented',
      '--mandate-families',
      'checkout',
      '--wrong-family-status',
      '401',
      '--require-referrer',
      'http://127.0.0.1:3000, https://shop.example',
    ]);
    running.push(cli.child);
    const url = await untilListening(cli);
    expect(cli.output()).toContain('Responses:       documented shape; checkout mandates on checkout');
    expect(cli.output()).toContain(
      `checkout.js:     ${url}/web/bundle/checkout.js (hosted page needs a referrer from http://127.0.0.1:3000, https://shop.example)`,
    );
    const caller = phonePeCaller({ baseUrls: { pg: `${url}/apis/pg-sandbox`, oauth: `${url}/apis/pg-sandbox` } });
    const body = payBody();
    const created = await caller.post('/checkout/v2/pay', body);
    expect((await caller.get(`/checkout/v2/order/${body.merchantOrderId}/status`)).body).toMatchObject({
      merchantOrderId: body.merchantOrderId,
      currency: 'INR',
    });
    expect((await fetch(created.body.redirectUrl)).status).toBe(403);
    expect((await fetch(created.body.redirectUrl, { referrer: 'https://shop.example/billing' })).status).toBe(200);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });

  it('prints help, and refuses bad options with exit code 2', async () => {
    const [help, badOutcome, badPort, unknown, badShape, badFamily, badReferrer] = [
      ['--help'],
      ['--outcome', 'sometimes'],
      ['--port', '70000'],
      ['--prot', '1'],
      ['--response-shape', 'full'],
      ['--mandate-families', 'checkout,api'],
      ['--require-referrer', 'shop.example'],
    ].map((args) => startCli(args));
    expect(
      await Promise.all(
        [help, badOutcome, badPort, unknown, badShape, badFamily, badReferrer].map((cli) => cli!.exited),
      ),
    ).toEqual([0, 2, 2, 2, 2, 2, 2]);
    expect(badShape!.errors()).toContain('--response-shape must be one of minimal, documented, got "full"');
    expect(badFamily!.errors()).toContain(
      '--mandate-families must list one or both of checkout, subscriptions, got "checkout,api"',
    );
    expect(badReferrer!.errors()).toContain('--require-referrer must be "any" or a comma-separated list of origins');
    expect(help!.output()).toContain('Usage: phonepe-billing emulator [options]');
    expect(help!.output()).toContain('--webhook-url');
    expect(badOutcome!.errors()).toContain('--outcome must be one of manual, success, failure, pending');
    expect(badPort!.errors()).toContain('--port must be an integer from 0 to 65535');
    expect(unknown!.errors()).toMatch(/Unknown option '--prot'/);
  });

  it('--gateway razorpay: prints URL and credentials, serves /v1 with them, signs webhooks, stops on SIGTERM', async () => {
    const receiver = await startRazorpayReceiver();
    try {
      const cli = startCli([
        '--gateway',
        'razorpay',
        '--port',
        '0',
        '--key-id',
        'rzp_test_CliKey',
        '--key-secret',
        'cliKeySecret1',
        '--webhook-secret',
        'cliHookSecret1',
        '--webhook-url',
        receiver.url,
      ]);
      running.push(cli.child);
      const url = await untilListening(cli);
      const out = cli.output();
      expect(out).toContain(`Razorpay emulator listening on ${url}`);
      expect(out).toContain(`API base URL:    ${url}/v1`);
      expect(out).toContain(`checkout.js:     ${url}/v1/checkout.js`);
      expect(out).toContain('keyId=rzp_test_CliKey keySecret=cliKeySecret1 webhookSecret=cliHookSecret1');
      const api = razorpayCaller(
        { url, baseUrl: `${url}/v1` },
        { keyId: 'rzp_test_CliKey', keySecret: 'cliKeySecret1' },
      );
      const order = await api.post('/orders', { amount: 10_000, currency: 'INR' });
      expect(order.status).toBe(200);
      expect((await api.control('POST', `/orders/${order.body.id}/pay`)).status).toBe(200);
      await receiver.waitFor(3);
      const first = receiver.received[0]!;
      expect(first.signature).toBe(createHmac('sha256', 'cliHookSecret1').update(first.body).digest('hex'));
      cli.child.kill('SIGTERM');
      expect(await cli.exited).toBe(0);
      await expect(fetch(`${url}/__emulator/state`)).rejects.toThrow();
    } finally {
      await receiver.close();
    }
  });

  it('--gateway: refuses an unknown gateway and flags of the other gateway with exit code 2', async () => {
    const [unknownGateway, phonePeFlag, razorpayFlag] = [
      ['--gateway', 'stripe'],
      ['--gateway', 'razorpay', '--client-id', 'X'],
      ['--key-id', 'rzp_test_x'],
    ].map((args) => startCli(args));
    expect(await Promise.all([unknownGateway, phonePeFlag, razorpayFlag].map((cli) => cli!.exited))).toEqual([2, 2, 2]);
    expect(unknownGateway!.errors()).toContain('--gateway must be one of phonepe, razorpay, got "stripe"');
    expect(phonePeFlag!.errors()).toContain('--client-id does not apply to --gateway razorpay');
    expect(razorpayFlag!.errors()).toContain('--key-id does not apply to --gateway phonepe');
  });
});
