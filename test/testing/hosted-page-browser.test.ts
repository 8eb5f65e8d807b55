import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPhonePeEmulator, type PhonePeEmulator } from '../../src/testing/index.js';
import { type HeadlessChromium, launchHeadlessChromium } from '../support/headless-chromium.js';
import { chromiumPath, requireDependency } from '../support/environment.js';
import { checkoutSetupBody, payBody, phonePeCaller } from './support/phonepe-caller.js';
import { startWebhookReceiver } from './support/webhook-receiver.js';

const hasChromium = requireDependency(chromiumPath, 'chromium', 'apt-get install chromium');

describe.skipIf(!hasChromium)('hosted checkout page in headless chromium', () => {
  let emu: PhonePeEmulator;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let merchant: http.Server;
  let merchantUrl: string;
  let browser: BrowserContext;
  let chromiumRun: HeadlessChromium | undefined;
  let caller: ReturnType<typeof phonePeCaller>;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    emu = await startPhonePeEmulator({ webhook: { url: receiver.url } });
    caller = phonePeCaller(emu);
    // The merchant's own page the browser returns to.
    merchant = http.createServer((req, res) => {
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(`<!doctype html><h1 id="merchant">Back at the shop: ${req.url}</h1>`);
    });
    merchant.listen(0, '127.0.0.1');
    await once(merchant, 'listening');
    merchantUrl = `http://127.0.0.1:${(merchant.address() as AddressInfo).port}`;
    chromiumRun = await launchHeadlessChromium('phonepe-emulator');
    browser = chromiumRun.browser;
  });

  afterAll(async () => {
    await chromiumRun?.close();
    merchant?.closeAllConnections();
    merchant?.close();
    await emu?.close();
    await receiver?.close();
  });

  async function createOrder(urls: Record<string, string>) {
    const body = payBody({ amount: 299_900, paymentFlow: { type: 'PG_CHECKOUT', merchantUrls: urls } });
    const created = await caller.post('/checkout/v2/pay', body);
    expect(created.status).toBe(200);
    return { id: body.merchantOrderId, redirectUrl: created.body.redirectUrl as string };
  }

  const webhookFor = (id: string) =>
    receiver.received.filter((w) => w.json.payload.merchantOrderId === id).map((w) => w.json.event);

  it('Pay: the payer picks a mode, pays, and lands on the merchant redirect URL', async () => {
    const { id, redirectUrl } = await createOrder({ redirectUrl: `${merchantUrl}/return?ref=pay` });
    const page = await browser.newPage();
    await page.goto(redirectUrl);
    expect(await page.textContent('[data-testid="amount"]')).toBe('₹2,999.00');
    await page.selectOption('select[name="paymentMode"]', 'CARD');
    await Promise.all([page.waitForURL(`${merchantUrl}/return?ref=pay`), page.click('button[value="pay"]')]);
    expect(await page.textContent('#merchant')).toBe('Back at the shop: /return?ref=pay');
    const status = await caller.get(`/checkout/v2/order/${id}/status`);
    expect(status.body).toMatchObject({
      state: 'COMPLETED',
      paymentDetails: [{ paymentMode: 'CARD', state: 'COMPLETED' }],
    });
    // The webhook's first attempt happened before the redirect.
    expect(webhookFor(id)).toEqual(['checkout.order.completed']);
    await page.close();
  });

  it('Fail: the order fails and the browser returns to the merchant', async () => {
    const { id, redirectUrl } = await createOrder({ redirectUrl: `${merchantUrl}/return?ref=fail` });
    const page = await browser.newPage();
    await page.goto(redirectUrl);
    await Promise.all([page.waitForURL(`${merchantUrl}/return?ref=fail`), page.click('button[value="fail"]')]);
    expect((await caller.get(`/checkout/v2/order/${id}/status`)).body).toMatchObject({
      state: 'FAILED',
      errorCode: 'INSUFFICIENT_BALANCE',
    });
    expect(webhookFor(id)).toEqual(['checkout.order.failed']);
    await page.close();
  });

  it('Cancel: the browser goes to cancelRedirectUrl', async () => {
    const { id, redirectUrl } = await createOrder({
      redirectUrl: `${merchantUrl}/return?ref=cancel`,
      cancelRedirectUrl: `${merchantUrl}/cancelled`,
    });
    const page = await browser.newPage();
    await page.goto(redirectUrl);
    await Promise.all([page.waitForURL(`${merchantUrl}/cancelled`), page.click('button[value="cancel"]')]);
    expect(await page.textContent('#merchant')).toBe('Back at the shop: /cancelled');
    expect((await caller.get(`/checkout/v2/order/${id}/status`)).body).toMatchObject({
      state: 'FAILED',
      errorCode: 'TXN_NOT_COMPLETED',
    });
    expect(webhookFor(id)).toEqual(['checkout.order.failed']);
    await page.close();
  });

  it('Mandate: the payer sees frequency and max amount, approves, and the subscription is ACTIVE', async () => {
    const body = checkoutSetupBody(
      { subscriptionDetails: { frequency: 'MONTHLY', maxAmount: 149_900 } },
      { redirectUrl: `${merchantUrl}/return?ref=mandate` },
    );
    const created = await caller.post('/checkout/v2/pay', body);
    const page = await browser.newPage();
    await page.goto(created.body.redirectUrl);
    const text = await page.textContent('main');
    expect(text).toContain('MONTHLY');
    expect(text).toContain('₹1,499.00');
    await Promise.all([page.waitForURL(`${merchantUrl}/return?ref=mandate`), page.click('text=Approve')]);
    const subscriptionId = body.paymentFlow.subscriptionDetails.merchantSubscriptionId;
    expect((await caller.get(`/checkout/v2/subscriptions/${subscriptionId}/status`)).body.state).toBe('ACTIVE');
    expect((await caller.get(`/checkout/v2/order/${body.merchantOrderId}/status`)).body.state).toBe('COMPLETED');
    expect(webhookFor(body.merchantOrderId)).toEqual(['checkout.order.completed']);
    await page.close();
  });
});

