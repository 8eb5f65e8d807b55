import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SubscriptionManager } from '../../../src/billing/subscription-manager.js';
import { PhonePeClient } from '../../../src/client/phonepe-client.js';
import { createPgStore, type KyselyStore } from '../../../src/storage/kysely/index.js';
import { defaultEmulatorMerchant } from '../../../src/testing/index.js';
import { PLANS } from '../../billing/support/billing-harness.js';
import { databaseUrl, requireDependency } from '../../support/environment.js';
import { createMigratedTempDatabase, type TempDatabase } from '../../support/temp-database.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../../..');
const HOOKS = 'test/cli/support/recording-hooks.ts';
const SYSTEM = { system: true } as const;

const hasDb = requireDependency(
  databaseUrl,
  'PostgreSQL (DATABASE_URL)',
  'set DATABASE_URL to a server where the test role may create databases',
);

describe.skipIf(!hasDb)('phonepe-billing events as a real process', { timeout: 60_000 }, () => {
  let temp: TempDatabase;
  let store: KyselyStore;
  let env: Record<string, string>;
  const log = join(mkdtempSync(join(tmpdir(), 'outbox-hooks-')), 'delivered.txt');
  const cli = (args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'events', ...args], {
      cwd: root,
      env: { ...process.env, ...env },
    }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
  const anomaly = (id: string, detail: string, now = Date.now()) => ({
    id,
    workspaceId: 'ws_cli',
    event: 'anomaly',
    payload: { kind: 'late_payment', detail, workspaceId: 'ws_cli', subjectId: null },
    now,
  });
  const delivered = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);

  beforeAll(async () => {
    temp = await createMigratedTempDatabase(databaseUrl!);
    store = await createPgStore({ connectionString: temp.url });
    // The plans the host synced (the CLI builds its manager from them).
    await new SubscriptionManager({
      client: new PhonePeClient({
        clientId: defaultEmulatorMerchant.clientId,
        clientSecret: defaultEmulatorMerchant.clientSecret,
        clientVersion: defaultEmulatorMerchant.clientVersion,
        env: 'SANDBOX',
      }),
      store,
      plans: PLANS,
      config: {
        callbackUrl: 'https://api.example.com/v1/payments/callback',
        redirectAllowlist: ['https://app.example.com'],
      },
    }).syncPlans();
    env = {
      DATABASE_URL: temp.url,
      PHONEPE_CLIENT_ID: defaultEmulatorMerchant.clientId,
      PHONEPE_CLIENT_SECRET: defaultEmulatorMerchant.clientSecret,
      PHONEPE_CLIENT_VERSION: defaultEmulatorMerchant.clientVersion,
      PHONEPE_ENV: 'SANDBOX',
      PHONEPE_CALLBACK_URL: 'https://api.example.com/v1/payments/callback',
      PAYMENT_REDIRECT_ALLOWLIST: 'https://app.example.com',
      OUTBOX_HOOKS_LOG: log,
    };
    // A dead event (its hook failed every attempt), then two pending ones.
    const past = Date.now() - 60_000;
    await store.transaction(SYSTEM, (tx) => tx.outbox.append([anomaly('evt_cli_1', 'first', past)]));
    await store.transaction(SYSTEM, async (tx) => {
      await tx.outbox.claim({ now: past, limit: 1, workerId: 'w', leaseMs: 1000 });
      await tx.outbox.finish({
        id: 'evt_cli_1',
        workerId: 'w',
        now: past,
        outcome: { delivered: false, error: 'mailer down', retryAt: null },
      });
    });
    await store.transaction(SYSTEM, (tx) =>
      tx.outbox.append([anomaly('evt_cli_2', 'second', past), anomaly('evt_cli_3', 'third', past)]),
    );
  });
  afterAll(async () => {
    await store?.close();
    await temp?.drop();
  });

  it('prints the counts and delivers nothing without the hooks; --loop without them is bad usage', async () => {
    const counts = await cli([]);
    expect(counts.code, counts.stderr).toBe(0);
    expect(counts.stdout).toMatch(/events: 2 pending \(2 due now\), 1 dead, 0 delivered; oldest pending \d{4}-/);
    expect(await cli(['--loop'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--hooks') });
    expect(await cli(['--dead', '--replay', 'evt_cli_1'])).toMatchObject({ code: 2 });
    expect(delivered()).toEqual([]);
  });

  it('lists the dead event and replays it once; replaying it again fails', async () => {
    const dead = await cli(['--dead']);
    expect(dead.code, dead.stderr).toBe(0);
    expect(dead.stdout).toContain('evt_cli_1 anomaly workspace=ws_cli attempts=1');
    expect(dead.stdout).toContain('error="mailer down"');
    expect(dead.stdout).toContain('events: 1 dead');
    expect(await cli(['--replay', 'evt_cli_1'])).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('pending again'),
    });
    expect(await cli(['--replay', 'evt_cli_1'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('not dead'),
    });
    expect(await cli(['--replay', 'evt_nope'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no billing event'),
    });
  });

  it('with --hooks delivers the due events through the module, in order, once', async () => {
    const result = await cli(['--hooks', HOOKS]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('events: 3 claimed, 3 delivered, 0 to retry, 0 dead, 0 deferred');
    expect(delivered()).toEqual(['evt_cli_1 first', 'evt_cli_2 second', 'evt_cli_3 third']);
    expect((await cli(['--hooks', HOOKS])).stdout).toContain('events: 0 claimed');
    expect(delivered()).toHaveLength(3);
    expect((await cli([])).stdout).toContain('0 pending (0 due now), 0 dead, 3 delivered');
  });

  it('with --hooks --loop keeps delivering what comes in, and stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'events', '--hooks', HOOKS, '--loop', '--interval', '1'],
      {
        cwd: root,
        env: { ...process.env, ...env },
      },
    );
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const exited = once(child, 'exit');
    try {
      await store.transaction(SYSTEM, (tx) => tx.outbox.append([anomaly('evt_cli_4', 'fourth')]));
      for (let i = 0; i < 200 && delivered().length < 4; i += 1) await new Promise((r) => setTimeout(r, 100));
      expect(delivered().at(-1)).toBe('evt_cli_4 fourth');
      child.kill('SIGTERM');
      const [code] = await exited;
      expect(code).toBe(0);
      expect(stdout).toContain('1 delivered');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
