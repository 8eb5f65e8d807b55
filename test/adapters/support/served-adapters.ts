import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { phonePeBillingRouter } from '../../../adapters/express/index.js';
import { phonePeBillingPlugin } from '../../../adapters/fastify/index.js';
import { phonePeBillingApp } from '../../../adapters/hono/index.js';
import type { BillingHandlerOptions } from '../../../src/http/index.js';
import { listenOnFreePort } from './listen.js';

export const ADAPTERS = ['express', 'fastify', 'hono'] as const;
export type AdapterName = (typeof ADAPTERS)[number];

/** One adapter in a minimal host app, billing mounted at `/billing`, listening on 127.0.0.1. */
export interface ServedAdapter {
  name: AdapterName;
  origin: string;
  /** Where the billing routes are: `/billing/v1`. */
  prefix: string;
  /**
   * The methods the framework hands to the billing routes at all. Fastify routes only its supported
   * methods (GET, HEAD, TRACE, DELETE, OPTIONS, PATCH, PUT, POST, QUERY); any other (PROPFIND, …) is
   * answered by the host's own not-found handler before billing sees it.
   */
  routedMethods: readonly string[];
  close(): Promise<void>;
}

const NODE_METHODS = http.METHODS.filter((method) => method !== 'CONNECT');

/** Starts `name` with the billing routes built from `options`. */
export async function serveAdapter(name: AdapterName, options: BillingHandlerOptions): Promise<ServedAdapter> {
  const prefix = '/billing/v1';
  if (name === 'express') {
    const app = express();
    app.use('/billing', phonePeBillingRouter(options));
    const server = await listenOnFreePort(http.createServer(app));
    return { name, origin: server.origin, prefix, routedMethods: NODE_METHODS, close: server.close };
  }
  if (name === 'fastify') {
    const app = Fastify();
    await app.register(phonePeBillingPlugin, { prefix: '/billing', ...options });
    const origin = await app.listen({ port: 0, host: '127.0.0.1' });
    return { name, origin, prefix, routedMethods: app.supportedMethods, close: () => app.close() };
  }
  const app = new Hono();
  app.route('/billing', phonePeBillingApp(options));
  const server = await new Promise<ServerType>((resolve) => {
    const started: ServerType = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
  });
  return {
    name,
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    prefix,
    routedMethods: NODE_METHODS,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as http.Server).closeAllConnections?.();
      }),
  };
}
