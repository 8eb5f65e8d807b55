import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/common/clock.js';
import { defaultEmulatorWebhookCredentials, PHONEPE_SANDBOX_ORIGIN, phonePeHandlers } from '../../src/testing/index.js';
import { checkoutSetupBody, newId, payBody, phonePeCaller } from './support/phonepe-caller.js';
import { startWebhookReceiver } from './support/webhook-receiver.js';

// The same emulator core, in-process through msw: no port for PhonePe, a real one for the merchant's webhook.
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let mocks: ReturnType<typeof phonePeHandlers>;
let server: ReturnType<typeof setupServer>;
const sandbox = {
  baseUrls: { pg: `${PHONEPE_SANDBOX_ORIGIN}/apis/pg-sandbox`, oauth: `${PHONEPE_SANDBOX_ORIGIN}/apis/pg-sandbox` },
};
const caller = phonePeCaller(sandbox);

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  mocks = phonePeHandlers({
    clock: createManualClock(Date.parse('2026-01-01T00:00:00Z')),
    webhook: { url: receiver.url },
  });
  server = setupServer(...mocks.handlers);
  server.listen({ onUnhandledRequest: 'error' });
});
afterEach(() => mocks.emulator.faults.clear());
afterAll(async () => {
  server.close();
  mocks.emulator.close();
  await receiver.close();
});

describe('phonePeHandlers (msw)', () => {
  it('intercepts PhonePe’s real sandbox host by default', () => {
    expect(mocks.emulator.url).toBe('https://api-preprod.phonepe.com');
    expect(mocks.emulator.baseUrls).toEqual(sandbox.baseUrls);
  });

  it('runs checkout end to end and delivers the webhook over the real network (bypassing msw)', async () => {
    const body = payBody();
    const created = await caller.post('/checkout/v2/pay', body);
    expect(created.status).toBe(200);
    expect(created.body.redirectUrl).toMatch(/^https:\/\/api-preprod\.phonepe\.com\/transact\/uat_v2\?token=/);
    await mocks.emulator.completeOrder(body.merchantOrderId);
    expect((await caller.get(`/checkout/v2/order/${body.merchantOrderId}/status`)).body.state).toBe('COMPLETED');
    const webhook = receiver.received.at(-1)!;
    expect(webhook.json).toMatchObject({
      event: 'checkout.order.completed',
      payload: { merchantOrderId: body.merchantOrderId },
    });
    expect(webhook.authorization).toMatch(/^[0-9a-f]{64}$/);
    expect(defaultEmulatorWebhookCredentials.username).toBeTruthy();
  });

  it('serves the hosted page and its buttons through msw too', async () => {
    const body = payBody();
    const { body: created } = await caller.post('/checkout/v2/pay', body);
    expect(await fetch(created.redirectUrl).then((r) => r.text())).toContain('₹2,999.00');
    const token = new URL(created.redirectUrl).searchParams.get('token')!;
    const pressed = await fetch(`${PHONEPE_SANDBOX_ORIGIN}/transact/uat_v2`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({ token, action: 'fail' }),
    });
    expect(pressed.status).toBe(302);
    expect(mocks.emulator.getOrder(body.merchantOrderId).state).toBe('FAILED');
  });

  it('runs autopay with the virtual clock: early redeem refused, redeem after 24 h', async () => {
    const setup = checkoutSetupBody();
    await caller.post('/checkout/v2/pay', setup);
    await mocks.emulator.completeOrder(setup.merchantOrderId);
    const merchantOrderId = newId('cycle');
    const subscriptionId = setup.paymentFlow.subscriptionDetails.merchantSubscriptionId;
    await caller.post('/checkout/v2/subscriptions/notify', {
      merchantOrderId,
      amount: 1_000,
      paymentFlow: { type: 'SUBSCRIPTION_CHECKOUT_REDEMPTION', merchantSubscriptionId: subscriptionId },
    });
    expect((await caller.post('/checkout/v2/subscriptions/redeem', { merchantOrderId })).body.code).toBe(
      'REDEMPTION_WINDOW_NOT_OPEN',
    );
    await mocks.emulator.advanceTime(24 * 3_600_000);
    expect((await caller.post('/checkout/v2/subscriptions/redeem', { merchantOrderId })).body.state).toBe('PENDING');
    await mocks.emulator.completeOrder(merchantOrderId);
    expect((await caller.get(`/checkout/v2/order/${merchantOrderId}/status`)).body.state).toBe('COMPLETED');
  });

  it('applies faults: a status, and a dropped connection as a network error', async () => {
    mocks.emulator.faults.add({ path: '/checkout/v2/pay', status: 503, times: 1 });
    expect((await caller.post('/checkout/v2/pay', payBody())).status).toBe(503);
    mocks.emulator.faults.add({ path: '/checkout/v2/pay', dropConnection: true, times: 1 });
    await expect(caller.post('/checkout/v2/pay', payBody())).rejects.toThrow(/fetch/i);
    expect((await caller.post('/checkout/v2/pay', payBody())).status).toBe(200);
  });

  it('serves the control routes under the intercepted origin', async () => {
    const state = await fetch(`${PHONEPE_SANDBOX_ORIGIN}/__emulator/state`).then((r) => r.json());
    expect(state.merchants[0].merchantId).toBe('PGTESTEMULATOR');
  });

  it('can intercept another origin', () => {
    const other = phonePeHandlers({ baseUrl: 'http://phonepe.local:9999/anything' });
    expect(other.emulator.baseUrls.pg).toBe('http://phonepe.local:9999/apis/pg-sandbox');
    other.emulator.close();
    expect(() => phonePeHandlers({ port: 1 } as never)).toThrow(/unknown option "port"/);
  });
});
