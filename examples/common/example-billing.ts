import {
  loadConfigFromEnv,
  PhonePeClient,
  SubscriptionManager,
  type EnvConfig,
  type EnvConfigWithoutWebhook,
} from 'phonepe-billing';
import type { KyselyStore } from 'phonepe-billing/kysely';
import { createRazorpayGateway, RazorpayClient } from 'phonepe-billing/razorpay';
import { consoleLogger } from './console-logger.js';
import { createJwtAuth, jwtSecretFromEnv, type JwtAuth } from './jwt-auth.js';
import { openStore } from './open-store.js';
import { PLANS } from './plans.js';

/** A manager on the examples' plans and store, for the scripts in examples/scripts. */
export interface ExampleBilling {
  config: EnvConfigWithoutWebhook;
  store: KyselyStore;
  billing: SubscriptionManager;
  close(): Promise<void>;
}

/** What every example app mounts: the manager, the webhook credentials and the JWT auth. */
export interface ExampleApp extends ExampleBilling {
  config: EnvConfig;
  auth: JwtAuth;
}

/**
 * Builds what the example apps build, for a script: config from the environment (webhook credentials
 * optional: scripts never receive webhooks), the store, the gateways and the manager.
 *
 * @example
 * const { billing, close } = await openExampleBilling(process.env);
 * try { console.log(await billing.listPlans()); } finally { await close(); }
 */
export async function openExampleBilling(env: Record<string, string | undefined>): Promise<ExampleBilling> {
  return openBilling(loadConfigFromEnv(env, { webhook: false }));
}

/**
 * The wiring the three example apps share: config from the environment (a `ConfigError` names a missing
 * or bad variable; the webhook credentials are required), the JWT auth, the store, the gateways (PhonePe,
 * and Razorpay when `RAZORPAY_*` is set) and the manager with the plans synced. Each app then only mounts it in its framework.
 *
 * @example
 * const { config, auth, billing, close } = await openExampleApp(process.env);
 */
export async function openExampleApp(env: Record<string, string | undefined>): Promise<ExampleApp> {
  const config = loadConfigFromEnv(env);
  const auth = createJwtAuth(jwtSecretFromEnv(env));
  const opened = await openBilling(config);
  await opened.billing.syncPlans();
  return { ...opened, config, auth };
}

async function openBilling<C extends EnvConfigWithoutWebhook>(config: C): Promise<ExampleBilling & { config: C }> {
  const store = await openStore(config.databaseUrl, config.databaseSystemUrl);
  // Razorpay joins PhonePe when its settings are there; BILLING_DEFAULT_GATEWAY picks where a checkout that
  // names no gateway goes (loadConfigFromEnv refuses `razorpay` without Razorpay's settings).
  const razorpay = config.razorpay;
  const billing = new SubscriptionManager({
    client: new PhonePeClient({ ...config.phonepe, logger: consoleLogger }),
    gateways: razorpay
      ? [
          createRazorpayGateway({
            client: new RazorpayClient({
              keyId: razorpay.keyId,
              keySecret: razorpay.keySecret,
              ...(razorpay.baseUrl ? { baseUrl: razorpay.baseUrl } : {}),
              logger: consoleLogger,
            }),
            webhookSecret: razorpay.webhookSecret,
            logger: consoleLogger,
          }),
        ]
      : [],
    defaultGateway: config.defaultGateway,
    store,
    plans: PLANS,
    logger: consoleLogger,
    // http://localhost return URLs are accepted only in the sandbox (local development).
    config: {
      callbackUrl: config.callbackUrl,
      redirectAllowlist: config.redirectAllowlist,
      allowHttpLocalhost: config.phonepe.env === 'SANDBOX',
    },
  });
  return { config, store, billing, close: () => store.close() };
}
