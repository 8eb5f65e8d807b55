import { execFile, execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Razorpay from 'razorpay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RazorpayEmulator, startRazorpayEmulator } from '../../../src/testing/index.js';
import { requireDependency } from '../../support/environment.js';
import { startRazorpayReceiver } from './support/razorpay-caller.js';

// The official SDK fixes https://api.razorpay.com (no host option), so it reaches the emulator the way
// any HTTPS client reaches a test double: HTTPS_PROXY names a local CONNECT proxy that answers for
// api.razorpay.com with a throw-away certificate (trusted through NODE_EXTRA_CA_CERTS) and forwards each
// request to the emulator. The SDK runs in a child process, so no proxy setting touches this one.
const opensslPath = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return 'openssl';
  } catch {
    return undefined;
  }
})();
const hasOpenssl = requireDependency(
  opensslPath,
  'openssl (for a throw-away TLS certificate)',
  'apt-get install openssl',
);

async function listen(server: http.Server | https.Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

describe.skipIf(!hasOpenssl)("Razorpay's official Node SDK, unchanged, against the emulator", () => {
  let emu: RazorpayEmulator;
  let receiver: Awaited<ReturnType<typeof startRazorpayReceiver>>;
  let dir: string;
  let tls: https.Server;
  let proxy: http.Server;
  let proxyPort: number;
  const tunnels: string[] = [];
  const forwarded: string[] = [];
  const sockets = new Set<net.Socket>();

  beforeAll(async () => {
    receiver = await startRazorpayReceiver();
    emu = await startRazorpayEmulator({ webhook: { url: receiver.url }, refundProcessAfterMs: null });
    dir = await mkdtemp(join(tmpdir(), 'razorpay-sdk-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=api.razorpay.com',
        '-addext',
        'subjectAltName=DNS:api.razorpay.com',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    // TLS end: what api.razorpay.com would be; every request is handed to the emulator as it came.
    tls = https.createServer(
      { key: await readFile(join(dir, 'key.pem')), cert: await readFile(join(dir, 'cert.pem')) },
      async (req, res) => {
        let body = '';
        for await (const chunk of req) body += chunk;
        forwarded.push(`${req.method} ${req.url}`);
        const headers: Record<string, string> = {};
        for (const name of ['authorization', 'content-type', 'user-agent']) {
          const value = req.headers[name];
          if (typeof value === 'string') headers[name] = value;
        }
        const answer = await emu.handler(
          new Request(`${emu.url}${req.url}`, { method: req.method, headers, body: body === '' ? undefined : body }),
        );
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
        res.end(Buffer.from(await answer.arrayBuffer()));
      },
    );
    const tlsPort = await listen(tls);
    // CONNECT proxy: tunnels api.razorpay.com:443 to the TLS end, refuses anything else.
    proxy = http.createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
      tunnels.push(req.url ?? '');
      sockets.add(client);
      if (req.url !== 'api.razorpay.com:443') {
        client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
        return;
      }
      const upstream = net.connect(tlsPort, '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      sockets.add(upstream);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    proxyPort = await listen(proxy);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    proxy?.closeAllConnections();
    proxy?.close();
    tls?.closeAllConnections();
    tls?.close();
    await emu?.close();
    await receiver?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('orders, payments, refunds, customers, tokens and a recurring payment; webhooks pass validateWebhookSignature', async () => {
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        [join(import.meta.dirname, 'support/official-sdk-run.mjs')],
        {
          cwd: process.cwd(),
          timeout: 60_000,
          env: {
            PATH: process.env.PATH,
            HTTPS_PROXY: `http://127.0.0.1:${proxyPort}`,
            NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem'),
            EMULATOR_CONTROL_URL: `${emu.url}/__emulator`,
            RZP_KEY_ID: emu.credentials.keyId,
            RZP_KEY_SECRET: emu.credentials.keySecret,
          },
        },
        (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
      );
    });
    const r = JSON.parse(stdout);
    // The SDK's requests went through the tunnel to "api.razorpay.com" and on to the emulator.
    expect(tunnels.length).toBeGreaterThan(0);
    expect(tunnels.every((t) => t === 'api.razorpay.com:443')).toBe(true);
    expect(forwarded).toContain(`POST /v1/orders`);
    expect(forwarded.some((f) => f.startsWith('GET /v1/orders?') && f.includes('receipt=sdk_receipt_1'))).toBe(true);

    expect(r.order).toMatchObject({
      entity: 'order',
      amount: 50_000,
      currency: 'INR',
      receipt: 'sdk_receipt_1',
      status: 'created',
      notes: { plan: 'pro' },
    });
    expect(r.orderFetched.id).toBe(r.order.id);
    expect(r.ordersByReceipt).toMatchObject({ entity: 'collection', count: 1, items: [{ id: r.order.id }] });
    expect(r.payment).toMatchObject({ id: r.checkout.razorpay_payment_id, order_id: r.order.id, status: 'captured' });
    expect(r.orderPayments.items.map((p: { id: string }) => p.id)).toEqual([r.payment.id]);
    expect(r.refund).toMatchObject({ entity: 'refund', amount: 10_000, payment_id: r.payment.id, status: 'pending' });
    expect(r.refundFetched.id).toBe(r.refund.id);
    expect(r.refundOfPayment.id).toBe(r.refund.id);
    expect(r.paymentRefunds.count).toBe(1);
    expect(r.customerAgain.id).toBe(r.customer.id);
    expect(r.authPayment).toMatchObject({ recurring: true, customer_id: r.customer.id, token_id: r.token.id });
    expect(r.tokens.items.map((t: { id: string }) => t.id)).toEqual([r.token.id]);
    expect(r.token).toMatchObject({
      max_amount: 100_000,
      frequency: 'monthly',
      recurring_details: { status: 'confirmed' },
    });
    expect(r.recurring.razorpay_order_id).toBe(r.renewalOrder.id);
    expect(r.recurringPayment).toMatchObject({ status: 'captured', amount: 49_900, token_id: r.token.id });
    // The SDK turns Razorpay's error body into { statusCode, error }.
    expect(r.overMax).toMatchObject({ statusCode: 400, error: { code: 'BAD_REQUEST_ERROR', field: 'amount' } });
    expect(r.unknownOrder).toMatchObject({ statusCode: 400, error: { description: 'The id provided does not exist' } });
    expect(r.deleted).toEqual({ deleted: true });
    // Deleting removes Razorpay's record of the token (the mandate is not cancelled by it).
    expect(r.tokenAfterDelete).toMatchObject({
      statusCode: 400,
      error: { description: 'The id provided does not exist' },
    });

    // The SDK's own validator accepts every delivery, and refuses a tampered body.
    await emu.webhooks.idle();
    expect(receiver.received.length).toBeGreaterThanOrEqual(10);
    for (const w of receiver.received)
      expect(Razorpay.validateWebhookSignature(w.body, w.signature!, emu.credentials.webhookSecret)).toBe(true);
    const first = receiver.received[0]!;
    expect(Razorpay.validateWebhookSignature(`${first.body} `, first.signature!, emu.credentials.webhookSecret)).toBe(
      false,
    );
  });
});
