import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDuration } from '../../../src/cli/commands/purge.js';
import { createPgStore, type KyselyStore } from '../../../src/storage/kysely/index.js';
import { defaultEmulatorMerchant } from '../../../src/testing/index.js';
import { PLANS } from '../../billing/support/billing-harness.js';
import { SubscriptionManager } from '../../../src/billing/subscription-manager.js';
import { PhonePeClient } from '../../../src/client/phonepe-client.js';
import { databaseUrl, requireDependency } from '../../support/environment.js';
import { createMigratedTempDatabase, type TempDatabase } from '../../support/temp-database.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../../..');
const command = [process.execPath, '--import', 'tsx', 'src/cli/main.ts', 'purge'];
const cli = (args: string[], env: Record<string, string>) =>
  run(command[0] as string, [...command.slice(1), ...args], { cwd: root, env: { ...process.env, ...env } }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

describe('parseDuration', () => {
  it('reads hours, days and weeks, and refuses anything else', () => {
    expect([parseDuration('12h'), parseDuration('90d'), parseDuration('2w')]).toEqual([
      12 * 3_600_000,
      90 * 86_400_000,
      2 * 604_800_000,
    ]);
    for (const bad of ['', '90', 'd', '0d', '1.5d', '-3d', '3y', '90 d x'])
      expect(() => parseDuration(bad)).toThrow(/--older-than/);
  });
});

const hasDb = requireDependency(
  databaseUrl,
  'PostgreSQL (DATABASE_URL)',
  'set DATABASE_URL to a server where the test role may create databases',
);

describe.skipIf(!hasDb)('phonepe-billing purge as a real process', () => {
  let temp: TempDatabase;
  let store: KyselyStore;
  let env: Record<string, string>;
  const DAY = 86_400_000;
  const payloadOf = async (key: string) =>
    (await store.transaction({ system: true }, (tx) => tx.webhookEvents.get(key)))?.payload;

  beforeAll(async () => {
    temp = await createMigratedTempDatabase(databaseUrl!);
    store = await createPgStore({ connectionString: temp.url });
    const { clientId, clientSecret, clientVersion } = defaultEmulatorMerchant;
    const billing = new SubscriptionManager({
      client: new PhonePeClient({ clientId, clientSecret, clientVersion, env: 'SANDBOX' }),
      store,
      plans: PLANS,
      config: {
        callbackUrl: 'https://api.example.com/v1/payments/callback',
        redirectAllowlist: ['https://app.example.com'],
      },
    });
    await billing.syncPlans();
    await store.transaction({ system: true }, async (tx) => {
      for (const [key, age] of [
        ['evt_old', 40 * DAY],
        ['evt_new', 2 * DAY],
      ] as const) {
        await tx.webhookEvents.record({
          dedupeKey: key,
          event: 'checkout.order.completed',
          subjectId: 'ord_x',
          payload: { raw: key },
          now: Date.now() - age,
        });
        await tx.webhookEvents.markProcessed(key, { workspaceId: null, outcome: 'processed', now: Date.now() - age });
      }
    });
    env = {
      DATABASE_URL: temp.url,
      PHONEPE_CLIENT_ID: clientId,
      PHONEPE_CLIENT_SECRET: clientSecret,
      PHONEPE_CLIENT_VERSION: clientVersion,
      PHONEPE_ENV: 'SANDBOX',
      PHONEPE_CALLBACK_URL: 'https://api.example.com/v1/payments/callback',
      PAYMENT_REDIRECT_ALLOWLIST: 'https://app.example.com',
    };
  });
  afterAll(async () => {
    await store?.close();
    await temp?.drop();
  });

  it('on a terminal it only counts unless --yes (a real pseudo-terminal via script(1))', async () => {
    const line = [...command, '--older-than', '30d'].join(' ');
    const tty = await run('script', ['-qec', line, '/dev/null'], { cwd: root, env: { ...process.env, ...env } });
    expect(tty.stdout).toContain('purge (dry run): 1 webhook payloads received and 0 outbox events delivered before');
    expect(tty.stdout).toContain('add --yes to purge');
    expect(await payloadOf('evt_old')).toEqual({ raw: 'evt_old' });
  });

  it('--dry-run counts; off a terminal (cron) it purges what is older, and keeps the rest', async () => {
    const dry = await cli(['--older-than', '30d', '--dry-run'], env);
    expect([dry.code, dry.stdout]).toEqual([0, expect.stringContaining('purge (dry run): 1 webhook payloads received and 0')]);
    expect(await payloadOf('evt_old')).toEqual({ raw: 'evt_old' });
    const done = await cli(['--older-than', '30d'], env);
    expect(done.stderr).toBe('');
    expect([done.code, done.stdout]).toEqual([0, expect.stringContaining('purge: 1 webhook payloads received and 0 outbox events delivered before')]);
    expect(await payloadOf('evt_old')).toBeNull();
    expect(await payloadOf('evt_new')).toEqual({ raw: 'evt_new' });
  });

  it('bad usage exits 2 and names the flag', async () => {
    const missing = await cli([], env);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('--older-than is required')]);
    const bad = await cli(['--older-than', '3y'], env);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('--older-than must look like 90d')]);
    const young = await cli(['--older-than', '2d'], env);
    expect([young.code, young.stderr]).toEqual([2, expect.stringContaining('--older-than must be at least 7d')]);
  });
});
