import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RazorpayEmulator, startRazorpayEmulator } from '../../../src/testing/index.js';
import { type HeadlessChromium, launchHeadlessChromium } from '../../support/headless-chromium.js';
import { chromiumPath, requireDependency } from '../../support/environment.js';
import { razorpayCaller, startRazorpayReceiver } from './support/razorpay-caller.js';

const hasChromium = requireDependency(chromiumPath, 'chromium', 'apt-get install chromium');

// The merchant's own page: loads checkout.js from the emulator and opens it for ?order=… on a click.
function merchantPage(scriptUrl: string, keyId: string, orderId: string, extra: Record<string, string>): string {
  return `<!doctype html><html><head><script src="${scriptUrl}"></script></head><body>
<button id="buy">Buy</button><pre id="out"></pre>
<script>
  window.results = { success: null, failures: [], dismissed: 0 };
  document.getElementById('buy').onclick = function () {
    var rzp = new Razorpay({
      key: ${JSON.stringify(keyId)},
      order_id: ${JSON.stringify(orderId)},
      name: 'Acme SaaS',
      ...${JSON.stringify(extra)},
      handler: function (response) { window.results.success = response; },
      modal: { ondismiss: function () { window.results.dismissed += 1; } },
    });
    rzp.on('payment.failed', function (response) { window.results.failures.push(response); });
    rzp.open();
  };
</script></body></html>`;
}

