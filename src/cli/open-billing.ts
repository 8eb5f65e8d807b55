import { SubscriptionManager } from '../billing/subscription-manager.js';
import type { BillingHooks } from '../billing/billing-hooks.js';
import type { PlanDefinition } from '../billing/plan-definition.js';
import { PhonePeClient } from '../client/phonepe-client.js';
import { RazorpayClient } from '../razorpay/razorpay-client.js';
import { createRazorpayGateway } from '../razorpay/razorpay-gateway.js';
import { loadConfigFromEnv } from '../config/load-config-from-env.js';
import type { Logger } from '../common/logger.js';
import { createPgStore } from '../storage/kysely/create-pg-store.js';
import type { KyselyStore } from '../storage/kysely/kysely-store.js';

/** Flags the billing commands share; each falls back to the environment variable in brackets. */
export const BILLING_FLAGS = {
  'database-url': { type: 'string' },
  'database-system-url': { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  'client-version': { type: 'string' },
  env: { type: 'string' },
  'phonepe-base-url': { type: 'string' },
  'callback-url': { type: 'string' },
  'redirect-allowlist': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const BILLING_FLAGS_HELP = `  --database-url <url>        PostgreSQL URL [DATABASE_URL]
  --database-system-url <url> the worker role's URL for cross-workspace work, if not DATABASE_URL's [DATABASE_SYSTEM_URL]
  --client-id <id>            PhonePe client id [PHONEPE_CLIENT_ID]
  --client-secret <secret>    PhonePe client secret [PHONEPE_CLIENT_SECRET]
  --client-version <n>        PhonePe client version [PHONEPE_CLIENT_VERSION]
  --env SANDBOX|PRODUCTION    PhonePe environment [PHONEPE_ENV, default SANDBOX]
  --phonepe-base-url <url>    another PhonePe-compatible host, e.g. the emulator [PHONEPE_BASE_URL]
  --callback-url <url>        public URL of GET /payments/callback [PHONEPE_CALLBACK_URL]
  --redirect-allowlist <list> comma-separated return-URL origins [PAYMENT_REDIRECT_ALLOWLIST]
  --help                      show this help`;

type FlagValues = Partial<Record<Exclude<keyof typeof BILLING_FLAGS, 'help'>, string>>;

/** A manager built from flags and the environment, with the plans stored in the database. */
export interface OpenedBilling {
  billing: SubscriptionManager;
  store: KyselyStore;
  close(): Promise<void>;
}

/**
 * Builds the PhonePe client (and the Razorpay gateway when RAZORPAY_* is set), a PostgreSQL store and a
 * manager for a CLI job. The plans are the ones
 * the host app synced to the database (`billing.syncPlans()`), so the job needs no code of the host's
 * (except `hooks`, which `phonepe-billing events --hooks` loads from the host's module).
 */
export async function openBilling(
  flags: FlagValues,
  logger: Logger,
  options: { hooks?: BillingHooks } = {},
): Promise<OpenedBilling> {
  const env = {
    ...process.env,
    ...definedEntries({
      DATABASE_URL: flags['database-url'],
      DATABASE_SYSTEM_URL: flags['database-system-url'],
      PHONEPE_CLIENT_ID: flags['client-id'],
      PHONEPE_CLIENT_SECRET: flags['client-secret'],
      PHONEPE_CLIENT_VERSION: flags['client-version'],
      PHONEPE_ENV: flags.env,
      PHONEPE_BASE_URL: flags['phonepe-base-url'],
      PHONEPE_CALLBACK_URL: flags['callback-url'],
      PAYMENT_REDIRECT_ALLOWLIST: flags['redirect-allowlist'],
    }),
  };
  const config = loadConfigFromEnv(env, { webhook: false });
  if (!config.databaseUrl) throw new Error('no database given; pass --database-url or set DATABASE_URL.');
  const store = await createPgStore({
    connectionString: config.databaseUrl,
    logger,
    ...(config.databaseSystemUrl ? { systemConnectionString: config.databaseSystemUrl } : {}),
  });
  try {
    const plans = await store.transaction({ system: true }, (tx) => tx.plans.listActive());
    if (plans.length === 0)
      throw new Error('the database has no active plans; run your app once (billing.syncPlans()) before this job.');
    const definitions: PlanDefinition[] = plans.map((p) => ({
      id: p.id,
      name: p.name,
      description: p.description,
      price: p.pricePaise,
      interval: p.interval,
      limits: p.limits,
      features: p.features,
      autopay: p.autopay,
      trialDays: p.trialDays,
      active: p.active,
      sortOrder: p.sortOrder,
    }));
    const client = new PhonePeClient({ ...config.phonepe, logger });
    // Rows stay on the gateway that made them: with Razorpay's settings in the environment, the job holds it
    // too, so reconciliation and renewals reach Razorpay's payments and mandates (docs/gateways.md).
    const { razorpay } = config;
    const gateways = razorpay
      ? [
          createRazorpayGateway({
            client: new RazorpayClient({
              keyId: razorpay.keyId,
              keySecret: razorpay.keySecret,
              ...(razorpay.baseUrl ? { baseUrl: razorpay.baseUrl } : {}),
            }),
            webhookSecret: razorpay.webhookSecret,
            logger,
          }),
        ]
      : [];
    const billing = new SubscriptionManager({
      client,
      gateways,
      store,
      plans: definitions,
      logger,
      ...(options.hooks ? { hooks: options.hooks } : {}),
      config: { callbackUrl: config.callbackUrl, redirectAllowlist: config.redirectAllowlist },
    });
    return { billing, store, close: () => store.close() };
  } catch (error) {
    await store.close();
    throw error;
  }
}

function definedEntries(values: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** Logs warnings and errors to stderr as one line each (the CLI's logger; never secrets — the library never logs them). */
export const stderrLogger: Logger = {
  debug() {},
  info() {},
  warn: (obj, msg) => process.stderr.write(`warn: ${msg ?? ''} ${JSON.stringify(obj)}\n`),
  error: (obj, msg) => process.stderr.write(`error: ${msg ?? ''} ${JSON.stringify(obj)}\n`),
};
