// The Razorpay transport over real HTTP (an in-process node:http server, no msw): a socket destroyed
// after the server acted, an answer that never comes, a body cut off mid-way — the failures msw can
// only imitate — each shown to end in a lookup, never in a second object.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isRazorpayNetworkError, isRazorpayTimeoutError, RazorpayClient } from '../../src/razorpay/index.js';

type Mode = 'ok' | 'destroy' | 'hang' | 'cut';

interface Order {
  id: string;
  amount: number;
  currency: string;
  receipt: string;
  status: string;
  created_at: number;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

/** A tiny Razorpay order endpoint; `modes` decides, POST by POST, how the answer is (not) delivered. */
async function orderServer(modes: Mode[]) {
  const orders: Order[] = [];
  const seen: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method === 'POST' && url.pathname === '/v1/orders') {
        const input = JSON.parse(body) as { amount: number; currency: string; receipt: string };
        const order = { id: `order_${orders.length + 1}`, ...input, status: 'created', created_at: 1_700_000_000 };
        orders.push(order);
        const mode = modes.shift() ?? 'ok';
        if (mode === 'destroy') return req.socket.destroy();
        if (mode === 'hang') return;
        const text = JSON.stringify(order);
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(text.length) });
        if (mode === 'cut') {
          res.write(text.slice(0, 10));
          setTimeout(() => req.socket.destroy(), 10);
          return;
        }
        return res.end(text);
      }
      if (req.method === 'GET' && url.pathname === '/v1/orders') {
        const items = orders.filter((o) => o.receipt === url.searchParams.get('receipt'));
        res.writeHead(200, { 'Content-Type': 'application/json' });
        return res.end(JSON.stringify({ entity: 'collection', count: items.length, items }));
      }
      res.writeHead(404).end();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = new RazorpayClient({
    keyId: 'rzp_test_http',
    keySecret: 'http-secret',
    baseUrl: `http://127.0.0.1:${port}/v1`,
    timeoutMs: 300,
    sleep: async () => {},
  });
  return { client, orders, seen };
}

describe('RazorpayRequester over real HTTP', () => {
  it.each(['destroy', 'hang', 'cut'] as const)(
    'createOrder whose answer is lost (%s) finds the one order by receipt',
    async (mode) => {
      const { client, orders, seen } = await orderServer([mode]);
      const order = await client.createOrder({ amount: 49_900, receipt: `http_${mode}` });
      expect(orders).toHaveLength(1);
      expect(order).toMatchObject({ id: 'order_1', amount: 49_900, receipt: `http_${mode}` });
      expect(seen.map((line) => line.split(' ').slice(0, 2).join(' '))).toEqual([
        'POST /v1/orders',
        `GET /v1/orders?receipt=http_${mode}`,
      ]);
      expect(seen.every((line) => line.endsWith(`Basic ${btoa('rzp_test_http:http-secret')}`))).toBe(true);
    },
  );

  it('maps a destroyed socket to RazorpayNetworkError and a silent server to RazorpayTimeoutError on reads', async () => {
    // A read against a port nobody listens on: a refused connection.
    const refused = new RazorpayClient({
      keyId: 'k',
      keySecret: 's',
      baseUrl: 'http://127.0.0.1:9/v1',
      retry: { limit: 0 },
      timeoutMs: 300,
    });
    expect(isRazorpayNetworkError(await refused.getOrder('order_1').catch((e: unknown) => e))).toBe(true);
    const silent = createServer(() => {});
    servers.push(silent);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const hanging = new RazorpayClient({
      keyId: 'k',
      keySecret: 's',
      baseUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1`,
      retry: { limit: 0 },
      timeoutMs: 100,
    });
    expect(isRazorpayTimeoutError(await hanging.getOrder('order_1').catch((e: unknown) => e))).toBe(true);
  });
});
