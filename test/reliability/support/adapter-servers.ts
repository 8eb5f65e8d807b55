import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { phonePeBillingRouter } from '../../../adapters/express/index.js';
import { phonePeBillingPlugin } from '../../../adapters/fastify/index.js';
import { phonePeBillingApp } from '../../../adapters/hono/index.js';
import { createBillingHandler, type BillingHandlerOptions } from '../../../src/http/index.js';
import { listenOnFreePort } from '../../adapters/support/listen.js';
import { serveOnNodeHttp } from '../../http/support/node-server.js';

/** A billing app listening on a real port: `${origin}${prefix}/v1/...` reaches the billing routes. */
export interface RunningApp {
  origin: string;
  prefix: string;
  close(): Promise<void>;
}

export const ADAPTERS = ['express', 'fastify', 'hono', 'node-http'] as const;
export type AdapterName = (typeof ADAPTERS)[number];

/** Mounts the billing routes with `options` in a minimal host app of the named framework, on a free port. */
export async function startAdapter(name: AdapterName, options: BillingHandlerOptions): Promise<RunningApp> {
  switch (name) {
    case 'express': {
      const app = express();
      app.use('/billing', phonePeBillingRouter(options));
      const server = await listenOnFreePort(http.createServer(app));
      return { ...server, prefix: '/billing' };
    }
    case 'fastify': {
      const app = Fastify();
      await app.register(phonePeBillingPlugin, { ...options, prefix: '/billing' });
      const origin = await app.listen({ port: 0, host: '127.0.0.1' });
      return { origin, prefix: '/billing', close: () => app.close() };
    }
    case 'hono': {
      const app = new Hono();
      app.route('/billing', phonePeBillingApp(options));
      const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
        const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
      });
      return {
        origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        prefix: '/billing',
        close: () => new Promise<void>((resolve) => server.close(() => resolve())),
      };
    }
    case 'node-http': {
      const server = await serveOnNodeHttp(createBillingHandler(options));
      return { ...server, prefix: '' };
    }
  }
}

/** Nearest-rank percentile of `values` (ms), rounded to 0.1 ms. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round((sorted[index] ?? 0) * 10) / 10;
}
