// The host app of the RSS figure in a process of its own: the Hono adapter over HTTP on a
// PostgreSQL store, confirmation off. The parent sends webhooks over HTTP and asks for the RSS
// (after a full collection; run with --expose-gc) over IPC.
import { openBillingStack, serveHono } from '../support/billing-stack.js';

export type HostCommand = { type: 'rss' } | { type: 'stop' };
export type HostReply = { type: 'ready'; webhookUrl: string } | { type: 'rss'; rss: number; heapUsed: number };

const [databaseUrl] = process.argv.slice(2) as [string];
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const stack = await openBillingStack({
  databaseUrl,
  phonepeBaseUrl: 'http://127.0.0.1:9/apis/pg-sandbox',
  config: { confirmWebhooks: false },
});
const app = await serveHono(stack.billing);
const send = (reply: HostReply) => process.send?.(reply);

process.on('message', (command: HostCommand) => {
  if (command.type === 'stop') {
    void app
      .close()
      .then(() => stack.close())
      .finally(() => process.exit(0));
    return;
  }
  gc();
  gc();
  const usage = process.memoryUsage();
  send({ type: 'rss', rss: usage.rss, heapUsed: usage.heapUsed });
});
send({ type: 'ready', webhookUrl: app.webhookUrl });
