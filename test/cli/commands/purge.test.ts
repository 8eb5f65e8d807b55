import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDuration } from '../../../src/cli/commands/purge.js';
import { createPgStore, type KyselyStore } from '../../../src/storage/kysely/index.js';
import { cliEnv, cliTestManager, runCli, cliCommand, root, run } from '../support/cli-process.js';
import { databaseUrl, requireDependency } from '../../support/environment.js';
import { createMigratedTempDatabase, type TempDatabase } from '../../support/temp-database.js';

const command = [...cliCommand, 'purge'];

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

const cli = (args: string[], env: Record<string, string>) => runCli(['purge', ...args], env);

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
    await cliTestManager(store);
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
    env = cliEnv(temp.url);
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
    expect([dry.code, dry.stdout]).toEqual([
      0,
      expect.stringContaining('purge (dry run): 1 webhook payloads received and 0'),
    ]);
    expect(await payloadOf('evt_old')).toEqual({ raw: 'evt_old' });
    const done = await cli(['--older-than', '30d'], env);
    expect(done.stderr).toBe('');
    expect([done.code, done.stdout]).toEqual([
      0,
      expect.stringContaining('purge: 1 webhook payloads received and 0 outbox events delivered before'),
    ]);
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
