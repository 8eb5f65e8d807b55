import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phonePeBillingPlugin } from '../../adapters/fastify/index.js';
import { ApiClient, toResult, type Caller } from '../http/support/api-client.js';
import { createHttpHarness, type HttpHarness } from '../http/support/http-harness.js';
import type { Mount } from '../http/support/mounted-api.js';
import { expectFullFlowOverHttp, expectHostRoutesUntouched } from './support/host-app-checks.js';
import { describeAuth } from '../http/support/suites/auth-suite.js';
import { describeBadInput } from '../http/support/suites/bad-input-suite.js';
import { describeGatewayRoutes } from '../http/support/suites/gateway-routes-suite.js';
import { describeOutages } from '../http/support/suites/outage-suite.js';
import { describeRoutes } from '../http/support/suites/routes-suite.js';

/** A host app with its own JSON routes, and the billing plugin registered under `prefix`. */
async function hostApp(h: HttpHarness, prefix: string): Promise<FastifyInstance> {
  const app = Fastify();
  app.get('/health', async () => ({ ok: true }));
  app.post('/echo', async (request) => ({ echoed: request.body }));
  await app.register(phonePeBillingPlugin, { ...(prefix ? { prefix } : {}), ...h.options() });
  app.get('/billing/about', async () => 'host page');
  await app.ready();
  return app;
}

/** Fastify's in-process `inject` as a Caller. */
function injectCaller(app: FastifyInstance): Caller {
  return async ({ method, path, headers, body }) => {
    const res = await app.inject({
      method: method as 'GET',
      url: path,
      headers,
      ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : Buffer.from(body) }),
    });
    const out = new Headers();
    for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) out.set(name, String(value));
    return toResult(res.statusCode, out, res.body);
  };
}

const injected =
  (prefix: string): Mount =>
  async (h) => {
    const app = await hostApp(h, prefix);
    return { api: new ApiClient(injectCaller(app), `${prefix}/v1`), close: () => app.close() };
  };

describeRoutes('fastify inject, prefix /billing', injected('/billing'));
describeAuth('fastify inject, prefix /billing', injected('/billing'));
describeBadInput('fastify inject, prefix /billing', injected('/billing'));
describeOutages('fastify inject, prefix /billing', injected('/billing'));
describeRoutes('fastify inject, no prefix', injected(''));
describeGatewayRoutes('fastify inject, prefix /billing', injected('/billing'), { prefix: '/billing/v1' });

describe('fastify: living in a host app, over a real listen', () => {
  let h: HttpHarness;
  let app: FastifyInstance;
  let origin: string;
  beforeAll(async () => {
    h = await createHttpHarness({ webhooks: 'relay' });
    app = await hostApp(h, '/billing');
    origin = await app.listen({ port: 0, host: '127.0.0.1' });
    h.setWebhookTarget(`${origin}/billing/v1/payments/webhook`);
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  it("leaves the host's other routes alone, including JSON parsing and paths under the same prefix", async () => {
    await expectHostRoutesUntouched(origin);
  });

  it('full flow: create → pay at PhonePe → emulator webhook over HTTP to the plugin → subscription active', async () => {
    const { orderId, api } = await expectFullFlowOverHttp(h, origin, 'ws_fastify_flow');
    const back = await api.get(`/payments/callback?order_id=${orderId}`, { as: null });
    expect([back.status, back.headers.get('location')]).toEqual([
      302,
      `https://app.example.com/billing?payment_status=completed&order_id=${orderId}`,
    ]);
  });

  it('answers an oversized streamed body with the billing 413 over a real socket', async () => {
    const res = await fetch(`${origin}/billing/v1/payments/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(70 * 1024),
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});
