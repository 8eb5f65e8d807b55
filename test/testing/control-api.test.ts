import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSetupBody, newId, payBody, phonePeCaller, read } from './support/phonepe-caller.js';
import { startEmulatorWithReceiver, type EmulatorWithReceiver } from './support/emulator-with-receiver.js';

const START = Date.parse('2026-01-01T00:00:00Z');
let setup: EmulatorWithReceiver;
let emu: EmulatorWithReceiver['emu'];
let receiver: EmulatorWithReceiver['receiver'];
let caller: EmulatorWithReceiver['caller'];

beforeAll(async () => {
  setup = await startEmulatorWithReceiver(START);
  ({ emu, receiver, caller } = setup);
});
afterAll(() => setup.close());

/** Calls a control route the way a person with curl would. */
const control = (method: string, path: string, body?: unknown) =>
  fetch(`${emu.url}/__emulator${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).then(read);

async function newOrder(): Promise<string> {
  const body = payBody();
  await caller.post('/checkout/v2/pay', body);
  return body.merchantOrderId;
}

describe('/__emulator control routes', () => {
  it('GET /time and POST /time/advance move the virtual clock', async () => {
    expect((await control('GET', '/time')).body).toEqual({ now: START });
    expect((await control('POST', '/time/advance', { ms: 1_000 })).body).toEqual({ now: START + 1_000 });
    expect(emu.now()).toBe(START + 1_000);
    expect((await control('POST', '/time/advance', { ms: -1 })).status).toBe(400);
    expect((await control('POST', '/time/advance', { ms: 1, extra: true })).status).toBe(400);
  });

  it('orders: GET, complete, fail-attempt, fail', async () => {
    const paid = await newOrder();
    const seen = await control('GET', `/orders/${paid}`);
    expect(seen.body).toMatchObject({
      merchantOrderId: paid,
      state: 'PENDING',
      kind: 'CHECKOUT',
      hostedPageUrl: expect.stringContaining('/transact/uat_v2?token='),
    });
    const completed = await control('POST', `/orders/${paid}/complete`, { paymentMode: 'NET_BANKING' });
    expect(completed.body).toMatchObject({ state: 'COMPLETED', paymentDetails: [{ paymentMode: 'NET_BANKING' }] });
    expect((await control('POST', `/orders/${paid}/complete`)).status).toBe(409);

    const failed = await newOrder();
    await control('POST', `/orders/${failed}/fail-attempt`, { errorCode: 'INVALID_MPIN' });
    const result = await control('POST', `/orders/${failed}/fail`, {
      errorCode: 'PAYMENT_ERROR',
      detailedErrorCode: 'XC',
    });
    expect(result.body).toMatchObject({ state: 'FAILED', errorCode: 'PAYMENT_ERROR', detailedErrorCode: 'XC' });
    expect(result.body.paymentDetails).toHaveLength(2);
    expect((await control('POST', '/orders/nope/complete')).body).toMatchObject({ code: 'NOT_FOUND' });
    expect((await control('POST', `/orders/${failed}/complete`, { paymentMode: 'CASH' })).status).toBe(400);
  });

  it('outcome: POST /outcome changes what happens to new orders', async () => {
    expect((await control('POST', '/outcome', { outcome: 'failure' })).status).toBe(200);
    const id = await newOrder();
    expect((await control('GET', `/orders/${id}`)).body.state).toBe('FAILED');
    await control('POST', '/outcome', { outcome: 'manual' });
    expect((await control('POST', '/outcome', { outcome: 'sometimes' })).status).toBe(400);
    expect((await control('POST', '/outcome', { outcome: 'success', merchantId: 'NOBODY' })).status).toBe(404);
  });

  it('refunds: GET, complete, fail', async () => {
    const id = await newOrder();
    await emu.completeOrder(id);
    const first = newId('ref');
    await caller.post('/payments/v2/refund', { merchantRefundId: first, originalMerchantOrderId: id, amount: 1_000 });
    expect((await control('GET', `/refunds/${first}`)).body.state).toBe('PENDING');
    expect((await control('POST', `/refunds/${first}/complete`)).body.state).toBe('COMPLETED');
    const second = newId('ref');
    await caller.post('/payments/v2/refund', { merchantRefundId: second, originalMerchantOrderId: id, amount: 1_000 });
    expect((await control('POST', `/refunds/${second}/fail`, { errorCode: 'REFUND_FAILED' })).body.state).toBe(
      'FAILED',
    );
  });

  it('customer: pause, unpause, revoke; GET /subscriptions/:id', async () => {
    const body = apiSetupBody();
    await caller.post('/subscriptions/v2/setup', body);
    await control('POST', `/orders/${body.merchantOrderId}/complete`);
    const id = body.paymentFlow.merchantSubscriptionId as string;
    expect((await control('POST', `/customer/${id}/pause`, { until: emu.now() + 60_000 })).body).toMatchObject({
      state: 'PAUSED',
      pauseEndDate: emu.now() + 60_000,
    });
    expect((await control('POST', `/customer/${id}/unpause`)).body.state).toBe('ACTIVE');
    expect((await control('POST', `/customer/${id}/revoke`)).body.state).toBe('REVOKED');
    expect((await control('GET', `/subscriptions/${id}`)).body.state).toBe('REVOKED');
    expect((await control('POST', `/customer/${id}/pause`)).body.code).toBe('INVALID_SUBSCRIPTION_STATE');
  });

  it('webhooks: list, duplicate-next, hold, release, resend, clear', async () => {
    await control('DELETE', '/webhooks');
    expect((await control('GET', '/webhooks')).body).toEqual([]);
    await control('POST', '/webhooks/duplicate-next', { count: 1 });
    await emu.completeOrder(await newOrder());
    expect((await control('GET', '/webhooks')).body).toHaveLength(2);
    await control('POST', '/webhooks/hold');
    const a = await newOrder();
    const b = await newOrder();
    await control('POST', `/orders/${a}/complete`);
    await control('POST', `/orders/${b}/complete`);
    const before = receiver.received.length;
    const released = await control('POST', '/webhooks/release', { order: 'reverse' });
    expect(released.body.map((d: { payload: { merchantOrderId: string } }) => d.payload.merchantOrderId)).toEqual([
      b,
      a,
    ]);
    expect(receiver.received.slice(before).map((w) => w.json.payload.merchantOrderId)).toEqual([b, a]);
    const resent = await control('POST', `/webhooks/${released.body[0].id}/resend`);
    expect(resent.body).toMatchObject({ resendOf: released.body[0].id, status: 'delivered' });
    expect((await control('POST', '/webhooks/wh_0/resend')).status).toBe(404);
  });

  it('faults: add (glob or regex), list, remove, clear', async () => {
    const added = await control('POST', '/faults', {
      method: 'GET',
      path: '/checkout/v2/order/*/status',
      status: 500,
      times: 1,
    });
    expect(added.body).toMatchObject({ id: expect.any(String), path: '/checkout/v2/order/*/status', status: 500 });
    expect((await caller.get('/checkout/v2/order/x/status')).status).toBe(500);
    const regex = await control('POST', '/faults', { pathRegex: 'refund/.+/status$', status: 503 });
    expect((await control('GET', '/faults')).body).toEqual([
      expect.objectContaining({ id: regex.body.id, path: '/refund\\/.+\\/status$/' }),
    ]);
    expect((await caller.get('/payments/v2/refund/r/status')).status).toBe(503);
    expect((await control('DELETE', `/faults/${regex.body.id}`)).body).toEqual({ removed: true });
    await control('POST', '/faults', { path: '/x', status: 500 });
    await control('DELETE', '/faults');
    expect((await control('GET', '/faults')).body).toEqual([]);
    expect((await control('POST', '/faults', { status: 500 })).status).toBe(400);
    expect((await control('POST', '/faults', { pathRegex: '(' })).status).toBe(400);
  });

  it('GET /state shows everything except client secrets; POST /reset clears it', async () => {
    await newOrder();
    const state = (await control('GET', '/state')).body;
    expect(state).toMatchObject({
      now: emu.now(),
      outcome: 'manual',
      merchants: [{ merchantId: 'PGTESTEMULATOR', webhookUrl: receiver.url }],
    });
    expect(state.orders.length).toBeGreaterThan(0);
    expect(JSON.stringify(state)).not.toContain('emulator-test-client-secret');
    expect((await control('POST', '/reset')).status).toBe(200);
    const empty = (await control('GET', '/state')).body;
    expect([empty.orders, empty.subscriptions, empty.refunds, empty.webhooks]).toEqual([[], [], [], []]);
    // Tokens were forgotten too.
    caller.forgetToken();
    expect((await caller.post('/checkout/v2/pay', payBody())).status).toBe(200);
  });

  it('answers unknown control routes with 404 JSON', async () => {
    const result = await control('GET', '/nothing-here');
    expect(result.status).toBe(404);
    expect(result.body.code).toBe('NOT_FOUND');
  });
});
