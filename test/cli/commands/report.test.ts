import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgStore, type KyselyStore } from '../../../src/storage/kysely/index.js';
import { startPhonePeEmulator, type PhonePeEmulator } from '../../../src/testing/index.js';
import { RETURN_URL } from '../../billing/support/billing-harness.js';
import { cliEnv, cliTestManager, runCli } from '../support/cli-process.js';
import { databaseUrl, requireDependency } from '../../support/environment.js';
import { createMigratedTempDatabase, type TempDatabase } from '../../support/temp-database.js';

const cli = (args: string[], env: Record<string, string>) => runCli(['report', ...args], env);

const hasDb = requireDependency(
  databaseUrl,
  'PostgreSQL (DATABASE_URL)',
  'set DATABASE_URL to a server where the test role may create databases',
);

describe.skipIf(!hasDb)('phonepe-billing report as a real process', () => {
  let temp: TempDatabase;
  let emu: PhonePeEmulator;
  let store: KyselyStore;
  let env: Record<string, string>;
  const today = new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    temp = await createMigratedTempDatabase(databaseUrl!);
    store = await createPgStore({ connectionString: temp.url });
    emu = await startPhonePeEmulator();
    const billing = await cliTestManager(store, emu.baseUrls);
    const session = await billing.createCheckout({
      workspaceId: 'ws_report',
      userId: 'u1',
      planId: 'pro',
      amount: 299_900,
      returnUrl: RETURN_URL,
    });
    await emu.completeOrder(session.orderId);
    await billing.refreshPayment(session.orderId);
    await billing.recordUsage('ws_report', 'projects', 2, { key: 'p1' });
    env = cliEnv(temp.url, emu.baseUrls.pg);
  });
  afterAll(async () => {
    await emu?.close();
    await store?.close();
    await temp?.drop();
  });

  it('report revenue: today with the payment, as a table and as JSON', async () => {
    const table = await cli(['revenue', '--from', today, '--to', today], env);
    expect(table.stderr).toBe('');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(
      new RegExp(`${today}\\s+1\\s+100\\.0%\\s+₹2,999\\.00\\s+₹0\\.00\\s+₹2,999\\.00\\s+₹2,999\\.00\\s+1/0/0`),
    );
    expect(table.stdout).toMatch(/total\s+1\s+100\.0%/);
    const json = await cli(['revenue', '--from', today, '--to', today, '--json'], env);
    const report = JSON.parse(json.stdout);
    expect(report.totals.revenue).toEqual({ grossPaise: 299_900, refundedPaise: 0, netPaise: 299_900 });
    expect(report.days).toHaveLength(1);
  });

  it('report usage: a workspace per day, and per period', async () => {
    const days = await cli(['usage', '--workspace', 'ws_report', '--from', today, '--to', today, '--json'], env);
    expect(days.code).toBe(0);
    expect(JSON.parse(days.stdout)).toMatchObject({ granularity: 'day', totals: { projects: 2 } });
    const table = await cli(['usage', '--workspace', 'ws_report', '--from', today, '--to', today], env);
    expect(table.stdout).toMatch(new RegExp(`${today}\\s+.*2`));
    const periods = await cli(['usage', '--workspace', 'ws_report', '--granularity', 'period', '--json'], env);
    expect(JSON.parse(periods.stdout)).toMatchObject({ granularity: 'period' });
  });

  it('bad usage exits 2 and says why', async () => {
    const bad = await cli(['revenue', '--from', '2026-02-30'], env);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('must be a calendar date')]);
    const long = await cli(['revenue', '--from', '2020-01-01', '--to', '2026-01-01'], env);
    expect(long.code).toBe(2);
    const noWorkspace = await cli(['usage'], env);
    expect([noWorkspace.code, noWorkspace.stderr]).toEqual([
      2,
      expect.stringContaining('--workspace <id> is required'),
    ]);
    expect((await cli(['invoices'], env)).code).toBe(2);
  });
});