describe.skipIf(!hasChromium)('Razorpay checkout stand-in in headless chromium', () => {
  let emu: RazorpayEmulator;
  let receiver: Awaited<ReturnType<typeof startRazorpayReceiver>>;
  let merchant: http.Server;
  let merchantUrl: string;
  let browser: BrowserContext;
  let chromiumRun: HeadlessChromium | undefined;
  let api: ReturnType<typeof razorpayCaller>;

  beforeAll(async () => {
    receiver = await startRazorpayReceiver();
    emu = await startRazorpayEmulator({ webhook: { url: receiver.url } });
    api = razorpayCaller(emu, emu.credentials);
    merchant = http.createServer((req, res) => {
      const query = new URL(req.url ?? '/', 'http://x').searchParams;
      const orderId = query.get('order') ?? '';
      const extra = Object.fromEntries([...query].filter(([k]) => k === 'customer_id' || k === 'recurring'));
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(merchantPage(emu.checkoutScriptUrl, emu.credentials.keyId, orderId, extra));
    });
    merchant.listen(0, '127.0.0.1');
    await once(merchant, 'listening');
    merchantUrl = `http://127.0.0.1:${(merchant.address() as AddressInfo).port}`;
    chromiumRun = await launchHeadlessChromium('razorpay-emulator');
    browser = chromiumRun.browser;
  });

  afterAll(async () => {
    await chromiumRun?.close();
    merchant?.closeAllConnections();
    merchant?.close();
    await emu?.close();
    await receiver?.close();
  });

  async function openCheckout(amount: number): Promise<{ page: Page; orderId: string }> {
    const order = (await api.post('/orders', { amount, currency: 'INR', receipt: `web_${amount}` })).body;
    return { page: await openFor(order.id), orderId: order.id };
  }

  async function openFor(orderId: string, extra = ''): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`${merchantUrl}/?order=${orderId}${extra}`);
    await page.click('#buy');
    return page;
  }

  const results = (page: Page) =>
    page.evaluate(
      () => (window as unknown as { results: { success: any; failures: any[]; dismissed: number } }).results,
    );

  it('Pay calls the handler with ids and a signature that verifies with the key secret', async () => {
    const { page, orderId } = await openCheckout(149_900);
    const frame = page.frameLocator('iframe.razorpay-checkout-frame');
    expect(await frame.locator('#amount').textContent()).toBe('₹1499.00');
    await frame.locator('#pay').click();
    await page.waitForFunction(() => (window as unknown as { results: { success: unknown } }).results.success !== null);
    const { success } = await results(page);
    expect(success.razorpay_order_id).toBe(orderId);
    const expected = createHmac('sha256', emu.credentials.keySecret)
      .update(`${orderId}|${success.razorpay_payment_id}`)
      .digest('hex');
    expect(success.razorpay_signature).toBe(expected);
    expect(await page.locator('iframe.razorpay-checkout-frame').count()).toBe(0); // the modal closed
    expect((await api.get(`/payments/${success.razorpay_payment_id}`)).body.status).toBe('captured');
    expect((await api.get(`/orders/${orderId}`)).body.status).toBe('paid');
    const events = receiver.received
      .filter((w) => w.json.payload.payment?.entity.order_id === orderId)
      .map((w) => w.json.event);
    expect(events).toEqual(['payment.authorized', 'payment.captured', 'order.paid']);
    await page.close();
  });

  it('Fail fires payment.failed and keeps the modal open; Close then calls ondismiss', async () => {
    const { page, orderId } = await openCheckout(9_900);
    const frame = page.frameLocator('iframe.razorpay-checkout-frame');
    await frame.locator('#fail').click();
    await page.waitForFunction(
      () => (window as unknown as { results: { failures: unknown[] } }).results.failures.length === 1,
    );
    const afterFail = await results(page);
    expect(afterFail.success).toBeNull();
    expect(afterFail.failures[0].error).toMatchObject({ code: 'BAD_REQUEST_ERROR', metadata: { order_id: orderId } });
    expect((await api.get(`/payments/${afterFail.failures[0].error.metadata.payment_id}`)).body.status).toBe('failed');
    expect(await page.locator('iframe.razorpay-checkout-frame').count()).toBe(1);
    await frame.locator('#close').click();
    await page.waitForFunction(() => (window as unknown as { results: { dismissed: number } }).results.dismissed === 1);
    expect(await page.locator('iframe.razorpay-checkout-frame').count()).toBe(0);
    expect((await api.get(`/orders/${orderId}`)).body).toMatchObject({ status: 'attempted', attempts: 1 });
    await page.close();
  });

  it('UPI Autopay: recurring 1 with the customer creates the token; without recurring the payment is one-time', async () => {
    const customer = (await api.post('/customers', { name: 'Web', email: 'web@example.com', contact: '9000000042' }))
      .body;
    const authOrder = async () =>
      (
        await api.post('/orders', {
          amount: 100,
          currency: 'INR',
          customer_id: customer.id,
          method: 'upi',
          token: { max_amount: 149_900, frequency: 'monthly' },
        })
      ).body;
    const withRecurring = await authOrder();
    const page = await openFor(withRecurring.id, `&recurring=1&customer_id=${customer.id}`);
    const frame = page.frameLocator('iframe.razorpay-checkout-frame');
    expect(await frame.locator('#mandate').textContent()).toContain('₹1499.00, monthly');
    await frame.locator('#pay').click();
    await page.waitForFunction(() => (window as unknown as { results: { success: unknown } }).results.success !== null);
    const paid = (await results(page)).success;
    const payment = (await api.get(`/payments/${paid.razorpay_payment_id}`)).body;
    expect(payment).toMatchObject({ recurring: true, customer_id: customer.id });
    expect((await api.get(`/customers/${customer.id}/tokens/${payment.token_id}`)).body.recurring_details.status).toBe(
      'confirmed',
    );
    await page.close();

    const oneTime = await authOrder();
    const plain = await openFor(oneTime.id);
    await plain.frameLocator('iframe.razorpay-checkout-frame').locator('#pay').click();
    await plain.waitForFunction(
      () => (window as unknown as { results: { success: unknown } }).results.success !== null,
    );
    const once = (await results(plain)).success;
    expect((await api.get(`/payments/${once.razorpay_payment_id}`)).body).toMatchObject({
      recurring: false,
      token_id: null,
    });
    expect((await api.get(`/customers/${customer.id}/tokens`)).body.count).toBe(1);
    await plain.close();
  });

  it('a wrong key opens a page that says so, and nothing is paid', async () => {
    const order = (await api.post('/orders', { amount: 1_000, currency: 'INR' })).body;
    const page = await browser.newPage();
    const answer = await page.goto(`${emu.url}/checkout/embedded?key_id=rzp_test_wrong&order_id=${order.id}`);
    expect(answer?.status()).toBe(401);
    expect(await page.textContent('#error')).toBe('The api key provided is invalid');
    expect((await api.get(`/orders/${order.id}`)).body.status).toBe('created');
    await page.close();
  });
});
