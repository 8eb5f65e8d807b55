import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { SubscriptionManager } from '../../../src/billing/subscription-manager.js';
import { PhonePeClient } from '../../../src/client/phonepe-client.js';
import type { BillingStore } from '../../../src/storage/billing-store.js';
import { defaultEmulatorMerchant } from '../../../src/testing/index.js';
import { PLANS } from '../../billing/support/billing-harness.js';

export const run = promisify(execFile);
/** The repository root: where `src/cli/main.ts` runs from. */
export const root = resolve(import.meta.dirname, '../../..');
/** `node --import tsx src/cli/main.ts`: the CLI as a process, the way its tests run it. */
export const cliCommand = [process.execPath, '--import', 'tsx', 'src/cli/main.ts'] as const;

/** Runs `phonepe-billing <args>` as a process with `env` added; resolves with its exit code and output. */
export function runCli(
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(cliCommand[0], [...cliCommand.slice(1), ...args], { cwd: root, env: { ...process.env, ...env } }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

/** The CLI's settings for a database and, optionally, a PhonePe emulator (`emulatorPg`: its `baseUrls.pg`). */
export function cliEnv(databaseUrl: string, emulatorPg?: string): Record<string, string> {
  const { clientId, clientSecret, clientVersion } = defaultEmulatorMerchant;
  return {
    DATABASE_URL: databaseUrl,
    PHONEPE_CLIENT_ID: clientId,
    PHONEPE_CLIENT_SECRET: clientSecret,
    PHONEPE_CLIENT_VERSION: clientVersion,
    PHONEPE_ENV: 'SANDBOX',
    ...(emulatorPg ? { PHONEPE_BASE_URL: emulatorPg } : {}),
    PHONEPE_CALLBACK_URL: 'https://api.example.com/v1/payments/callback',
    PAYMENT_REDIRECT_ALLOWLIST: 'https://app.example.com',
  };
}

/** A manager on `store` for the harness's plans (on the emulator at `baseUrls` when given), plans synced. */
export async function cliTestManager(
  store: BillingStore,
  baseUrls?: { pg: string; oauth: string },
): Promise<SubscriptionManager> {
  const { clientId, clientSecret, clientVersion } = defaultEmulatorMerchant;
  const billing = new SubscriptionManager({
    client: new PhonePeClient({
      clientId,
      clientSecret,
      clientVersion,
      env: 'SANDBOX',
      ...(baseUrls ? { baseUrls } : {}),
    }),
    store,
    plans: PLANS,
    config: {
      callbackUrl: 'https://api.example.com/v1/payments/callback',
      redirectAllowlist: ['https://app.example.com'],
    },
  });
  await billing.syncPlans();
  return billing;
}
