// Run as a child process by tracing.test.ts: a checkout against the PhonePe emulator and a scrape, printed
// as JSON, with whatever @opentelemetry/api resolution the process was started with.
import { SubscriptionManager } from '../../../src/billing/subscription-manager.js';
import { PhonePeClient } from '../../../src/client/phonepe-client.js';
import { loadOpenTelemetryApi } from '../../../src/metrics/tracing.js';
import { MemoryStore } from '../../../src/storage/memory/memory-store.js';
import { defaultEmulatorMerchant, startPhonePeEmulator } from '../../../src/testing/index.js';

const emu = await startPhonePeEmulator({});
try {
  const client = new PhonePeClient({
    clientId: defaultEmulatorMerchant.clientId,
    clientSecret: defaultEmulatorMerchant.clientSecret,
    clientVersion: defaultEmulatorMerchant.clientVersion,
    env: 'SANDBOX',
    baseUrls: emu.baseUrls,
    retry: { limit: 0 },
  });
  const billing = new SubscriptionManager({
    client,
    store: new MemoryStore(),
    plans: [{ id: 'pro', name: 'Pro', price: 299_900, interval: 'month', limits: { projects: 5 } }],
    config: {
      callbackUrl: 'https://api.example.com/v1/payments/callback',
      redirectAllowlist: ['https://app.example.com'],
    },
  });
  await billing.syncPlans();
  const session = await billing.createCheckout({
    workspaceId: 'ws_1',
    userId: 'u_1',
    planId: 'pro',
    amount: 299_900,
    returnUrl: 'https://app.example.com/billing',
  });
  process.stdout.write(
    `${JSON.stringify({
      openTelemetryLoaded: (await loadOpenTelemetryApi()) !== null,
      state: session.state,
      metrics: await billing.prometheusMetrics(),
    })}\n`,
  );
} finally {
  await emu.close();
}
