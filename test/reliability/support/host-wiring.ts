import { SubscriptionManager } from '../../../src/billing/subscription-manager.js';
import type { PlanDefinition } from '../../../src/billing/plan-definition.js';
import { PhonePeClient } from '../../../src/client/phonepe-client.js';
import type { Clock } from '../../../src/common/clock.js';
import type { Logger } from '../../../src/common/logger.js';
import type { BillingStore } from '../../../src/storage/billing-store.js';
import { defaultEmulatorMerchant } from '../../../src/testing/default-test-credentials.js';

// The wiring of the host app the process-level scenarios run (crash-recovery in a child process,
// the CLI-like jobs in the test process): one place, so the app and its jobs agree on plans and config.
// No vitest import here: the child process loads this module outside the test runner.

export const HOST_PLANS: PlanDefinition[] = [
  { id: 'starter', name: 'Starter', price: 99_900, interval: 'month', limits: { projects: 5 } },
  { id: 'pro', name: 'Pro', price: 299_900, interval: 'month', limits: { projects: 50 } },
];

export const HOST_RETURN_URL = 'https://app.example.com/billing';

/** Everything a manager of the host app needs that differs between processes. */
export interface HostWiring {
  store: BillingStore;
  clock: Clock;
  /** The emulator's `baseUrls`. */
  baseUrls: { pg: string; oauth: string };
  /** The fetch the PhonePe client uses (the crash hooks wrap it in the child). */
  fetch?: typeof fetch;
  logger?: Logger;
}

/** The host app's manager, built as `phonepe-billing reconcile` / `renew` build theirs, on the given clock. */
export function hostManager(wiring: HostWiring): SubscriptionManager {
  const client = new PhonePeClient({
    clientId: defaultEmulatorMerchant.clientId,
    clientSecret: defaultEmulatorMerchant.clientSecret,
    clientVersion: defaultEmulatorMerchant.clientVersion,
    env: 'SANDBOX',
    baseUrls: wiring.baseUrls,
    clock: wiring.clock,
    ...(wiring.fetch ? { fetch: wiring.fetch } : {}),
    ...(wiring.logger ? { logger: wiring.logger } : {}),
  });
  return new SubscriptionManager({
    client,
    store: wiring.store,
    plans: HOST_PLANS,
    clock: wiring.clock,
    ...(wiring.logger ? { logger: wiring.logger } : {}),
    config: {
      callbackUrl: 'https://api.example.com/v1/payments/callback',
      redirectAllowlist: ['https://app.example.com'],
    },
  });
}

/**
 * A clock that reads the emulator's virtual time through its control API (`GET /__emulator/time`): the
 * child process has no handle on the test's manual clock, so it syncs before each request and job.
 */
export interface EmulatorTime extends Clock {
  sync(): Promise<void>;
}

export async function emulatorTime(emulatorUrl: string): Promise<EmulatorTime> {
  let current = 0;
  const time: EmulatorTime = {
    now: () => current,
    async sync() {
      const response = await fetch(`${emulatorUrl}/__emulator/time`);
      const { now } = (await response.json()) as { now: number };
      current = Math.max(current, now);
    },
  };
  await time.sync();
  return time;
}
