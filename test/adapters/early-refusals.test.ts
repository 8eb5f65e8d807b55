import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBillingHandler } from '../../src/http/index.js';
import { createHttpHarness, type HttpHarness } from '../http/support/http-harness.js';
import { sendRaw, type RawResponse } from './support/raw-http.js';
import { ADAPTERS, serveAdapter, type ServedAdapter } from './support/served-adapters.js';

// Methods no billing route takes. TRACE (and TRACK, CONNECT) cannot even become a web Request.
const ODD_METHODS = [
  'TRACE',
  'OPTIONS',
  'PROPFIND',
  'PROPPATCH',
  'PATCH',
  'DELETE',
  'MKCOL',
  'COPY',
  'LOCK',
  'SEARCH',
  'QUERY',
  'PURGE',
].filter((m) => http.METHODS.includes(m));
const PATHS = [
  { path: '/plans', allow: 'GET' },
  { path: '/payments/webhook', allow: 'POST' },
  { path: '/subscriptions/cancel', allow: 'PUT' },
  { path: '/payments/status/ord_1', allow: 'GET' },
];

const expectBillingError = (res: RawResponse, status: number, code: string) => {
  expect([res.status, res.headers['content-type'], res.json?.status, res.json?.error?.code]).toEqual([
    status,
    'application/json; charset=utf-8',
    'error',
    code,
  ]);
  expect(typeof res.json.error.message).toBe('string');
};

/** What a raw TCP exchange brings back (the status line, or '' when the server just closed the connection). */
function rawExchange(origin: string, text: string): Promise<string> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(text));
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => resolve(received.split('\r\n')[0] ?? ''));
    socket.setTimeout(5_000, () => socket.destroy());
  });
}

describe.each(ADAPTERS)('%s: methods no route takes, and refusals before the body is read', (name) => {
  let h: HttpHarness;
  let app: ServedAdapter;
  beforeAll(async () => {
    h = await createHttpHarness();
    app = await serveAdapter(name, h.options());
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  it('answers TRACE, OPTIONS, PROPFIND and other odd methods with a JSON 405 naming the allowed method, never a 5xx', async () => {
    for (const method of ODD_METHODS) {
      for (const { path, allow } of PATHS) {
        for (const body of [undefined, '{"a": 1}']) {
          // Without a body, say so: node:http would send QUERY or PATCH chunked, and Fastify refuses a body without a type.
          const res = await sendRaw(app.origin, {
            method,
            path: `${app.prefix}${path}`,
            ...(body
              ? { body, headers: { 'content-type': 'application/json' } }
              : { headers: { 'content-length': '0' } }),
          });
          if (name === 'fastify' && method === 'QUERY' && !body) {
            // Fastify fails a QUERY without Content-Type itself (as RFC 10008 asks), in the billing error shape.
            expectBillingError(res, 400, 'INVALID_BODY');
            continue;
          }
          if (!app.routedMethods.includes(method)) {
            // Fastify routes only the methods it supports; the host's own not-found handler answers the rest.
            expect([method, res.status]).toEqual([method, 404]);
            continue;
          }
          expectBillingError(res, 405, 'METHOD_NOT_ALLOWED');
          expect([method, path, res.headers.allow]).toEqual([method, path, allow]);
          expect(res.json.error.message).toContain(`${method} is not allowed`);
        }
      }
      if (app.routedMethods.includes(method))
        expectBillingError(
          await sendRaw(app.origin, {
            method,
            path: `${app.prefix}/nope`,
            body: '{}',
            headers: { 'content-type': 'application/json' },
          }),
          404,
          'NOT_FOUND',
        );
    }
    const head = await sendRaw(app.origin, { method: 'HEAD', path: `${app.prefix}/payments/create` });
    expect([head.status, head.headers.allow, head.text]).toEqual([405, 'POST', '']);
    expect(h.logger.entries.filter((e) => e.level === 'error')).toEqual([]);
  });

  it('never answers CONNECT or a lower-case method with a 5xx (Node itself refuses them before any framework)', async () => {
    const host = new URL(app.origin).host;
    expect(await rawExchange(app.origin, `CONNECT ${host} HTTP/1.1\r\nHost: ${host}\r\n\r\n`)).not.toMatch(
      /^HTTP\/1\.1 5/,
    );
    for (const method of ['trace', 'get', 'propfind']) {
      expect(await rawExchange(app.origin, `${method} ${app.prefix}/plans HTTP/1.1\r\nHost: ${host}\r\n\r\n`)).toMatch(
        /^HTTP\/1\.1 4\d\d/,
      );
    }
  });

  it('closes the connection after a 413 or a TRACE, so the next request on the same keep-alive connection gets its own answer', async () => {
    for (const first of ['413 with Content-Length', '413 chunked', 'TRACE with a body']) {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const big = 'x'.repeat(2 * 1024 * 1024);
        const refused = await new Promise<RawResponse>((resolve, reject) => {
          if (first === 'TRACE with a body')
            return void sendRaw(app.origin, {
              method: 'TRACE',
              path: `${app.prefix}/plans`,
              headers: { 'content-type': 'application/json' },
              body: 'x'.repeat(32 * 1024),
              agent,
            }).then(resolve, reject);
          if (first === '413 with Content-Length')
            return void sendRaw(app.origin, {
              method: 'POST',
              path: `${app.prefix}/payments/webhook`,
              headers: { 'content-type': 'application/json' },
              body: big,
              agent,
            }).then(resolve, reject);
          // Chunked: written in two parts, so node:http sends no Content-Length and the limit is found while streaming.
          const req = http.request(
            `${app.origin}${app.prefix}/payments/webhook`,
            { method: 'POST', headers: { 'content-type': 'application/json' }, agent },
            (res) => {
              let text = '';
              res.on('data', (c) => (text += c));
              res.on('end', () =>
                resolve({
                  status: res.statusCode ?? 0,
                  headers: res.headers,
                  text,
                  json: JSON.parse(text),
                  reusedSocket: false,
                }),
              );
            },
          );
          req.on('error', reject);
          req.write(big.slice(0, 1024));
          req.end(big.slice(1024));
        });
        if (first === 'TRACE with a body') expectBillingError(refused, 405, 'METHOD_NOT_ALLOWED');
        else expectBillingError(refused, 413, 'PAYLOAD_TOO_LARGE');
        expect([first, refused.headers.connection]).toEqual([first, 'close']);
        // Held in flight for a second: @hono/node-server used to destroy the reused connection ~500 ms after the 413.
        const next = await sendRaw(app.origin, {
          method: 'POST',
          path: `${app.prefix}/payments/webhook`,
          headers: { 'content-type': 'application/json' },
          body: '{}',
          agent,
          holdBodyMs: 1_000,
        });
        expectBillingError(next, 401, 'WEBHOOK_UNAUTHORIZED');
      } finally {
        agent.destroy();
      }
    }
  });

  it('keeps the connection usable after refusing a small body it never needed to read', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const body = JSON.stringify({
        plan_id: 'pro',
        amount: '2999.00',
        return_url: 'https://app.example.com/billing',
        padding: 'p'.repeat(16 * 1024),
      });
      const refused = await sendRaw(app.origin, {
        method: 'POST',
        path: `${app.prefix}/payments/create`,
        headers: { 'content-type': 'application/json' },
        body,
        agent,
      });
      expectBillingError(refused, 401, 'UNAUTHENTICATED');
      const next = await sendRaw(app.origin, { method: 'GET', path: `${app.prefix}/plans`, agent });
      expect([next.status, next.json.status, next.reusedSocket]).toEqual([200, 'success', true]);
    } finally {
      agent.destroy();
    }
  });
});

