// The Hono example: the billing API under /v1, one route of the app's own that uses a plan quota, and a
// billing page at /. Configured from the environment (see .env.phonepe.example and examples/README.md):
//   npx tsx --tsconfig examples/tsconfig.json --env-file=.env.phonepe examples/hono/server.ts
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { phonePeBillingApp } from 'phonepe-billing/hono';
import { billingPage } from '../common/billing-page.js';
import { consoleLogger } from '../common/console-logger.js';
import { openExampleApp } from '../common/example-billing.js';
import { createProject } from '../common/create-project.js';
import { listenAddress, originOf, runExample, type RunningExample } from '../common/run-example.js';

/** Starts the Hono example with `env` (default `process.env`); the demo and the tests call this too. */
export async function startHonoExample(env: Record<string, string | undefined> = process.env): Promise<RunningExample> {
  const { config, auth, billing, close } = await openExampleApp(env); // a ConfigError names a missing or bad variable

  const app = new Hono();
  app.route('/', phonePeBillingApp({ billing, auth, webhook: config.webhook, logger: consoleLogger }));
  app.post('/api/projects', (c) =>
    createProject(billing, auth, { authorization: c.req.header('authorization'), tenant: c.req.header('x-tenant-id') }),
  );
  const page = billingPage(config.phonepe, billing.gateways);
  app.get('/', (c) => c.body(page.html, 200, page.headers));

  const { port, host } = listenAddress(env);
  const server = serve({ fetch: app.fetch, port, hostname: host });
  await once(server, 'listening');
  return {
    url: originOf(host, (server.address() as AddressInfo).port),
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await close();
    },
  };
}

runExample(import.meta.url, startHonoExample);
