// The Fastify example: the billing API under /v1, one route of the app's own that uses a plan quota, and a
// billing page at /. Configured from the environment (see .env.phonepe.example and examples/README.md):
//   npx tsx --tsconfig examples/tsconfig.json --env-file=.env.phonepe examples/fastify/server.ts
import Fastify from 'fastify';
import { loadConfigFromEnv, PhonePeClient, SubscriptionManager } from 'phonepe-billing';
import { phonePeBillingPlugin } from 'phonepe-billing/fastify';
import { BILLING_PAGE_HEADERS, billingPageHtml } from '../shared/billing-page.js';
import { consoleLogger } from '../shared/console-logger.js';
import { createProject } from '../shared/create-project.js';
import { createJwtAuth, jwtSecretFromEnv } from '../shared/jwt-auth.js';
import { openStore } from '../shared/open-store.js';
import { PLANS } from '../shared/plans.js';
import { listenAddress, originOf, runExample, type RunningExample } from '../shared/run-example.js';

/** Starts the Fastify example with `env` (default `process.env`); the tests call this too. */
export async function startFastifyExample(env: Record<string, string | undefined> = process.env): Promise<RunningExample> {
  const config = loadConfigFromEnv(env); // a ConfigError names the missing or bad variable
  const auth = createJwtAuth(jwtSecretFromEnv(env));
  const store = await openStore(config.databaseUrl);
  const billing = new SubscriptionManager({
    client: new PhonePeClient({ ...config.phonepe, logger: consoleLogger }),
    store,
    plans: PLANS,
    logger: consoleLogger,
    // http://localhost return URLs are accepted only in the sandbox (local development).
    config: { callbackUrl: config.callbackUrl, redirectAllowlist: config.redirectAllowlist, allowHttpLocalhost: config.phonepe.env === 'SANDBOX' },
  });
  await billing.syncPlans();

  const app = Fastify();
  // PHONEPE_WEBHOOK_USERNAME/PASSWORD are required by loadConfigFromEnv(env), so config.webhook is set.
  await app.register(phonePeBillingPlugin, { billing, auth, webhook: config.webhook, logger: consoleLogger });
  app.post('/api/projects', (request) => createProject(billing, auth, { authorization: request.headers.authorization, tenant: request.headers['x-tenant-id'] as string | undefined }));
  app.get('/', (_request, reply) => reply.headers(BILLING_PAGE_HEADERS).send(billingPageHtml));

  const { port, host } = listenAddress(env);
  await app.listen({ port, host });
  const address = app.server.address();
  return {
    url: originOf(host, typeof address === 'object' && address ? address.port : port),
    async close() {
      await app.close();
      await store.close();
    },
  };
}

runExample(import.meta.url, startFastifyExample);
