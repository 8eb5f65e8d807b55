import { describe, expect, it } from 'vitest';
import type { ApiClient, SendOptions } from '../api-client.js';
import { RETURN_URL } from '../http-harness.js';
import { createPayment, subscribe, useMountedApi, type Mount } from '../mounted-api.js';
import { storeSnapshot } from '../store-snapshot.js';

type Route = { method: 'GET' | 'POST' | 'PUT'; path: (orderId: string) => string; json?: unknown; manage: boolean };

const ROUTES: Route[] = [
  {
    method: 'POST',
    path: () => '/payments/create',
    json: { plan_id: 'pro', amount: '2999.00', return_url: RETURN_URL },
    manage: true,
  },
  { method: 'GET', path: (id) => `/payments/status/${id}`, manage: false },
  { method: 'POST', path: (id) => `/payments/${id}/refund`, json: { amount: '1.00' }, manage: true },
  { method: 'GET', path: () => '/subscriptions', manage: false },
  { method: 'PUT', path: () => '/subscriptions/cancel', json: { cancellation_reason: 'no' }, manage: true },
  { method: 'POST', path: () => '/subscriptions/change-plan', json: { plan_id: 'starter' }, manage: true },
  { method: 'POST', path: () => '/subscriptions/resume', manage: true },
  { method: 'GET', path: () => '/subscriptions/usage', manage: false },
];

const send = (api: ApiClient, route: Route, orderId: string, options: SendOptions) =>
  api.send(route.method, route.path(orderId), {
    ...(route.json === undefined ? {} : { json: route.json }),
    ...options,
  });

/** Identity (401), workspace header (400), membership and role (403) on every member route. */
export function describeAuth(label: string, mount: Mount): void {
  describe(`${label}: authentication and roles`, () => {
    const ctx = useMountedApi(mount);
    const WS = 'ws_auth';
    let orderId = '';

    it('sets up a paid workspace', async () => {
      orderId = await subscribe(ctx.h, ctx.api, WS);
    });

    it('answers 401 without an identity, or when authenticate throws, on every member route; nothing is written', async () => {
      const before = await storeSnapshot(ctx.h.store, [WS]);
      for (const route of ROUTES) {
        const none = await send(ctx.api, route, orderId, { as: null, tenant: WS });
        expect([route.path(orderId), none.status, none.json?.error?.code]).toEqual([
          route.path(orderId),
          401,
          'UNAUTHENTICATED',
        ]);
        const thrown = await send(ctx.api, route, orderId, {
          as: null,
          tenant: WS,
          headers: { authorization: 'Bearer throw' },
        });
        expect(thrown.status).toBe(401);
      }
      expect(await storeSnapshot(ctx.h.store, [WS])).toEqual(before);
      expect(ctx.h.logger.entries.some((e) => JSON.stringify(e).includes('Bearer'))).toBe(false);
    });

    it('answers 400 INVALID_TENANT without a well-formed X-Tenant-ID', async () => {
      for (const tenant of [null, 'ws 1', 'ws/1', 'x'.repeat(129), 'ws_a,ws_b']) {
        const res = await ctx.api.get('/subscriptions', { tenant });
        expect([tenant, res.status, res.json.error.code]).toEqual([tenant, 400, 'INVALID_TENANT']);
      }
    });

    it('answers 403 for a workspace the caller does not belong to, and for a stranger', async () => {
      const foreign = await ctx.api.get('/subscriptions', { tenant: 'foreign_ws' });
      expect(foreign.status).toBe(403);
      expect(foreign.json.error.code).toBe('FORBIDDEN');
      const stranger = await ctx.api.get('/subscriptions', { as: 'stranger', tenant: WS });
      expect(stranger.status).toBe(403);
    });

    it('lets members and admins read but not change billing (default roles)', async () => {
      const before = await storeSnapshot(ctx.h.store, [WS]);
      for (const as of ['member', 'admin'] as const) {
        for (const route of ROUTES) {
          const res = await send(ctx.api, route, orderId, { as, tenant: WS });
          if (route.manage)
            expect([as, route.path(orderId), res.status, res.json.error.code]).toEqual([
              as,
              route.path(orderId),
              403,
              'FORBIDDEN',
            ]);
          else expect([as, route.path(orderId), res.status]).toEqual([as, route.path(orderId), 200]);
        }
      }
      expect(await storeSnapshot(ctx.h.store, [WS])).toEqual(before);
    });

    it("scopes orders to the tenant: another workspace's order is 404 for status and refund", async () => {
      const { json: other } = await createPayment(ctx.api, 'ws_auth_other');
      const status = await ctx.api.get(`/payments/status/${other.order_id}`, { tenant: WS });
      expect(status.status).toBe(404);
      expect(status.json.error.code).toBe('PAYMENT_NOT_FOUND');
      const refund = await ctx.api.post(`/payments/${orderId}/refund`, {
        tenant: 'ws_auth_other',
        json: { amount: '1.00' },
      });
      expect(refund.status).toBe(404);
      expect(refund.json.error.code).toBe('PAYMENT_NOT_FOUND');
    });
  });
}
