import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPhonePeEmulator, type PhonePeEmulator } from '../../src/testing/index.js';
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
  let profile: string;
  let caller: ReturnType<typeof phonePeCaller>;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    emu = await startPhonePeEmulator({ webhook: { url: receiver.url } });
    caller = phonePeCaller(emu);
    // The merchant's own page the browser returns to.
    merchant = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><h1 id="merchant">Back at the shop: ${req.url}</h1>`);
    });
    merchant.listen(0, '127.0.0.1');
    await once(merchant, 'listening');
    merchantUrl = `http://127.0.0.1:${(merchant.address() as AddressInfo).port}`;
    profile = await mkdtemp(join(tmpdir(), 'phonepe-emulator-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath!,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
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

  const webhookFor = (id: string) => receiver.received.filter((w) => w.json.payload.merchantOrderId === id).map((w) => w.json.event);

  it('Pay: the payer picks a mode, pays, and lands on the merchant redirect URL', async () => {
    const { id, redirectUrl } = await createOrder({ redirectUrl: `${merchantUrl}/return?ref=pay` });
    const page = await browser.newPage();
    await page.goto(redirectUrl);
    expect(await page.textContent('[data-testid="amount"]')).toBe('₹2,999.00');
    await page.selectOption('select[name="paymentMode"]', 'CARD');
    await Promise.all([page.waitForURL(`${merchantUrl}/return?ref=pay`), page.click('button[value="pay"]')]);
    expect(await page.textContent('#merchant')).toBe('Back at the shop: /return?ref=pay');
    const status = await caller.get(`/checkout/v2/order/${id}/status`);
    expect(status.body).toMatchObject({ state: 'COMPLETED', paymentDetails: [{ paymentMode: 'CARD', state: 'COMPLETED' }] });
    // The webhook's first attempt happened before the redirect.
    expect(webhookFor(id)).toEqual(['checkout.order.completed']);
    await page.close();
  });

  it('Fail: the order fails and the browser returns to the merchant', async () => {
    const { id, redirectUrl } = await createOrder({ redirectUrl: `${merchantUrl}/return?ref=fail` });
    const page = await browser.newPage();
    await page.goto(redirectUrl);
    await Promise.all([page.waitForURL(`${merchantUrl}/return?ref=fail`), page.click('button[value="fail"]')]);
    expect((await caller.get(`/checkout/v2/order/${id}/status`)).body).toMatchObject({ state: 'FAILED', errorCode: 'INSUFFICIENT_BALANCE' });
    expect(webhookFor(id)).toEqual(['checkout.order.failed']);
    await page.close();
  });

  it('Cancel: the browser goes to cancelRedirectUrl', async () => {
    const { id, redirectUrl } = await createOrder({ redirectUrl: `${merchantUrl}/return?ref=cancel`, cancelRedirectUrl: `${merchantUrl}/cancelled` });
    const page = await browser.newPage();
    await page.goto(redirectUrl);
    await Promise.all([page.waitForURL(`${merchantUrl}/cancelled`), page.click('button[value="cancel"]')]);
    expect(await page.textContent('#merchant')).toBe('Back at the shop: /cancelled');
    expect((await caller.get(`/checkout/v2/order/${id}/status`)).body).toMatchObject({ state: 'FAILED', errorCode: 'TXN_NOT_COMPLETED' });
    expect(webhookFor(id)).toEqual(['checkout.order.failed']);
    await page.close();
  });

  it('Mandate: the payer sees frequency and max amount, approves, and the subscription is ACTIVE', async () => {
    const body = checkoutSetupBody({ subscriptionDetails: { frequency: 'MONTHLY', maxAmount: 149_900 } }, { redirectUrl: `${merchantUrl}/return?ref=mandate` });
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
