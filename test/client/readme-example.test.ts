// The README's PhonePeClient example, run against msw standing in for PhonePe's sandbox.
import { HttpResponse } from 'msw';
import { expect, it } from 'vitest';
import { isPhonePeOutcomeUnknownError, PhonePeClient } from '../../src/index.js';
import { capture, orderStatusBody, SANDBOX, tokenBody, useMswServer } from './support/fake-phonepe.js';

const server = useMswServer();

it('the README example works as written', async () => {
  server.use(
    capture('post', `${SANDBOX}/v1/oauth/token`, () => HttpResponse.json(tokenBody('t', Date.now(), 3600))).handler,
    capture('post', `${SANDBOX}/checkout/v2/pay`, () => HttpResponse.json({ orderId: 'OMO1', state: 'PENDING', redirectUrl: 'https://mercury-uat.phonepe.com/transact/uat_v2?token=x' })).handler,
    capture('get', `${SANDBOX}/checkout/v2/order/order_2026_0001/status`, () => HttpResponse.json(orderStatusBody({ merchantOrderId: 'order_2026_0001', state: 'COMPLETED' }))).handler,
  );
  const env = { PHONEPE_CLIENT_ID: 'M_UAT', PHONEPE_CLIENT_SECRET: 's', PHONEPE_CLIENT_VERSION: '1' };
  const fulfilled: string[] = [];

  // --- README ---
  const phonepe = new PhonePeClient({
    clientId: env.PHONEPE_CLIENT_ID,
    clientSecret: env.PHONEPE_CLIENT_SECRET,
    clientVersion: env.PHONEPE_CLIENT_VERSION,
    env: 'SANDBOX',
  });

  let paymentUrl: string;
  try {
    const order = await phonepe.pay({
      merchantOrderId: 'order_2026_0001',
      amount: 299900, // paise: ₹2,999.00
      paymentFlow: { type: 'PG_CHECKOUT', merchantUrls: { redirectUrl: 'https://app.example.com/billing/return?order=order_2026_0001' } },
    });
    paymentUrl = order.redirectUrl; // unmodified, opened with PhonePe's checkout.js: PhonePeCheckout.transact({ tokenUrl })
  } catch (error) {
    if (isPhonePeOutcomeUnknownError(error) && error.created === false) throw new Error('retry with the same merchantOrderId');
    throw error;
  }

  // Back on your return URL (or from a webhook): ask PhonePe, never trust the redirect alone.
  const status = await phonepe.getOrderStatus('order_2026_0001');
  if (status.state === 'COMPLETED') fulfilled.push('order_2026_0001');
  // --- end README ---

  expect(paymentUrl).toMatch(/^https:\/\/mercury-uat/);
  expect(fulfilled).toEqual(['order_2026_0001']);
});
