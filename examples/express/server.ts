// The Express example: the billing API under /v1, one route of the app's own that uses a plan quota, and a
// billing page at /. Configured from the environment (see .env.phonepe.example and examples/README.md):
//   npx tsx --tsconfig examples/tsconfig.json --env-file=.env.phonepe examples/express/server.ts
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { phonePeBillingRouter } from 'phonepe-billing/express';
import { billingPage } from '../common/billing-page.js';
import { consoleLogger } from '../common/console-logger.js';
import { openExampleApp } from '../common/example-billing.js';
import { createProject } from '../common/create-project.js';
import { listenAddress, originOf, runExample, type RunningExample } from '../common/run-example.js';

/** Starts the Express example with `env` (default `process.env`); the tests call this too. */
export async function startExpressExample(
  env: Record<string, string | undefined> = process.env,
): Promise<RunningExample> {
  const { config, auth, billing, close } = await openExampleApp(env); // a ConfigError names a missing or bad variable

  const app = express();
  app.use(phonePeBillingRouter({ billing, auth, webhook: config.webhook, logger: consoleLogger }));
  app.post('/api/projects', async (req, res) => {
    const response = await createProject(billing, auth, {
      authorization: req.get('authorization'),
      tenant: req.get('x-tenant-id'),
    });
    res
      .status(response.status)
      .type('json')
      .send(await response.text());
  });
  const page = billingPage(config.phonepe, billing.gateways);
  app.get('/', (_req, res) => void res.set(page.headers).send(page.html));

  const { port, host } = listenAddress(env);
  const server = app.listen(port, host);
  await once(server, 'listening');
  return {
    url: originOf(host, (server.address() as AddressInfo).port),
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await close();
    },
  };
}

runExample(import.meta.url, startExpressExample);
