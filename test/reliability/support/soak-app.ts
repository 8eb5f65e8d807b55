// The billing host app of the memory scenario, run as its own process with `--expose-gc` so its heap is
// measured alone (the emulator, which keeps every order, lives in the test process). The billing routes
// are served by the bare handler on node:http; one extra route of this host, `GET /__soak/heap`, collects
// garbage and reports `process.memoryUsage()`. Environment: DATABASE_URL, PHONEPE_PG_URL, PHONEPE_OAUTH_URL.
import { createBillingHandler } from '../../../src/http/index.js';
import { systemClock } from '../../../src/common/clock.js';
import { createPgStore } from '../../../src/storage/kysely/index.js';
import { defaultEmulatorWebhookCredentials } from '../../../src/testing/default-test-credentials.js';
import { testAuth } from '../../http/support/test-auth.js';
import { serveOnNodeHttp } from '../../http/support/node-server.js';
import { hostManager } from './host-wiring.js';

const gc = (globalThis as { gc?: () => void }).gc;

async function heap(): Promise<NodeJS.MemoryUsage> {
  if (!gc) throw new Error('soak-app: start node with --expose-gc');
  // A few full collections, with a turn of the event loop between them for finalizers and weak refs.
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage();
}

async function main(): Promise<void> {
  const store = await createPgStore({ connectionString: process.env.DATABASE_URL!, max: 8 });
  const baseUrls = { pg: process.env.PHONEPE_PG_URL!, oauth: process.env.PHONEPE_OAUTH_URL! };
  const billing = hostManager({ store, clock: systemClock, baseUrls });
  await billing.syncPlans();
  const handler = createBillingHandler({ billing, auth: testAuth, webhook: { ...defaultEmulatorWebhookCredentials } });
  const host = Object.assign(
    async (request: Request) => {
      if (new URL(request.url).pathname === '/__soak/heap') return Response.json(await heap());
      return handler(request);
    },
    { maxBodyBytes: handler.maxBodyBytes, basePath: handler.basePath },
  ) as typeof handler;
  const server = await serveOnNodeHttp(host);
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
  process.stdout.write(`ready ${server.origin}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`soak-app: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
