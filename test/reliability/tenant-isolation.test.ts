import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BillingAuth, type BillingRole, createBillingHandler } from '../../src/http/index.js';
import type { PaymentRecord, RefundRecord } from '../../src/storage/records.js';
import { ApiClient, handlerCaller, type HttpResult } from '../http/support/api-client.js';
import { BACKENDS, createHttpHarness, RETURN_URL, type HttpHarness } from '../http/support/http-harness.js';
import { payAndDeliver } from '../http/support/mounted-api.js';
import { storeSnapshot } from '../http/support/store-snapshot.js';
import { recordFigures } from './support/figures.js';
import { expectBooksMatchPhonePe, invariantChecks } from './support/invariants.js';

// Tenant isolation through the API: every read route and every mutation of one workspace, called by a
// member of the other with the other's ids (order ids, transaction ids, PhonePe order ids, refund ids)
// or the other's X-Tenant-ID, answers 403/404 and changes nothing in either workspace or at PhonePe.
// The same boundary one level down — SQL run as the app's own database role cannot read or write
// another workspace's rows, nor switch system mode on — is proven in
// test/storage/kysely/postgres-row-level-security.test.ts; this file does not repeat it.

/** Two tenants of one host app, each user a member (owner) of exactly one workspace. */
const MEMBERS: Record<string, Record<string, BillingRole>> = {
  alice: { ws_alpha: 'owner' },
  bob: { ws_beta: 'owner' },
};
const auth: BillingAuth = {
  authenticate: (request) => {
    const token = /^Bearer (\w+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
    return token && MEMBERS[token] ? { userId: token } : null;
  },
  getRole: (userId, workspaceId) => MEMBERS[userId]?.[workspaceId] ?? null,
};
const TENANTS = [
  { user: 'alice', ws: 'ws_alpha' },
  { user: 'bob', ws: 'ws_beta' },
] as const;

type Route = { method: 'GET' | 'POST' | 'PUT'; path: (id: string) => string; json?: unknown; takesId: boolean };
const ROUTES: Route[] = [
  { method: 'GET', path: (id) => `/payments/status/${id}`, takesId: true },
  {
    method: 'POST',
    path: (id) => `/payments/${id}/refund`,
    json: { amount: '1.00', reason: 'cross-tenant' },
    takesId: true,
  },
  { method: 'POST', path: (id) => `/payments/${id}/refund`, json: {}, takesId: true }, // the full remaining amount
  {
    method: 'POST',
    path: () => '/payments/create',
    json: { plan_id: 'pro', amount: '2999.00', return_url: RETURN_URL },
    takesId: false,
  },
  { method: 'GET', path: () => '/subscriptions', takesId: false },
  { method: 'GET', path: () => '/subscriptions/usage', takesId: false },
  {
    method: 'PUT',
    path: () => '/subscriptions/cancel',
    json: { cancellation_reason: 'cross-tenant', at_period_end: false },
    takesId: false,
  },
  { method: 'POST', path: () => '/subscriptions/resume', takesId: false },
  {
    method: 'POST',
    path: () => '/subscriptions/change-plan',
    json: { plan_id: 'starter', force: true },
    takesId: false,
  },
  {
    method: 'POST',
    path: () => '/subscriptions/change-plan',
    json: { plan_id: 'enterprise', return_url: RETURN_URL },
    takesId: false,
  },
];

interface Tenant {
  user: string;
  ws: string;
  paid: PaymentRecord;
  open: PaymentRecord;
  refund: RefundRecord;
}

const backends: Record<string, unknown> = {};

describe.each(BACKENDS)('tenant isolation through the API (%s)', (backend) => {
  let h: HttpHarness;
  let api: ApiClient;
  const tenants: Tenant[] = [];

  const as = (user: string, method: string, path: string, tenant: string, json?: unknown): Promise<HttpResult> =>
    api.send(method, path, {
      as: null,
      tenant,
      headers: { authorization: `Bearer ${user}` },
      ...(json === undefined ? {} : { json }),
    });

  beforeAll(async () => {
    h = await createHttpHarness({ backend });
    api = new ApiClient(handlerCaller(createBillingHandler(h.options({ auth, roles: { refund: ['owner'] } }))), '/v1');
    for (const { user, ws } of TENANTS) {
      const open = await as(user, 'POST', '/payments/create', ws, {
        plan_id: 'starter',
        amount: '999.00',
        return_url: RETURN_URL,
      });
      const paid = await as(user, 'POST', '/payments/create', ws, {
        plan_id: 'pro',
        amount: '2999.00',
        return_url: RETURN_URL,
      });
      expect([open.status, paid.status]).toEqual([200, 200]);
      expect((await payAndDeliver(h, api, paid.json.order_id)).status).toBe(200);
      const refunded = await as(user, 'POST', `/payments/${paid.json.order_id}/refund`, ws, { amount: '100.00' });
      expect(refunded.status, refunded.text).toBe(200);
      const payments = await h.store.transaction({ workspaceId: ws }, (tx) =>
        tx.payments.listByWorkspace(ws, { limit: 10 }),
      );
      const paidRow = payments.find((p) => p.merchantOrderId === paid.json.order_id)!;
      const [refund] = await h.store.transaction({ workspaceId: ws }, (tx) => tx.refunds.listByPayment(paidRow.id));
      tenants.push({
        user,
        ws,
        paid: paidRow,
        open: payments.find((p) => p.merchantOrderId === open.json.order_id)!,
        refund: refund!,
      });
    }
  });
  afterAll(async () => {
    await h?.close();
  });

  it("a member of one workspace gets 404 for the other's ids and 403 for the other's workspace, on every route; nothing changes", async () => {
    const before = await storeSnapshot(
      h.store,
      TENANTS.map((t) => t.ws),
    );
    const phonePeBefore = JSON.stringify(ledger(h));
    const answers: Record<string, number> = {};
    let calls = 0;
    for (const attacker of tenants) {
      const victim = tenants.find((t) => t !== attacker)!;
      const victimIds = [
        victim.paid.merchantOrderId,
        victim.open.merchantOrderId,
        victim.paid.id,
        victim.paid.phonepeOrderId!,
        victim.refund.merchantRefundId,
      ];
      for (const route of ROUTES) {
        // The other workspace's ids, in the attacker's own workspace: as if they did not exist.
        for (const id of route.takesId ? victimIds : []) {
          const res = await as(attacker.user, route.method, route.path(id), attacker.ws, route.json);
          calls += 1;
          answers[`${res.status} ${res.json?.error?.code}`] =
            (answers[`${res.status} ${res.json?.error?.code}`] ?? 0) + 1;
          expect([route.method, route.path(id), res.status, res.json?.error?.code]).toEqual([
            route.method,
            route.path(id),
            404,
            'PAYMENT_NOT_FOUND',
          ]);
          expect(res.text, 'the answer names nothing of the other workspace').not.toContain(victim.ws);
        }
        // The other workspace itself (its X-Tenant-ID), with its own ids: not a member.
        for (const id of route.takesId ? victimIds : ['-']) {
          const res = await as(attacker.user, route.method, route.path(id), victim.ws, route.json);
          calls += 1;
          answers[`${res.status} ${res.json?.error?.code}`] =
            (answers[`${res.status} ${res.json?.error?.code}`] ?? 0) + 1;
          expect([route.method, route.path(id), res.status, res.json?.error?.code]).toEqual([
            route.method,
            route.path(id),
            403,
            'FORBIDDEN',
          ]);
        }
      }
    }
    expect(
      await storeSnapshot(
        h.store,
        TENANTS.map((t) => t.ws),
      ),
      'neither workspace changed',
    ).toEqual(before);
    expect(JSON.stringify(ledger(h)), 'nothing happened at PhonePe').toBe(phonePeBefore);
    await expectBooksMatchPhonePe(
      { store: h.store, emu: h.emu },
      TENANTS.map((t) => t.ws),
    );
    backends[backend] = { crossTenantRequests: calls, answers };
  });

  it('each owner still reaches their own workspace with the same routes (the refusals above are about tenancy, not the routes)', async () => {
    for (const tenant of tenants) {
      const status = await as(tenant.user, 'GET', `/payments/status/${tenant.paid.merchantOrderId}`, tenant.ws);
      expect(status.status).toBe(200);
      expect(status.json.payment.order_id).toBe(tenant.paid.merchantOrderId);
      const subscription = await as(tenant.user, 'GET', '/subscriptions', tenant.ws);
      expect(subscription.json.data.subscription.status).toBe('active');
    }
  });
});

afterAll(() => recordFigures('tenant-isolation', { backends, invariantChecksPassed: invariantChecks.passed }));

/** PhonePe's side: every order, refund and mandate with its state (what a cross-tenant call could have changed). */
function ledger(h: HttpHarness): unknown {
  const state = h.emu.state() as {
    orders: Array<{ merchantOrderId: string; state: string }>;
    refunds: Array<{ merchantRefundId: string; state: string; amount: number }>;
    subscriptions: Array<{ merchantSubscriptionId: string; state: string }>;
  };
  return {
    orders: state.orders.map((o) => [o.merchantOrderId, o.state]),
    refunds: state.refunds.map((r) => [r.merchantRefundId, r.state, r.amount]),
    mandates: state.subscriptions.map((s) => [s.merchantSubscriptionId, s.state]),
  };
}