/** A merchant page that opens the PayPage with the emulator's stand-in checkout.js, as PhonePe's docs show. */
describe.skipIf(!hasChromium)('checkout.js stand-in in headless chromium', () => {
  let emu: PhonePeEmulator;
  let shop: http.Server;
  let shopUrl: string;
  let browser: BrowserContext;
  let chromiumRun: HeadlessChromium | undefined;
  let caller: ReturnType<typeof phonePeCaller>;

  beforeAll(async () => {
    shop = http.createServer((req, res) => {
      const url = new URL(req.url!, 'http://shop');
      if (url.pathname !== '/checkout')
        return void res
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<!doctype html><h1 id="merchant">Back at the shop</h1>');
      const config = JSON.stringify({
        tokenUrl: url.searchParams.get('tokenUrl'),
        type: url.searchParams.get('type') || undefined,
      });
      res
        .writeHead(200, { 'content-type': 'text/html', 'referrer-policy': 'strict-origin-when-cross-origin' })
        .end(`<!doctype html>
<html><head><script src="${emu.checkoutScriptUrl}"></script></head>
<body><button id="pay">Pay with PhonePe</button><p id="result"></p>
<script>
const config = ${config};
document.getElementById('pay').addEventListener('click', () => {
  if (!config.type) return window.PhonePeCheckout.transact({ tokenUrl: config.tokenUrl });
  window.PhonePeCheckout.transact({ tokenUrl: config.tokenUrl, type: config.type, callback: (response) => { document.getElementById('result').textContent = response; } });
});
</script></body></html>`);
    });
    shop.listen(0, '127.0.0.1');
    await once(shop, 'listening');
    shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
    // Only the shop's origin may open the PayPage, as in production where PhonePe checks the referrer.
    emu = await startPhonePeEmulator({ requireReferrer: [shopUrl] });
    caller = phonePeCaller(emu);
    chromiumRun = await launchHeadlessChromium('phonepe-checkout-js');
    browser = chromiumRun.browser;
  });

  afterAll(async () => {
    await chromiumRun?.close();
    shop?.closeAllConnections();
    shop?.close();
    await emu?.close();
  });

  async function shopPage(type?: 'IFRAME') {
    const body = payBody({
      amount: 49_900,
      paymentFlow: { type: 'PG_CHECKOUT', merchantUrls: { redirectUrl: `${shopUrl}/return` } },
    });
    const created = await caller.post('/checkout/v2/pay', body);
    const page = await browser.newPage();
    await page.goto(
      `${shopUrl}/checkout?${new URLSearchParams({ tokenUrl: created.body.redirectUrl, ...(type ? { type } : {}) })}`,
    );
    return { page, id: body.merchantOrderId, redirectUrl: created.body.redirectUrl as string };
  }

  it('IFRAME: the PayPage opens over the shop, Pay closes it and the callback gets CONCLUDED', async () => {
    const { page, id } = await shopPage('IFRAME');
    await page.click('#pay');
    const frame = page.frameLocator('iframe[data-phonepe-checkout="frame"]');
    expect(await frame.getByTestId('amount').textContent()).toBe('₹499.00');
    await frame.locator('button[value="pay"]').click();
    await page.locator('#result', { hasText: 'CONCLUDED' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/checkout'); // the shop page never navigated away
    expect(await page.locator('[data-phonepe-checkout]').count()).toBe(0);
    expect((await caller.get(`/checkout/v2/order/${id}/status`)).body.state).toBe('COMPLETED');
    await page.close();
  });

  it('IFRAME: Cancel gives USER_CANCEL; closePage() closes the iframe without a callback', async () => {
    const cancelled = await shopPage('IFRAME');
    await cancelled.page.click('#pay');
    await cancelled.page
      .frameLocator('iframe[data-phonepe-checkout="frame"]')
      .locator('button[value="cancel"]')
      .click();
    await cancelled.page.locator('#result', { hasText: 'USER_CANCEL' }).waitFor();
    expect((await caller.get(`/checkout/v2/order/${cancelled.id}/status`)).body).toMatchObject({
      state: 'FAILED',
      errorCode: 'TXN_NOT_COMPLETED',
    });
    await cancelled.page.close();

    const closed = await shopPage('IFRAME');
    await closed.page.click('#pay');
    await closed.page.frameLocator('iframe[data-phonepe-checkout="frame"]').getByTestId('amount').waitFor();
    await closed.page.evaluate(() =>
      (window as unknown as { PhonePeCheckout: { closePage(): void } }).PhonePeCheckout.closePage(),
    );
    expect(await closed.page.locator('[data-phonepe-checkout]').count()).toBe(0);
    expect(await closed.page.textContent('#result')).toBe('');
    expect((await caller.get(`/checkout/v2/order/${closed.id}/status`)).body.state).toBe('PENDING');
    await closed.page.close();
  });

  it('redirect mode: the shop page goes to the PayPage with its origin as referrer, Pay returns to the shop', async () => {
    const { page, id } = await shopPage();
    await Promise.all([page.waitForURL((url) => url.origin === emu.url), page.click('#pay')]);
    expect(await page.getByTestId('amount').textContent()).toBe('₹499.00');
    await Promise.all([page.waitForURL(`${shopUrl}/return`), page.click('button[value="pay"]')]);
    expect((await caller.get(`/checkout/v2/order/${id}/status`)).body.state).toBe('COMPLETED');
    await page.close();
  });

  it('the same PayPage URL opened directly (no referrer) is refused', async () => {
    const { page, redirectUrl } = await shopPage();
    const direct = await browser.newPage();
    const response = await direct.goto(redirectUrl);
    expect(response?.status()).toBe(403);
    expect(await direct.getByTestId('referrer-refused').textContent()).toBe('Payment page blocked');
    await direct.close();
    await page.close();
  });
});
