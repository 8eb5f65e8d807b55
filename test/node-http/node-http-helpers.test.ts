import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  incomingMessageToRequest,
  isPayloadTooLargeError,
  isRequestBodyAlreadyReadError,
  sendWebResponse,
  type IncomingMessageToRequestOptions,
} from '../../src/node-http/index.js';

type WebHandler = (request: Request, req: http.IncomingMessage) => Promise<Response>;

const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A node:http server that runs `handler` through the two helpers; conversion errors answer 4xx. */
async function serve(
  handler: WebHandler,
  options: IncomingMessageToRequestOptions = {},
  before?: (req: http.IncomingMessage) => Promise<void>,
) {
  const server = http.createServer(async (req, res) => {
    try {
      if (before) await before(req);
      const request = await incomingMessageToRequest(req, res, options);
      await sendWebResponse(res, await handler(request, req), { method: req.method });
    } catch (error) {
      const status = isPayloadTooLargeError(error) ? 413 : isRequestBodyAlreadyReadError(error) ? 400 : 500;
      res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' }).end(String((error as Error).name));
    }
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A raw request, so duplicate headers and chunked bodies can be sent exactly. */
function rawRequest(
  url: string,
  init: { method?: string; headers?: Record<string, string | string[]>; chunks?: string[] },
) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    // An array value is sent as one header line per value.
    const req = http.request(url, { method: init.method ?? 'GET', headers: init.headers });
    req.on('error', reject);
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    for (const chunk of init.chunks ?? []) req.write(chunk);
    req.end();
  });
}

const echo: WebHandler = async (request) =>
  Response.json({
    method: request.method,
    url: request.url,
    multi: request.headers.get('x-multi'),
    contentType: request.headers.get('content-type'),
    body: await request.text(),
  });

describe('incomingMessageToRequest', () => {
  it('carries method, URL, headers and the exact body bytes', async () => {
    const base = await serve(echo);
    const body = '{\n  "amount": 299900,\n  "note": "₹ exact bytes"\n}';
    const res = await fetch(`${base}/a/b?x=1&y=2`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const seen = await res.json();
    expect(seen).toMatchObject({ method: 'POST', url: `${base}/a/b?x=1&y=2`, contentType: 'application/json', body });
  });

  it('keeps every value of a repeated request header', async () => {
    const base = await serve(echo);
    const res = await rawRequest(`${base}/`, { headers: { 'X-Multi': ['one', 'two'] } });
    expect(JSON.parse(res.body).multi).toBe('one, two');
  });

  it('never lets the request path change the host', async () => {
    const base = await serve(echo);
    const res = await rawRequest(`${base}//evil.example/steal`, {});
    expect(new URL(JSON.parse(res.body).url).host).toBe(new URL(base).host);
    expect(new URL(JSON.parse(res.body).url).pathname).toBe('//evil.example/steal');
  });

  it('refuses a declared Content-Length over the limit before reading it', async () => {
    const base = await serve(echo, { maxBodyBytes: 10 });
    const res = await fetch(base, { method: 'POST', body: 'x'.repeat(11) });
    expect(res.status).toBe(413);
    expect(await res.text()).toBe('PayloadTooLargeError');
  });

  it('refuses a chunked body once it passes the limit', async () => {
    const base = await serve(echo, { maxBodyBytes: 10 });
    const res = await rawRequest(base, {
      method: 'POST',
      headers: { 'transfer-encoding': 'chunked' },
      chunks: ['123456', '7890', 'ab'],
    });
    expect(res.status).toBe(413);
  });

  it('accepts a body exactly at the limit', async () => {
    const base = await serve(echo, { maxBodyBytes: 10 });
    const res = await fetch(base, { method: 'POST', body: '0123456789' });
    expect((await res.json()).body).toBe('0123456789');
  });

  it('uses options.body when another layer already read the stream', async () => {
    let raw = '';
    const server = http.createServer(async (req, res) => {
      for await (const chunk of req) raw += chunk;
      const request = await incomingMessageToRequest(req, res, { body: raw });
      await sendWebResponse(res, await echo(request, req));
    });
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, {
      method: 'POST',
      body: 'already-read',
    });
    expect((await res.json()).body).toBe('already-read');
  });

  it('says so clearly when the stream was drained and no body was passed', async () => {
    const base = await serve(echo, {}, async (req) => {
      for await (const _ of req) void _;
    });
    const res = await fetch(base, { method: 'POST', body: '{"a":1}' });
    expect(res.status).toBe(400);
    expect(await res.text()).toBe('RequestBodyAlreadyReadError');
  });

  it('aborts request.signal when the client disconnects before the answer', async () => {
    let resolveAborted: (reason: unknown) => void = () => {};
    const aborted = new Promise((resolve) => (resolveAborted = resolve));
    let resolveStarted: () => void = () => {};
    const started = new Promise<void>((resolve) => (resolveStarted = resolve));
    const base = await serve(async (request) => {
      request.signal.addEventListener('abort', () => resolveAborted(request.signal.reason));
      resolveStarted();
      await aborted;
      return new Response('late');
    });
    const client = http.request(base);
    client.on('error', () => {});
    client.end();
    await started;
    client.destroy();
    expect(await aborted).toBeInstanceOf(Error);
  });
});

describe('sendWebResponse', () => {
  it('writes status, headers and each Set-Cookie separately', async () => {
    const base = await serve(async () => {
      const headers = new Headers({ 'x-one': '1', 'content-type': 'text/plain' });
      headers.append('set-cookie', 'a=1; Path=/');
      headers.append('set-cookie', 'b=2; Path=/');
      return new Response('created', { status: 201, headers });
    });
    const res = await rawRequest(base, {});
    expect(res.status).toBe(201);
    expect(res.headers['x-one']).toBe('1');
    expect(res.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(res.body).toBe('created');
  });

  it('streams a large body in order', async () => {
    const parts = Array.from({ length: 200 }, (_, i) => `${i}:${'x'.repeat(4096)}\n`);
    const base = await serve(async () => {
      const encoder = new TextEncoder();
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (const part of parts) controller.enqueue(encoder.encode(part));
          controller.close();
        },
      });
      return new Response(stream);
    });
    const res = await fetch(base);
    expect(await res.text()).toBe(parts.join(''));
  });

  it('sends no body for HEAD and 204', async () => {
    const base = await serve(
      async (request) =>
        new Response(request.url.endsWith('/empty') ? null : 'body', {
          status: request.url.endsWith('/empty') ? 204 : 200,
        }),
    );
    const head = await rawRequest(base, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    const empty = await rawRequest(`${base}/empty`, {});
    expect(empty.status).toBe(204);
    expect(empty.body).toBe('');
  });

  it('drops the connection for Response.error()', async () => {
    const base = await serve(async () => Response.error());
    await expect(rawRequest(base, {})).rejects.toThrow(/socket hang up|ECONNRESET/);
  });

  it('stops reading an endless body when the client goes away', async () => {
    let cancelled: (reason: unknown) => void = () => {};
    const wasCancelled = new Promise((resolve) => (cancelled = resolve));
    const base = await serve(async () => {
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          controller.enqueue(new Uint8Array(16_384));
        },
        cancel(reason) {
          cancelled(reason ?? 'cancelled');
        },
      });
      return new Response(stream);
    });
    const client = http.request(base);
    client.on('error', () => {});
    client.on('response', (res) => {
      res.once('data', () => client.destroy());
    });
    client.end();
    await expect(wasCancelled).resolves.toBeDefined();
  });
});
