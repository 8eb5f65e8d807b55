import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signJwt } from '../../examples/common/jwt.js';
import { freePort } from '../../scripts/demo/free-port.js';
import {
  defaultEmulatorCredentials,
  defaultEmulatorWebhookCredentials,
  defaultRazorpayEmulatorCredentials,
  startPhonePeEmulator,
  startRazorpayEmulator,
  type PhonePeEmulator,
  type RazorpayEmulator,
} from '../../src/testing/index.js';
import { chromiumPath, databaseUrl, requireDependency } from '../support/environment.js';
import { type HeadlessChromium, launchHeadlessChromium } from '../support/headless-chromium.js';
import { createTempDatabase, type TempDatabase } from '../support/temp-database.js';
import { startTsProcess, type ExampleProcess } from './support/example-process.js';

const hasChromium = requireDependency(chromiumPath, 'chromium', 'apt-get install chromium');
const hasPostgres = requireDependency(
  databaseUrl,
  'PostgreSQL (DATABASE_URL)',
  'set DATABASE_URL=postgres://postgres@127.0.0.1:5432/phonepe_billing_test',
);
const JWT_SECRET = randomBytes(32).toString('hex');

/**
 * The Hono example holding PhonePe and Razorpay (default PhonePe), on PostgreSQL, in headless chromium:
 * the billing page → our `/v1/payments/checkout` page → the Razorpay emulator's checkout.js stand-in and its
 * framed Checkout → Pay → the script's form POST to our callback → 303 → back on the billing page. The
 * store is read directly, so "completed" means the row, not the page.
 */
