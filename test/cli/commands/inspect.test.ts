import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubscriptionManager } from '../../../src/billing/subscription-manager.js';
import { createPgStore, type KyselyStore } from '../../../src/storage/kysely/index.js';
import { defaultEmulatorMerchant, startPhonePeEmulator, type PhonePeEmulator } from '../../../src/testing/index.js';
import { RETURN_URL } from '../../billing/support/billing-harness.js';
import { cliEnv, cliTestManager, runCli } from '../support/cli-process.js';
import { databaseUrl, requireDependency } from '../../support/environment.js';
import { createMigratedTempDatabase, type TempDatabase } from '../../support/temp-database.js';

const cli = (args: string[], env: Record<string, string>) => runCli(args, env);

const hasDb = requireDependency(
  databaseUrl,
  'PostgreSQL (DATABASE_URL)',
  'set DATABASE_URL to a server where the test role may create databases',
);

describe.skipIf(!hasDb)('phonepe-billing inspect as a real process', () => {
  let temp: TempDatabase;
  let emu: PhonePeEmulator;
  let store: KyselyStore;
  let env: Record<string, string>;
  let billing: SubscriptionManager;
  let orderId: string;

  beforeAll(async () => {
    temp = await createMigratedTempDatabase(databaseUrl!);
    store = await createPgStore({ connectionString: temp.url });
    emu = await startPhonePeEmulator();
    billing = await cliTestManager(store, emu.baseUrls);
    const session = await billing.createCheckout({
      workspaceId: 'ws_inspect',
      userId: 'u1',
      planId: 'pro',
      amount: 299_900,
      returnUrl: RETURN_URL,
    });
    orderId = session.orderId;
    await emu.completeOrder(orderId);
    await billing.refreshPayment(orderId);
    await billing.refund(orderId, { amount: 50_000, reason: 'goodwill\u0007 bell' });
    env = cliEnv(temp.url, emu.baseUrls.pg);
  });
  afterAll(async () => {
    await emu?.close();
    await store?.close();
    await temp?.drop();
  });

  it('inspect order: the stored payment, the gateway now, refunds, subscription and audit trail, changing nothing', async () => {
    const before = await billing.getPayment(orderId);
    const result = await cli(['inspect', 'order', orderId], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = result.stdout;
    expect(out).toContain(`order ${orderId} — workspace ws_inspect`);
    expect(out).toMatch(
      new RegExp(`${orderId}\\s+phonepe\\s+completed\\s+₹2,999\\.00\\s+new_subscription\\s+checkout`),
    );
    expect(out).toMatch(/state\s+COMPLETED \(completed\)/);
    expect(out).toMatch(/amount\s+₹2,999\.00/);
    expect(out).toMatch(/rf_\S+\s+\S+\s+₹500\.00\s+goodwill {2}bell/); // the control character never reaches the terminal
    expect(out).not.toContain('\u0007');
    expect(out).toMatch(/\s+pro\s+active\s+manual\s+/);
    expect(out).toContain('payment.created');
    expect(out).toContain('refund.requested');
    expect(out).not.toContain(defaultEmulatorMerchant.clientSecret);
    expect(await billing.getPayment(orderId)).toEqual(before);
  });

  it('inspect order --json: everything as one document', async () => {
    const result = await cli(['inspect', 'order', orderId, '--json'], env);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc.payment).toMatchObject({ merchantOrderId: orderId, state: 'completed', gateway: 'phonepe' });
    expect(doc.live).toMatchObject({
      ok: true,
      gateway: 'phonepe',
      value: { reported: 'completed', amountPaise: 299_900 },
    });
    expect(doc.refunds).toHaveLength(1);
  });

  it('inspect workspace: subscription, usage, payments, refunds and the audit trail', async () => {
    await billing.recordUsage('ws_inspect', 'projects', 3);
    const result = await cli(['inspect', 'workspace', 'ws_inspect'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('workspace ws_inspect');
    expect(result.stdout).toMatch(/projects\s+3/);
    expect(result.stdout).toContain(orderId);
    expect(result.stdout).toMatch(/Mandate at its gateway now\n\(none\)/);
  });

  it('the gateway down is shown, not fatal; unknown ids exit 1; bad usage exits 2', async () => {
    const down = await cli(['inspect', 'order', orderId], { ...env, PHONEPE_BASE_URL: 'http://127.0.0.1:9/pg' });
    expect(down.code).toBe(0);
    expect(down.stdout).toMatch(/phonepe: could not be read — /);
    const missing = await cli(['inspect', 'order', 'ord_nope'], env);
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringContaining('No payment with order id ord_nope')]);
    const empty = await cli(['inspect', 'workspace', 'ws_nobody'], env);
    expect([empty.code, empty.stderr]).toEqual([
      1,
      expect.stringContaining('nothing is stored for workspace ws_nobody'),
    ]);
    expect((await cli(['inspect', 'invoice', 'x'], env)).code).toBe(2);
    expect((await cli(['inspect'], env)).code).toBe(2);
  });
});
