// The Express example: the billing API under /v1, one route of the app's own that uses a plan quota, and a
// billing page at /. Configured from the environment (see .env.phonepe.example and examples/README.md):
//   npx tsx --tsconfig examples/tsconfig.json --env-file=.env.phonepe examples/express/server.ts
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { loadConfigFromEnv, PhonePeClient, SubscriptionManager } from 'phonepe-billing';
import { phonePeBillingRouter } from 'phonepe-billing/express';
import { BILLING_PAGE_HEADERS, billingPageHtml } from '../shared/billing-page.js';
import { consoleLogger } from '../shared/console-logger.js';
import { createProject } from '../shared/create-project.js';
import { createJwtAuth, jwtSecretFromEnv } from '../shared/jwt-auth.js';
import { openStore } from '../shared/open-store.js';
import { PLANS } from '../shared/plans.js';
import { listenAddress, originOf, runExample, type RunningExample } from '../shared/run-example.js';

/** Starts the Express example with `env` (default `process.env`); the tests call this too. */
export async function startExpressExample(env: Record<string, string | undefined> = process.env): Promise<RunningExample> {
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

  const app = express();
  // PHONEPE_WEBHOOK_USERNAME/PASSWORD are required by loadConfigFromEnv(env), so config.webhook is set.
  app.use(phonePeBillingRouter({ billing, auth, webhook: config.webhook, logger: consoleLogger }));
  app.post('/api/projects', async (req, res) => {
    const response = await createProject(billing, auth, { authorization: req.get('authorization'), tenant: req.get('x-tenant-id') });
    res.status(response.status).type('json').send(await response.text());
  });
  app.get('/', (_req, res) => void res.set(BILLING_PAGE_HEADERS).send(billingPageHtml));

  const { port, host } = listenAddress(env);
  const server = app.listen(port, host);
  await once(server, 'listening');
  return {
    url: originOf(host, (server.address() as AddressInfo).port),
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await store.close();
    },
  };
}

runExample(import.meta.url, startExpressExample);