describe.skipIf(!hasChromium || !hasPostgres)('the example billing page paying through Razorpay, in chromium', () => {
  let phonepe: PhonePeEmulator;
  let razorpay: RazorpayEmulator;
  let database: TempDatabase;
  let app: ExampleProcess;
  let appUrl: string;
  let db: pg.Client;
  let chromiumRun: HeadlessChromium | undefined;
  let browser: BrowserContext;

  beforeAll(async () => {
    const port = await freePort();
    appUrl = `http://127.0.0.1:${port}`;
    phonepe = await startPhonePeEmulator({
      requireReferrer: [appUrl],
      webhook: { url: `${appUrl}/v1/payments/webhook`, ...defaultEmulatorWebhookCredentials },
    });
    razorpay = await startRazorpayEmulator({ webhook: { url: `${appUrl}/v1/payments/webhook/razorpay` } });
    database = await createTempDatabase(databaseUrl!, 'phonepe_billing_rzp');
    app = startTsProcess('examples/hono/server.ts', [], {
      PHONEPE_CLIENT_ID: defaultEmulatorCredentials.clientId,
      PHONEPE_CLIENT_SECRET: defaultEmulatorCredentials.clientSecret,
      PHONEPE_CLIENT_VERSION: defaultEmulatorCredentials.clientVersion,
      PHONEPE_ENV: 'SANDBOX',
      PHONEPE_BASE_URL: phonepe.baseUrls.pg,
      PHONEPE_WEBHOOK_USERNAME: defaultEmulatorWebhookCredentials.username,
      PHONEPE_WEBHOOK_PASSWORD: defaultEmulatorWebhookCredentials.password,
      PHONEPE_CALLBACK_URL: `${appUrl}/v1/payments/callback`,
      PAYMENT_REDIRECT_ALLOWLIST: appUrl,
      RAZORPAY_KEY_ID: defaultRazorpayEmulatorCredentials.keyId,
      RAZORPAY_KEY_SECRET: defaultRazorpayEmulatorCredentials.keySecret,
      RAZORPAY_WEBHOOK_SECRET: defaultRazorpayEmulatorCredentials.webhookSecret,
      RAZORPAY_BASE_URL: razorpay.baseUrl,
      // BILLING_DEFAULT_GATEWAY unset: PhonePe is preselected, the payer picks Razorpay.
      DATABASE_URL: database.url,
      JWT_SECRET,
      PORT: String(port),
      HOST: '127.0.0.1',
    });
    await app.waitFor(/listening on http:\/\/127\.0\.0\.1:\d+/, 60_000);
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
    chromiumRun = await launchHeadlessChromium('phonepe-billing-razorpay');
    browser = chromiumRun.browser;
  }, 90_000);

  afterAll(async () => {
    await chromiumRun?.close();
    await db?.end();
    await app?.stop();
    await database?.drop();
    await razorpay?.close();
    await phonepe?.close();
  });

  const signIn = async () => {
    const token = await signJwt({ sub: 'usr_owner' }, JWT_SECRET);
    const page = await browser.newPage();
    await page.goto(`${appUrl}/#token=${token}&workspace=ws_demo`);
    await page.getByTestId('subscribe-pro').waitFor();
    return { page, token };
  };
  const payment = async (orderId: string) =>
    (
      await db.query<{ state: string; gateway: string; method: string; settled_at: Date | null }>(
        'select state, gateway, method, settled_at from payment_transactions where merchant_order_id = $1',
        [orderId],
      )
    ).rows[0];
  const text = (page: Page, testId: string) => page.getByTestId(testId).textContent();

  /** Picks Razorpay, presses Subscribe, and waits for the Checkout frame on our checkout page. */
  const openRazorpayCheckout = async (page: Page) => {
    await page.getByTestId('gateway').selectOption('razorpay');
    // A Razorpay payment_url is our own page, navigated to: never handed to PhonePe's checkout.js (whose
    // transact would open PhonePe's PayPage frame for it). The note survives the navigation (same tab, origin).
    await page.evaluate(() => {
      const checkout = (window as unknown as { PhonePeCheckout: { transact(o: { tokenUrl: string }): void } })
        .PhonePeCheckout;
      const transact = checkout.transact.bind(checkout);
      checkout.transact = (options) => {
        sessionStorage.setItem('transact', options.tokenUrl);
        transact(options);
      };
    });
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/v1/payments/checkout'),
      page.getByTestId('subscribe-pro').click(),
    ]);
    const orderId = new URL(page.url()).searchParams.get('order_id')!;
    expect(await page.evaluate(() => sessionStorage.getItem('transact'))).toBeNull();
    const frame = page.frameLocator('iframe.razorpay-checkout-frame');
    await frame.locator('#pay').waitFor();
    return { orderId, frame };
  };

  it('Fail says so and settles nothing; then Pay posts to the callback, 303 back, and the payment is completed', async () => {
    const { page } = await signIn();
    // The app holds both gateways; the page offers them with the default (PhonePe) preselected.
    expect(await page.getByTestId('gateway').isVisible()).toBe(true);
    expect(await page.locator('select[name=gateway] option').allTextContents()).toEqual(['PhonePe', 'Razorpay']);
    expect(await page.getByTestId('gateway').inputValue()).toBe('phonepe');

    const scripts: string[] = [];
    page.on('request', (request) => request.resourceType() === 'script' && scripts.push(request.url()));
    const { orderId, frame } = await openRazorpayCheckout(page);
    expect(scripts).toContain(razorpay.checkoutScriptUrl);
    expect(await frame.locator('#amount').textContent()).toBe('₹2999.00');
    expect(await payment(orderId)).toMatchObject({ gateway: 'razorpay', method: 'checkout' });

    await frame.locator('#fail').click();
    await frame.locator('#status').getByText('Payment failed').waitFor();
    await page.locator('#status').getByText('That payment did not go through; you can try again.').waitFor();
    await razorpay.webhooks.idle();
    expect(razorpay.webhooks.deliveries.map((d) => d.event)).toContain('payment.failed');
    // Razorpay's order stays open for another try: nothing is settled, no subscription.
    const afterFail = await payment(orderId);
    expect(afterFail?.state).not.toMatch(/completed|failed|expired/);
    expect(afterFail?.settled_at).toBeNull();
    expect((await db.query('select 1 from subscriptions')).rowCount).toBe(0);

    const callback = page.waitForResponse(
      (response) =>
        response.url().startsWith(`${appUrl}/v1/payments/callback`) && response.request().method() === 'POST',
    );
    await frame.locator('#pay').click();
    const posted = await callback;
    expect(posted.status()).toBe(303);
    expect(posted.headers().location).toBe(`${appUrl}/?payment_status=completed&order_id=${orderId}`);
    const fields = new URLSearchParams(posted.request().postData() ?? '');
    expect([...fields.keys()].sort()).toEqual(['razorpay_order_id', 'razorpay_payment_id', 'razorpay_signature']);

    await page.getByTestId('subscription-status').waitFor();
    expect(await text(page, 'notice')).toBe(`Payment completed (order ${orderId}).`);
    expect(await text(page, 'subscription-status')).toBe('active');
    expect(await text(page, 'subscription-plan')).toBe('Pro');
    expect(page.url()).toBe(`${appUrl}/`);
    expect(await payment(orderId)).toMatchObject({ state: 'completed', gateway: 'razorpay' });
    expect((await payment(orderId))?.settled_at).toBeInstanceOf(Date);
    await page.close();
  });

  it('autopay on Razorpay asks for email and phone, and the mandate is set up through Checkout', async () => {
    const { page, token } = await signIn();
    // Start over: end the first test's subscription now, so the plans can be bought again.
    const ended = await fetch(`${appUrl}/v1/subscriptions/cancel`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'x-tenant-id': 'ws_demo', 'content-type': 'application/json' },
      body: JSON.stringify({ cancellation_reason: 'browser test: start over', at_period_end: false }),
    });
    expect(ended.status).toBe(200);
    await page.reload();
    await page.getByTestId('subscribe-pro').waitFor();
    expect(await page.getByTestId('subscribe-pro').isDisabled()).toBe(false);

    // PhonePe's mandate needs no customer details; Razorpay's does.
    await page.getByTestId('autopay').check();
    expect(await page.getByTestId('customer-email').isVisible()).toBe(false);
    await page.getByTestId('gateway').selectOption('razorpay');
    expect(await page.getByTestId('customer-email').isVisible()).toBe(true);
    // Without them the form refuses before anything is created.
    const creates: string[] = [];
    page.on('request', (request) => request.url().endsWith('/v1/payments/create') && creates.push(request.url()));
    await page.getByTestId('subscribe-pro').click();
    expect(await page.getByTestId('customer-email').evaluate((input: HTMLInputElement) => input.validity.valid)).toBe(
      false,
    );
    expect(creates).toEqual([]);

    await page.getByTestId('customer-email').fill('asha@example.com');
    await page.getByTestId('customer-contact').fill('+919876543210');
    const { orderId, frame } = await openRazorpayCheckout(page);
    expect(await frame.locator('#mandate').textContent()).toMatch(/^UPI Autopay mandate: up to ₹[\d.]+, /);
    expect(await payment(orderId)).toMatchObject({ gateway: 'razorpay', method: 'autopay_setup' });

    await Promise.all([
      page.waitForURL((url) => url.origin === appUrl && url.pathname === '/'),
      frame.locator('#pay').click(),
    ]);
    await page.getByTestId('subscription-status').waitFor();
    expect(await text(page, 'notice')).toBe(`Payment completed (order ${orderId}).`);
    expect(await text(page, 'subscription-status')).toBe('active');
    expect(await payment(orderId)).toMatchObject({ state: 'completed', method: 'autopay_setup' });
    const [customer] = razorpay.state().customers;
    expect(customer).toMatchObject({ email: 'asha@example.com', contact: '+919876543210' });
    await razorpay.webhooks.idle();
    const subscription = await db.query<{ mandate_gateway: string | null }>(
      "select mandate_gateway from subscriptions where status = 'active'",
    );
    expect(subscription.rows).toEqual([{ mandate_gateway: 'razorpay' }]);
    await page.close();
  });
});
