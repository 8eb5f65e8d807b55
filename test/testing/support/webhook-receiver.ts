import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
  json: { event: string; type: string; payload: Record<string, unknown> };
}

/** How the receiver answers the n-th request (0-based): a status, or 'hang' to never answer. */
export type Responder = (index: number, webhook: ReceivedWebhook) => number | 'hang';

/** A real merchant webhook endpoint on node:http that records what it got. */
export async function startWebhookReceiver(respond: Responder = () => 200) {
  const received: ReceivedWebhook[] = [];
  let waiters: { count: number; resolve: () => void }[] = [];
  const server = http.createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const webhook: ReceivedWebhook = {
      authorization: req.headers.authorization,
      contentType: req.headers['content-type'],
      body,
      json: JSON.parse(body),
    };
    const index = received.length;
    received.push(webhook);
    waiters = waiters.filter((w) => (received.length >= w.count ? (w.resolve(), false) : true));
    const answer = respond(index, webhook);
    if (answer === 'hang') return;
    res.writeHead(answer).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`,
    received,
    events: () => received.map((w) => w.json.event),
    /** Resolves once `count` webhooks have arrived. */
    waitFor(count: number): Promise<void> {
      if (received.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
