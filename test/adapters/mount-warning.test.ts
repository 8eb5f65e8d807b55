import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { phonePeBillingRouter } from '../../adapters/express/index.js';
import { phonePeBillingPlugin } from '../../adapters/fastify/index.js';
import { phonePeBillingApp } from '../../adapters/hono/index.js';
import { createHttpHarness, type HttpHarness } from '../http/support/http-harness.js';
import { listenOnFreePort } from './support/listen.js';

// A new user mounted the billing routes at /billing but kept PHONEPE_CALLBACK_URL at /v1/…: payers came
// back to a 404 and PhonePe's webhooks 404ed. Every adapter now warns (once) when the manager's callback
// URL is not the callback route under the mount point it actually serves.
type Started = { origin: string; close(): Promise<void> };
const MOUNTS: Record<string, (h: HttpHarness) => Promise<Started>> = {
  express: async (h) => {
    const app = express();
    app.use('/billing', phonePeBillingRouter(h.options()));
    return listenOnFreePort(http.createServer(app));
  },
  fastify: async (h) => {
    const app = Fastify();
    await app.register(phonePeBillingPlugin, { ...h.options(), prefix: '/billing' });
    return { origin: await app.listen({ port: 0, host: '127.0.0.1' }), close: () => app.close() };
  },
  hono: async (h) => {
    const app = new Hono();
    app.route('/billing', phonePeBillingApp(h.options()));
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
    });
    return {
      origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  },
};

const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const item of opened.splice(0).reverse()) await item.close();
});

describe.each(Object.keys(MOUNTS))('%s mounted at /billing', (name) => {
  const mountWarnings = (h: HttpHarness) =>
    h.logger.entries.filter((e) => e.level === 'warn' && e.msg?.includes("is not this handler's callback route"));

  it.each([
    [
      'warns once when PHONEPE_CALLBACK_URL leaves out the mount point',
      'https://api.example.com/v1/payments/callback',
      1,
    ],
    ['stays quiet when it includes it', 'https://api.example.com/billing/v1/payments/callback', 0],
  ])('%s', async (_case, callbackUrl, warnings) => {
    const h = await createHttpHarness({ config: { callbackUrl } });
    opened.push(h);
    const app = await MOUNTS[name]!(h);
    opened.push(app);
    for (let i = 0; i < 2; i++) expect((await fetch(`${app.origin}/billing/v1/plans`)).status).toBe(200);
    expect(mountWarnings(h)).toHaveLength(warnings);
    if (warnings)
      expect(mountWarnings(h)[0]!.obj).toEqual({
        callbackPath: '/v1/payments/callback',
        expected: '/billing/v1/payments/callback',
      });
  });
});
