import { loadConfigFromEnv, PhonePeClient, SubscriptionManager, type EnvConfigWithoutWebhook } from 'phonepe-billing';
import type { KyselyStore } from 'phonepe-billing/kysely';
import { consoleLogger } from './console-logger.js';
import { openStore } from './open-store.js';
import { PLANS } from './plans.js';

/** A manager on the examples' plans and store, for the scripts in examples/scripts. */
export interface ExampleBilling {
  config: EnvConfigWithoutWebhook;
  store: KyselyStore;
  billing: SubscriptionManager;
  close(): Promise<void>;
}

/**
 * Builds what the example apps build, for a script: config from the environment (webhook credentials
 * optional: scripts never receive webhooks), the store, the PhonePe client and the manager.
 *
 * @example
 * const { billing, close } = await openExampleBilling(process.env);
 * try { console.log(await billing.listPlans()); } finally { await close(); }
 */
export async function openExampleBilling(env: Record<string, string | undefined>): Promise<ExampleBilling> {
  const config = loadConfigFromEnv(env, { webhook: false });
  const store = await openStore(config.databaseUrl);
  const billing = new SubscriptionManager({
    client: new PhonePeClient({ ...config.phonepe, logger: consoleLogger }),
    store,
    plans: PLANS,
    logger: consoleLogger,
    config: { callbackUrl: config.callbackUrl, redirectAllowlist: config.redirectAllowlist, allowHttpLocalhost: config.phonepe.env === 'SANDBOX' },
  });
  return { config, store, billing, close: () => store.close() };
}