describe('web-standard handler: odd methods and unread bodies', () => {
  let h: HttpHarness;
  beforeAll(async () => {
    h = await createHttpHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers any method a Request can carry, in any case, with 405 (404 off the billing paths)', async () => {
    const handler = createBillingHandler(h.options());
    for (const method of ['OPTIONS', 'PROPFIND', 'propfind', 'patch', 'Delete', 'QUERY', 'X-ANYTHING']) {
      const res = await handler(new Request('http://billing.test/v1/subscriptions/cancel', { method, body: '{}' }));
      expect([method, res.status, res.headers.get('allow'), (await res.json()).error.code]).toEqual([
        method,
        405,
        'PUT',
        'METHOD_NOT_ALLOWED',
      ]);
      expect((await handler(new Request('http://billing.test/v1/nope', { method }))).status).toBe(404);
    }
  });

  it('reads and drops a small body it did not need, and asks to close the connection when the body is over the limit', async () => {
    const handler = createBillingHandler(h.options());
    const small = new Request('http://billing.test/v1/payments/create', { method: 'POST', body: '{"plan_id": "pro"}' });
    const refused = await handler(small);
    expect([refused.status, refused.headers.get('connection'), small.bodyUsed]).toEqual([401, null, true]);
    const declaredTooLarge = new Request('http://billing.test/v1/payments/create', {
      method: 'POST',
      body: 'x'.repeat(70_000),
      headers: { 'content-length': '70000' },
    });
    expect((await handler(declaredTooLarge)).headers.get('connection')).toBe('close');
    const streamedTooLarge = new Request('http://billing.test/v1/payments/webhook', {
      method: 'POST',
      body: 'x'.repeat(70_000),
    });
    const tooLarge = await handler(streamedTooLarge);
    expect([tooLarge.status, tooLarge.headers.get('connection')]).toEqual([413, 'close']);
    const read = await handler(new Request('http://billing.test/v1/payments/webhook', { method: 'POST', body: '{}' }));
    expect([read.status, read.headers.get('connection')]).toEqual([401, null]);
  });
});
