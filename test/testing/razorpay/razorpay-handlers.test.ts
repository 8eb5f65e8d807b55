import { createHmac } from 'node:crypto';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RAZORPAY_API_ORIGIN, razorpayHandlers } from '../../../src/testing/index.js';
import { razorpayCaller, startRazorpayReceiver } from './support/razorpay-caller.js';

// The Razorpay emulator in-process through msw, on Razorpay's own host: no port for Razorpay, a real
// one for the merchant's webhook endpoint.
let receiver: Awaited<ReturnType<typeof startRazorpayReceiver>>;
let mocks: ReturnType<typeof razorpayHandlers>;
let server: ReturnType<typeof setupServer>;

beforeAll(async () => {
  receiver = await startRazorpayReceiver();
  mocks = razorpayHandlers({ webhook: { url: receiver.url } });
  server = setupServer(...mocks.handlers);
  server.listen({ onUnhandledRequest: 'bypass' });
});
afterAll(async () => {
  server.close();
  mocks.emulator.close();
  await receiver.close();
});

describe('razorpayHandlers (msw)', () => {
  it('answers on https://api.razorpay.com/v1 and sends signed webhooks over the real network', async () => {
    expect(mocks.emulator.baseUrl).toBe(`${RAZORPAY_API_ORIGIN}/v1`);
    const api = razorpayCaller(mocks.emulator, mocks.emulator.credentials);
    const order = await api.post('/orders', { amount: 12_345, currency: 'INR', receipt: 'msw_1' });
    expect(order.status).toBe(200);
    expect((await api.get(`/orders/${order.body.id}`)).body.amount).toBe(12_345);
    expect((await api.get('/orders', 'Basic bm9wZTpub3Bl')).status).toBe(401);
    const paid = await api.control('POST', `/orders/${order.body.id}/pay`);
    expect(paid.body.razorpay_order_id).toBe(order.body.id);
    await receiver.waitFor(3);
    const first = receiver.received[0]!;
    expect(first.signature).toBe(
      createHmac('sha256', mocks.emulator.credentials.webhookSecret).update(first.body).digest('hex'),
    );
    expect(receiver.events()).toEqual(['payment.authorized', 'payment.captured', 'order.paid']);
  });

  it('refuses server-only options', () => {
    expect(() => razorpayHandlers({ port: 1 } as never)).toThrow(/port/);
  });
});
