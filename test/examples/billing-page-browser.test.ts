import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HeadlessChromium, launchHeadlessChromium } from '../support/headless-chromium.js';
import { chromiumPath, requireDependency } from '../support/environment.js';
import { startTsProcess, type ExampleProcess } from './support/example-process.js';

const hasChromium = requireDependency(chromiumPath, 'chromium', 'apt-get install chromium');

/** The billing page of the Hono example, as `npm run demo -- --serve` serves it, in headless chromium. */
describe.skipIf(!hasChromium)('the example billing page in headless chromium', () => {
  let demo: ExampleProcess;
  let browser: BrowserContext;
  let chromiumRun: HeadlessChromium | undefined;
  let ownerLink: string;
  let memberLink: string;
  let appOrigin: string;
  let emulatorOrigin: string;

  beforeAll(async () => {
    demo = startTsProcess('scripts/demo.ts', ['--serve', '--port', '0', '--emulator-port', '0'], {});
    [, ownerLink] = (await demo.waitFor(/Billing page +(\S+)/)) as [string, string];
    [, memberLink] = (await demo.waitFor(/Read-only +(\S+)/)) as [string, string];
    [, emulatorOrigin] = (await demo.waitFor(/Emulator +(http:\/\/\S+)/)) as [string, string];
    appOrigin = new URL(ownerLink).origin;
    chromiumRun = await launchHeadlessChromium('phonepe-billing-page');
    browser = chromiumRun.browser;
  }, 60_000);

  afterAll(async () => {
    await chromiumRun?.close();
    await demo?.stop('SIGINT');
  });

  const text = (page: Page, testId: string) => page.getByTestId(testId).textContent();

  it('subscribe → the emulator checkout page → Pay → back on the billing page with the subscription active', async () => {
    const page = await browser.newPage();
    await page.goto(ownerLink);
    // The token moved from the fragment to sessionStorage and left the address bar.
    await page.getByTestId('subscribe-pro').waitFor();
    expect(page.url()).toBe(`${appOrigin}/`);
    expect(await page.locator('#plans').textContent()).toContain('₹2,999.00 / month');
    expect(await text(page, 'subscription')).toContain('No subscription yet');

    // Subscribe opens the PayPage with PhonePeCheckout.transact from the emulator's checkout.js (the
    // demo's emulator refuses a PayPage load without a referrer from the app).
    const scripts: string[] = [];
    page.on('request', (request) => request.resourceType() === 'script' && scripts.push(request.url()));
    const payPage = page.waitForRequest(
      (request) => new URL(request.url()).pathname === '/transact/uat_v2' && request.method() === 'GET',
    );
    await Promise.all([
      page.waitForURL((url) => url.origin === emulatorOrigin),
      page.getByTestId('subscribe-pro').click(),
    ]);
    expect((await payPage).headers().referer).toBe(`${appOrigin}/`);
    expect(await page.getByTestId('amount').textContent()).toBe('₹2,999.00');
    const payPageUrl = page.url();
    await Promise.all([page.waitForURL((url) => url.origin === appOrigin), page.click('button[value="pay"]')]);

    await page.getByTestId('subscription-status').waitFor();
    expect(await text(page, 'subscription-status')).toBe('active');
    expect(await text(page, 'subscription-plan')).toBe('Pro');
    expect(await text(page, 'notice')).toMatch(/^Payment completed \(order ord_\w+\)\.$/);
    // The billing page loaded checkout.js from the emulator, as it would PhonePe's in production…
    expect(scripts).toContain(`${emulatorOrigin}/web/bundle/checkout.js`);
    // …and the same PayPage opened without a referrer (a pasted or e-mailed link) is refused.
    const direct = await browser.newPage();
    expect((await direct.goto(payPageUrl))?.status()).toBe(403);
    await direct.close();
    expect(await page.getByTestId('subscribe-pro').textContent()).toBe('Current plan');
    expect(await page.getByTestId('subscribe-starter').isDisabled()).toBe(true);
    expect(await text(page, 'usage-projects')).toBe('projects: 0 of 10 (0%)');

    await page.getByTestId('create-project').click();
    await page.getByText('projects: 1 of 10 (10%)').waitFor();
    expect(await text(page, 'notice')).toBe('Project created: 1 of 10 projects used.');
    // The usage history chart: one bar, today's, for the project just created.
    const bars = page.locator('[data-testid="usage-history"] svg[data-metric="projects"] rect');
    await bars.first().waitFor();
    expect(await bars.count()).toBe(1);
    expect(await bars.first().getAttribute('data-value')).toBe('1');
    expect(await text(page, 'usage-history-projects')).toBe('projects: 1 in these days');

    await page.getByTestId('cancel').click();
    await page.getByTestId('resume').waitFor();
    expect(await text(page, 'subscription')).toContain('cancels on');
    expect(await text(page, 'notice')).toMatch(/^Cancelled: access continues until /);
    await page.close();
  });

  it('a member sees the subscription but the API refuses their changes, and the page says why', async () => {
    const page = await browser.newPage();
    await page.goto(memberLink);
    await page.getByTestId('subscription-status').waitFor();
    expect(await text(page, 'subscription-plan')).toBe('Pro');
    await page.getByTestId('resume').click();
    await page.getByTestId('notice').waitFor();
    expect(await text(page, 'notice')).toContain('Your role "member" in workspace ws_demo cannot change billing');
    await page.close();
  });

  it('without a token the page asks to sign in and calls nothing', async () => {
    const page = await browser.newPage();
    const calls: string[] = [];
    page.on('request', (request) => calls.push(request.url()));
    await page.goto(`${appOrigin}/`);
    await page.locator('#sign-in-form').waitFor();
    expect(await page.locator('#sign-in').isVisible()).toBe(true);
    // The page itself and the checkout script; no API call.
    expect(calls).toEqual([`${appOrigin}/`, `${emulatorOrigin}/web/bundle/checkout.js`]);
    await page.close();
  });
});
