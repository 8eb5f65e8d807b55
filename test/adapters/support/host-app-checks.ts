import { expect } from 'vitest';
import { ApiClient, fetchCaller } from '../../http/support/api-client.js';
import type { HttpHarness } from '../../http/support/http-harness.js';
import { createPayment } from '../../http/support/mounted-api.js';

/**
 * The host app every adapter test builds (`GET /health`, `POST /echo` with the framework's JSON parsing,
 * `GET /billing/about`, billing mounted at `/billing`) still answers its own routes, and nothing of the
 * billing API leaks outside its prefix.
 */
export async function expectHostRoutesUntouched(origin: string): Promise<void> {
  expect(await (await fetch(`${origin}/health`)).json()).toEqual({ ok: true });
  const echo = await fetch(`${origin}/echo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"a": 1}',
  });
  expect(await echo.json()).toEqual({ echoed: { a: 1 } });
  expect(await (await fetch(`${origin}/billing/about`)).text()).toBe('host page');
  expect((await fetch(`${origin}/v1/plans`)).status).toBe(404);
}

/**
 * A payment created through the mounted API at `origin`, paid at the emulator, whose webhook the emulator
 * delivers over real HTTP to the mounted route (answered 200 at the first attempt), ends with the
 * workspace's subscription active. Returns the order id and the API client for further checks.
 */
export async function expectFullFlowOverHttp(
  h: HttpHarness,
  origin: string,
  workspaceId: string,
): Promise<{ orderId: string; api: ApiClient }> {
  const api = new ApiClient(fetchCaller(origin), '/billing/v1');
  const created = await createPayment(api, workspaceId);
  await h.emu.completeOrder(created.json.order_id);
  await h.emu.webhooks.idle();
  const delivery = h.emu.webhooks.deliveries.find(
    (d) => d.body.includes(created.json.order_id) && d.event === 'checkout.order.completed',
  );
  expect(delivery?.attempts.map((a) => a.status)).toEqual([200]);
  expect((await api.get('/subscriptions', { tenant: workspaceId, as: 'member' })).json.data.subscription).toMatchObject(
    { plan_id: 'pro', status: 'active' },
  );
  return { orderId: created.json.order_id as string, api };
}
