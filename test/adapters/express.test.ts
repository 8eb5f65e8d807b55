import http from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phonePeBillingRouter } from '../../adapters/express/index.js';
import { ApiClient, fetchCaller } from '../http/support/api-client.js';
import { createHttpHarness, type HttpHarness } from '../http/support/http-harness.js';
import { createPayment, emulatorWebhookBody, postWebhook, type Mount } from '../http/support/mounted-api.js';
import { expectFullFlowOverHttp, expectHostRoutesUntouched } from './support/host-app-checks.js';
import { describeAuth } from '../http/support/suites/auth-suite.js';
import { describeBadInput } from '../http/support/suites/bad-input-suite.js';
import { describeGatewayRoutes } from '../http/support/suites/gateway-routes-suite.js';
import { describeOutages } from '../http/support/suites/outage-suite.js';
import { describeRoutes } from '../http/support/suites/routes-suite.js';
import { listenOnFreePort } from './support/listen.js';

/**
 * A host app: its own routes around the billing router mounted at `/billing`, optionally after express.json()
 * (and express.urlencoded(), as many Express apps mount both for every route).
 */
function hostApp(
  router: ReturnType<typeof phonePeBillingRouter>,
  options: { jsonFirst?: boolean; formFirst?: boolean; mountAt?: string } = {},
) {
  const app = express();
  if (options.jsonFirst) app.use(express.json());
  if (options.formFirst) app.use(express.urlencoded({ extended: true }));
  app.get('/health', (_req, res) => void res.json({ ok: true }));
  if (options.mountAt) app.use(options.mountAt, router);
  else app.use(router);
  app.post('/echo', express.json(), (req, res) => void res.json({ echoed: req.body }));
  app.get('/billing/about', (_req, res) => void res.type('text').send('host page'));
  return app;
}

const mountAt =
  (prefix: string, jsonFirst = false, formFirst = false): Mount =>
  async (h) => {
    const server = await listenOnFreePort(
      http.createServer(
        hostApp(phonePeBillingRouter(h.options()), { jsonFirst, formFirst, ...(prefix ? { mountAt: prefix } : {}) }),
      ),
    );
    return { api: new ApiClient(fetchCaller(server.origin), `${prefix}/v1`), close: server.close };
  };

describeRoutes('express at /billing', mountAt('/billing'));
describeAuth('express at /billing', mountAt('/billing'));
describeBadInput('express at /billing', mountAt('/billing'));
describeOutages('express at /billing', mountAt('/billing'));
describeRoutes("express after the host's express.json()", mountAt('', true));
describeAuth("express after the host's express.json()", mountAt('', true));
describeGatewayRoutes('express at /billing', mountAt('/billing'), { prefix: '/billing/v1' });
describeGatewayRoutes("express after the host's express.json() and express.urlencoded()", mountAt('', true, true), {
  prefix: '/v1',
  hostParsedJson: 'reserialised',
});

describe('express: living in a host app', () => {
  let h: HttpHarness;
  let server: Awaited<ReturnType<typeof listenOnFreePort>>;
  let parsedFirst: Awaited<ReturnType<typeof listenOnFreePort>>;
  beforeAll(async () => {
    h = await createHttpHarness({ webhooks: 'relay' });
    server = await listenOnFreePort(
      http.createServer(hostApp(phonePeBillingRouter(h.options()), { mountAt: '/billing' })),
    );
    parsedFirst = await listenOnFreePort(
      http.createServer(hostApp(phonePeBillingRouter(h.options()), { jsonFirst: true })),
    );
    h.setWebhookTarget(`${server.origin}/billing/v1/payments/webhook`);
  });
  afterAll(async () => {
    await server?.close();
    await parsedFirst?.close();
    await h?.close();
  });

  it("leaves the host's other routes alone, including JSON parsing and paths under the same prefix", async () => {
    await expectHostRoutesUntouched(server.origin);
  });

  it('full flow: create → pay at PhonePe → emulator webhook over HTTP to the mounted route → subscription active', async () => {
    await expectFullFlowOverHttp(h, server.origin, 'ws_express_flow');
  });

  it("accepts a webhook the host's express.json() already parsed (pretty-printed on the wire), and refuses a forged one", async () => {
    const api = new ApiClient(fetchCaller(parsedFirst.origin), '/v1');
    const created = await createPayment(api, 'ws_express_parsed');
    h.emu.webhooks.hold();
    await h.emu.completeOrder(created.json.order_id);
    const pretty = JSON.stringify(JSON.parse(emulatorWebhookBody(h, created.json.order_id)), null, 2);
    const forged = await postWebhook(api, pretty, { authorization: '0'.repeat(64) });
    expect([forged.status, forged.json.error.code]).toEqual([401, 'WEBHOOK_UNAUTHORIZED']);
    const res = await postWebhook(api, pretty);
    expect([res.status, res.json.outcome]).toEqual([200, 'processed']);
    expect((await api.get('/subscriptions', { tenant: 'ws_express_parsed' })).json.data.subscription.status).toBe(
      'active',
    );
  });

  it("refuses a 20,000-level body the host's express.json() already parsed with 400 JSON_TOO_DEEP (no stack overflow re-serialising it)", async () => {
    const api = new ApiClient(fetchCaller(parsedFirst.origin), '/v1');
    const deep = `{"event":"checkout.order.completed","payload":{"x":${'['.repeat(20_000)}${']'.repeat(20_000)}}}`;
    const res = await postWebhook(api, deep);
    expect([res.status, res.json.error.code]).toEqual([400, 'JSON_TOO_DEEP']);
    expect(h.logger.entries.filter((e) => e.level === 'error')).toEqual([]);
  });
});
