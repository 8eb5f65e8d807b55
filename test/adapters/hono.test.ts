import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phonePeBillingApp } from '../../adapters/hono/index.js';
import { ApiClient, toResult, type Caller } from '../http/support/api-client.js';
import { createHttpHarness, type HttpHarness } from '../http/support/http-harness.js';
import { createPayment, emulatorWebhookBody, postWebhook, type Mount } from '../http/support/mounted-api.js';
import { expectFullFlowOverHttp, expectHostRoutesUntouched } from './support/host-app-checks.js';
import { describeAuth } from '../http/support/suites/auth-suite.js';
import { describeBadInput } from '../http/support/suites/bad-input-suite.js';
import { describeGatewayRoutes } from '../http/support/suites/gateway-routes-suite.js';
import { describeOutages } from '../http/support/suites/outage-suite.js';
import { describeRoutes } from '../http/support/suites/routes-suite.js';

/** A host app with its own routes; optionally a middleware that parses JSON and form bodies before billing sees them. */
function hostApp(billingApp: Hono, options: { mountAt: string; parseFirst?: boolean }): Hono {
  const app = new Hono();
  if (options.parseFirst) {
    app.use('*', async (c, next) => {
      const type = c.req.header('content-type') ?? '';
      if (type.includes('json')) await c.req.json().catch(() => undefined);
      if (type.includes('urlencoded')) await c.req.formData().catch(() => undefined);
      await next();
    });
  }
  app.get('/health', (c) => c.json({ ok: true }));
  app.post('/echo', async (c) => c.json({ echoed: await c.req.json() }));
  app.route(options.mountAt, billingApp);
  app.get('/billing/about', (c) => c.text('host page'));
  return app;
}

/** Hono's in-process `app.request` as a Caller. */
function appCaller(app: Hono): Caller {
  return async ({ method, path, headers, body }) => {
    const res = await app.request(path, { method, headers, ...(body === undefined ? {} : { body: body as BodyInit }) });
    return toResult(res.status, res.headers, await res.text());
  };
}

const mounted =
  (mountAt: string, prefix: string, parseFirst = false): Mount =>
  async (h) => ({
    api: new ApiClient(appCaller(hostApp(phonePeBillingApp(h.options()), { mountAt, parseFirst })), `${prefix}/v1`),
    close: async () => {},
  });

describeRoutes('hono at /billing', mounted('/billing', '/billing'));
describeAuth('hono at /billing', mounted('/billing', '/billing'));
describeBadInput('hono at /billing', mounted('/billing', '/billing'));
describeOutages('hono at /billing', mounted('/billing', '/billing'));
describeRoutes('hono at /org/:org', mounted('/org/:org', '/org/acme'));
describeRoutes('hono at / after a host middleware parsed the JSON', mounted('/', '', true));
describeAuth('hono at / after a host middleware parsed the JSON', mounted('/', '', true));
describeGatewayRoutes('hono at /billing', mounted('/billing', '/billing'), { prefix: '/billing/v1' });
describeGatewayRoutes('hono at /org/:org', mounted('/org/:org', '/org/acme'), { prefix: '/org/acme/v1' });
describeGatewayRoutes('hono at / after a host middleware parsed the JSON', mounted('/', '', true), { prefix: '/v1' });

describe('hono: living in a host app, over real HTTP (@hono/node-server)', () => {
  let h: HttpHarness;
  let server: ServerType;
  let origin: string;
  let parsedFirst: Hono;
  beforeAll(async () => {
    h = await createHttpHarness({ webhooks: 'relay' });
    const app = hostApp(phonePeBillingApp(h.options()), { mountAt: '/billing' });
    parsedFirst = hostApp(phonePeBillingApp(h.options()), { mountAt: '/', parseFirst: true });
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
    });
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    h.setWebhookTarget(`${origin}/billing/v1/payments/webhook`);
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await h?.close();
  });

  it("leaves the host's other routes alone, including JSON parsing and paths under the same prefix", async () => {
    await expectHostRoutesUntouched(origin);
  });

  it('full flow: create → pay at PhonePe → emulator webhook over HTTP to the mounted app → subscription active', async () => {
    await expectFullFlowOverHttp(h, origin, 'ws_hono_flow');
  });

  it('accepts a webhook a host middleware already parsed, and refuses a forged one', async () => {
    const api = new ApiClient(appCaller(parsedFirst), '/v1');
    const created = await createPayment(api, 'ws_hono_parsed');
    h.emu.webhooks.hold();
    await h.emu.completeOrder(created.json.order_id);
    const pretty = JSON.stringify(JSON.parse(emulatorWebhookBody(h, created.json.order_id)), null, 2);
    expect((await postWebhook(api, pretty, { authorization: 'f'.repeat(64) })).status).toBe(401);
    const res = await postWebhook(api, pretty);
    expect([res.status, res.json.outcome]).toEqual([200, 'processed']);
  });
});
