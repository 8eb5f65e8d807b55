import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBillingHandler, type BillingHandlerOptions } from '../../src/http/index.js';
import { StoreUnavailableError } from '../../src/storage/errors.js';
import { ApiClient, handlerCaller } from './support/api-client.js';
import { createHttpHarness, recordingLogger, RETURN_URL, type HttpHarness } from './support/http-harness.js';
import { createPayment } from './support/mounted-api.js';
import { storeSnapshot } from './support/store-snapshot.js';
import { testAuth } from './support/test-auth.js';

describe('the bare handler: base paths, roles, limits, errors', () => {
  let h: HttpHarness;
  beforeAll(async () => {
    h = await createHttpHarness({
      config: { redirectAllowlist: ['https://app.example.com', 'https://shop.example.com'] },
    });
  });
  afterAll(async () => {
    await h?.close();
  });
  const api = (overrides: Partial<BillingHandlerOptions> = {}, prefix = '/v1') =>
    new ApiClient(handlerCaller(createBillingHandler(h.options(overrides))), prefix);

  it('matches the full path: a prefix goes into basePath, "/" is the root, other paths are 404', async () => {
    const prefixed = api({ basePath: '/billing/v1' }, '');
    expect((await prefixed.get('/billing/v1/plans', { as: null })).status).toBe(200);
    expect((await prefixed.get('/billing/v1/plans/', { as: null })).status).toBe(200);
    const outside = await prefixed.get('/v1/plans', { as: null });
    expect([outside.status, outside.json.error.code]).toEqual([404, 'NOT_FOUND']);
    expect((await prefixed.get('/billing/v1x/plans', { as: null })).status).toBe(404);
    const broken = await api().get('/payments/status/%ZZ', { tenant: 'ws_x' });
    expect([broken.status, broken.json.error.code]).toEqual([400, 'INVALID_INPUT']);
    const root = api({ basePath: '/' }, '');
    expect((await root.get('/plans', { as: null })).status).toBe(200);
    expect((await root.get('/v1/plans', { as: null })).status).toBe(404);
  });

  it('applies configured roles: admins may manage, members may not read', async () => {
    const custom = api({ roles: { manage: ['owner', 'admin'], read: ['owner', 'admin'] } });
    const cancelled = await custom.put('/subscriptions/cancel', { as: 'admin', tenant: 'ws_roles' });
    expect([cancelled.status, cancelled.json.error?.code]).toEqual([404, 'SUBSCRIPTION_NOT_FOUND']);
    const read = await custom.get('/subscriptions', { as: 'member', tenant: 'ws_roles' });
    expect([read.status, read.json.error.code, read.json.error.details]).toEqual([
      403,
      'FORBIDDEN',
      { role: 'member', required: ['owner', 'admin'] },
    ]);
  });

  it('counts a streamed body and stops reading at the limit, whatever Content-Length says', async () => {
    const handler = createBillingHandler(h.options({ maxBodyBytes: 2048 }));
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        if (pulled > 100) controller.close();
        else controller.enqueue(new TextEncoder().encode(' '.repeat(512)));
      },
    });
    const request = new Request('http://billing.test/v1/payments/create', {
      method: 'POST',
      body: stream,
      duplex: 'half',
      headers: {
        'content-type': 'application/json',
        'content-length': '10',
        authorization: 'Bearer u_owner',
        'x-tenant-id': 'ws_stream',
      },
    } as RequestInit);
    const res = await handler(request);
    expect(res.status).toBe(413);
    expect((await res.json()).error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { limit_bytes: 2048 } });
    expect(pulled).toBeLessThan(10);
  });

  it("applies its own redirectAllowlist on top of the manager's, at create and before redirecting", async () => {
    const strict = api({ redirectAllowlist: ['https://shop.example.com'] });
    const before = await storeSnapshot(h.store, ['ws_allow']);
    const refused = await strict.post('/payments/create', {
      tenant: 'ws_allow',
      json: { plan_id: 'pro', amount: '2999.00', return_url: RETURN_URL },
    });
    expect([refused.status, refused.json.error.code]).toEqual([400, 'RETURN_URL_NOT_ALLOWED']);
    expect(await storeSnapshot(h.store, ['ws_allow'])).toEqual(before);
    expect(
      (await createPayment(strict, 'ws_allow', 'pro', '2999.00', { return_url: 'https://shop.example.com/done' })).json
        .order_id,
    ).toBeTruthy();
    // A payment created elsewhere with a URL only the manager allows: the handler will not redirect to it.
    const session = await h.billing.createCheckout({
      workspaceId: 'ws_allow2',
      planId: 'pro',
      amount: 299_900,
      returnUrl: RETURN_URL,
    });
    const res = await strict.get(`/payments/callback?order_id=${session.orderId}`, { as: null });
    expect([res.status, res.json.error.code, res.headers.get('location')]).toEqual([404, 'NOT_FOUND', null]);
    expect((await api().get(`/payments/callback?order_id=${session.orderId}`, { as: null })).status).toBe(302);
  });

  it('answers 500 INTERNAL_ERROR for an unexpected failure, logs it with its stack, and sends no stack', async () => {
    const logger = recordingLogger();
    const broken = api({
      logger,
      auth: { ...testAuth, getRole: () => Promise.reject(new Error('role service exploded')) },
    });
    const res = await broken.get('/subscriptions', { tenant: 'ws_boom' });
    expect([res.status, res.json.error.code]).toEqual([500, 'INTERNAL_ERROR']);
    expect(res.text).not.toContain('exploded');
    expect(res.text).not.toContain('.ts:');
    const logged = logger.entries.find((e) => e.level === 'error');
    expect(logged?.obj).toMatchObject({
      method: 'GET',
      path: '/v1/subscriptions',
      err: { message: 'role service exploded', stack: expect.stringContaining('Error') },
    });
    const down = api({ auth: { ...testAuth, getRole: () => Promise.reject(new StoreUnavailableError('db down')) } });
    expect((await down.get('/subscriptions', { tenant: 'ws_boom' })).status).toBe(503);
  });

  it('refuses an authenticate that returns a malformed identity as a server error', async () => {
    const bad = api({ auth: { ...testAuth, authenticate: () => ({ userId: 42 }) as never } });
    expect((await bad.get('/subscriptions', { tenant: 'ws_x' })).status).toBe(500);
  });
});
