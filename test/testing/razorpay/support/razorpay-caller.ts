import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** An authenticated JSON caller for the emulator's `/v1` API over real HTTP. */
export function razorpayCaller(
  emu: { baseUrl: string; url: string },
  credentials: { keyId: string; keySecret: string },
) {
  const authorization = `Basic ${Buffer.from(`${credentials.keyId}:${credentials.keySecret}`).toString('base64')}`;
  async function call(method: string, path: string, body?: unknown, auth = authorization) {
    const response = await fetch(`${emu.baseUrl}${path}`, {
      method,
      headers: { authorization: auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, body: json, text };
  }
  return {
    get: (path: string, auth?: string) => call('GET', path, undefined, auth),
    post: (path: string, body: unknown = {}, auth?: string) => call('POST', path, body, auth),
    put: (path: string, body?: unknown) => call('PUT', path, body),
    delete: (path: string) => call('DELETE', path),
    control: async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${emu.url}/__emulator${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as any };
    },
  };
}

/** A Razorpay webhook as a merchant endpoint received it: raw body and Razorpay's headers. */
export interface RazorpayReceivedWebhook {
  body: string;
  signature: string | undefined;
  eventId: string | undefined;
  json: { entity: string; account_id: string; event: string; contains: string[]; payload: any; created_at: number };
}

/** A real endpoint on node:http; `respond(i)` picks the status of the i-th request (0-based). */
export async function startRazorpayReceiver(respond: (index: number) => number = () => 200) {
  const received: RazorpayReceivedWebhook[] = [];
  let waiters: { count: number; resolve: () => void }[] = [];
  const server = http.createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    received.push({
      body,
      signature: req.headers['x-razorpay-signature'] as string | undefined,
      eventId: req.headers['x-razorpay-event-id'] as string | undefined,
      json: JSON.parse(body),
    });
    waiters = waiters.filter((w) => (received.length >= w.count ? (w.resolve(), false) : true));
    res.writeHead(respond(received.length - 1)).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/payments/webhook/razorpay`,
    received,
    events: () => received.map((w) => w.json.event),
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
