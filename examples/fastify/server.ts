// The Fastify example: the billing API under /v1, one route of the app's own that uses a plan quota, and a
// billing page at /. Configured from the environment (see .env.phonepe.example and examples/README.md):
//   npx tsx --tsconfig examples/tsconfig.json --env-file=.env.phonepe examples/fastify/server.ts
import Fastify from 'fastify';
import { phonePeBillingPlugin } from 'phonepe-billing/fastify';
import { billingPage } from '../common/billing-page.js';
import { consoleLogger } from '../common/console-logger.js';
import { openExampleApp } from '../common/example-billing.js';
import { createProject } from '../common/create-project.js';
import { listenAddress, originOf, runExample, type RunningExample } from '../common/run-example.js';

/** Starts the Fastify example with `env` (default `process.env`); the tests call this too. */
export async function startFastifyExample(
  env: Record<string, string | undefined> = process.env,
): Promise<RunningExample> {
  const { config, auth, billing, close } = await openExampleApp(env); // a ConfigError names a missing or bad variable

  const app = Fastify();
  await app.register(phonePeBillingPlugin, { billing, auth, webhook: config.webhook, logger: consoleLogger });
  app.post('/api/projects', (request) =>
    createProject(billing, auth, {
      authorization: request.headers.authorization,
      tenant: request.headers['x-tenant-id'] as string | undefined,
    }),
  );
  const page = billingPage(config.phonepe, billing.gateways);
  app.get('/', (_request, reply) => reply.headers(page.headers).send(page.html));

  const { port, host } = listenAddress(env);
  await app.listen({ port, host });
  const address = app.server.address();
  return {
    url: originOf(host, typeof address === 'object' && address ? address.port : port),
    async close() {
      await app.close();
      await close();
    },
  };
}

runExample(import.meta.url, startFastifyExample);
