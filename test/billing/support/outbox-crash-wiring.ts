import type { BillingHooks } from '../../../src/billing/billing-hooks.js';
import { SubscriptionManager } from '../../../src/billing/subscription-manager.js';
import { PhonePeClient } from '../../../src/client/phonepe-client.js';
import type { Clock } from '../../../src/common/clock.js';
import type { BillingStore } from '../../../src/storage/billing-store.js';
import { defaultEmulatorMerchant } from '../../../src/testing/default-test-credentials.js';

// The manager of the outbox crash test, built alike in the test and in its child process
// (outbox-crash-child.ts). No vitest import here: the child loads this module outside the test runner.

export const CRASH_PLAN = {
  id: 'pro',
  name: 'Pro',
  price: 299_900,
  interval: 'month',
  limits: { projects: 50 },
} as const;

export function crashTestManager(wiring: {
  store: BillingStore;
  clock: Clock;
  baseUrls: { pg: string; oauth: string };
  hooks: BillingHooks;
}): SubscriptionManager {
  const client = new PhonePeClient({
    clientId: defaultEmulatorMerchant.clientId,
    clientSecret: defaultEmulatorMerchant.clientSecret,
    clientVersion: defaultEmulatorMerchant.clientVersion,
    env: 'SANDBOX',
    baseUrls: wiring.baseUrls,
    clock: wiring.clock,
    retry: { limit: 0 },
  });
  return new SubscriptionManager({
    client,
    store: wiring.store,
    plans: [CRASH_PLAN],
    clock: wiring.clock,
    hooks: wiring.hooks,
    config: {
      callbackUrl: 'https://api.example.com/v1/payments/callback',
      redirectAllowlist: ['https://app.example.com'],
    },
  });
}
