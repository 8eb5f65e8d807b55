import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBillingHandler } from '../../src/http/index.js';
import { chromiumPath, requireDependency } from '../support/environment.js';
import { type HeadlessChromium, launchHeadlessChromium } from '../support/headless-chromium.js';
import { aPayment, aRefund, aSubscription } from '../storage/conformance/fixtures.js';
import {
  BACKENDS,
  createHttpHarness,
  DAY,
  type HttpHarness,
  PLANS,
  RETURN_URL,
  START,
} from './support/http-harness.js';
import { serveOnNodeHttp } from './support/node-server.js';

const hasChromium = requireDependency(chromiumPath, 'chromium', 'apt-get install chromium');
const STAFF = 'u_staff';
// The series colours of dashboard.js: revenue bars and MRR line.
const REVENUE_RGB = [0x25, 0x63, 0xeb];
const MRR_RGB = [0x7c, 0x3a, 0xed];

/** How many pixels of a PNG (decoded by the browser itself, on a blank page without the dashboard's CSP) are `rgb`. */
async function countPixels(browser: BrowserContext, png: Buffer, rgb: number[]): Promise<number> {
  const page = await browser.newPage();
  try {
    return await page.evaluate(
      async ({ data, rgb }) => {
        const image = new Image();
        image.src = `data:image/png;base64,${data}`;
        await image.decode();
        const canvas = document.createElement('canvas');
        canvas.width = image.width;
        canvas.height = image.height;
        const context = canvas.getContext('2d')!;
        context.drawImage(image, 0, 0);
        const pixels = context.getImageData(0, 0, image.width, image.height).data;
        let n = 0;
        for (let i = 0; i < pixels.length; i += 4)
          if (
            Math.abs(pixels[i]! - rgb[0]!) <= 2 &&
            Math.abs(pixels[i + 1]! - rgb[1]!) <= 2 &&
            Math.abs(pixels[i + 2]! - rgb[2]!) <= 2
          )
            n += 1;
        return n;
      },
      { data: png.toString('base64'), rgb },
    );
  } finally {
    await page.close();
  }
}

/** The operator dashboard served by the real handler on node:http, in headless chromium, on known data. */
describe.skipIf(!hasChromium)('the operator dashboard in headless chromium', () => {
  let h: HttpHarness;
  let server: { origin: string; close(): Promise<void> };
  let chromium: HeadlessChromium | undefined;
  let browser: BrowserContext;

  beforeAll(async () => {
    h = await createHttpHarness({ backend: BACKENDS.includes('postgres') ? 'postgres' : 'pglite' });
    // Day 0 (2026-11-01): a checkout paid through the emulator and settled by the manager (₹2,999).
    const pro = PLANS.find((p) => p.id === 'pro')!;
    const session = await h.billing.createCheckout({
      workspaceId: 'ws_dash',
      userId: 'u_owner',
      planId: 'pro',
      amount: pro.price,
      returnUrl: RETURN_URL,
    });
    await h.emu.completeOrder(session.orderId);
    expect((await h.billing.refreshPayment(session.orderId)).payment?.state).toBe('completed');
    // History written straight to the store: day 2 a ₹500 payment, day 3 a ₹100 refund and a failed
    // payment, day 4 nothing; a past-due subscription and a failed webhook for the lists.
    await h.store.transaction({ system: true }, async (tx) => {
      await tx.payments.insert(aPayment({ state: 'completed', amountPaise: 50_000, settledAt: START + 2 * DAY + 5 }));
      const refunded = aPayment({ state: 'completed', amountPaise: 20_000, settledAt: START - DAY });
      await tx.payments.insert(refunded);
      await tx.refunds.insert(
        aRefund(refunded, { state: 'completed', amountPaise: 10_000, settledAt: START + 3 * DAY }),
      );
      await tx.payments.insert(aPayment({ state: 'failed', settledAt: START + 3 * DAY + 9 }));
      await tx.subscriptions.insert(
        aSubscription({ workspaceId: 'ws_late', planId: 'starter', status: 'past_due', createdAt: START - 40 * DAY }),
      );
      await tx.webhookEvents.record({
        dedupeKey: 'wh_<b>bad</b>',
        event: 'checkout.order.failed',
        subjectId: null,
        payload: null,
        now: START + DAY,
      });
      await tx.webhookEvents.markFailed('wh_<b>bad</b>', {
        workspaceId: null,
        error: '<script>alert(1)</script>',
        now: START + DAY,
      });
    });
    h.clock.set(START + 4 * DAY + 3_600_000);
    server = await serveOnNodeHttp(
      createBillingHandler(h.options({ staff: { isStaff: ({ userId }) => userId === STAFF } })),
    );
    chromium = await launchHeadlessChromium('phonepe-billing-dashboard');
    browser = chromium.browser;
  }, 60_000);

  afterAll(async () => {
    await chromium?.close();
    await server?.close();
    await h?.close();
  });

  /** Opens the dashboard signed in with `token`; resolves with the page and the answer of its data request. */
  const open = async (token: string): Promise<{ page: Page; errors: string[]; status: number }> => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    // Listening before navigating: the data request may be answered before goto resolves.
    const answer = page.waitForResponse((response) => new URL(response.url()).pathname === '/v1/dashboard/data');
    await page.goto(`${server.origin}/v1/dashboard?from=2026-11-01&to=2026-11-05#token=${token}`);
    return { page, errors, status: (await answer).status() };
  };

  it('signed in as staff: every chart drawn from the data, the lists escaped, nothing blocked by the CSP', async () => {
    const { page, errors, status } = await open(STAFF);
    expect(status).toBe(200);
    await page.locator('body[data-ready="true"]').waitFor();
    expect(page.url()).toBe(`${server.origin}/v1/dashboard?from=2026-11-01&to=2026-11-05`); // token left the address bar
    // Net revenue: ₹2,999 on day 0, ₹500 on day 2, −₹100 on day 3 → three bars; MRR: a point per day (5).
    const bars = page.locator('svg[data-chart="revenue"] rect.bar');
    expect(
      await bars.evaluateAll((rects) => rects.map((r) => [r.getAttribute('data-day'), r.getAttribute('data-value')])),
    ).toEqual([
      ['2026-11-01', '2999'],
      ['2026-11-03', '500'],
      ['2026-11-04', '-100'],
    ]);
    const points = page.locator('svg[data-chart="mrr"] circle.point');
    expect(await points.count()).toBe(5);
    // MRR counts past-due subscriptions too (still live): pro ₹2,999 + the past-due starter ₹999.
    expect(await points.first().getAttribute('data-value')).toBe('3998');
    expect(await page.locator('svg[data-chart="payments-failed"] rect.bar').count()).toBe(1);

    // Screenshot-level: the charts are not blank — the series colours are on screen.
    const revenueShot = await page.locator('figure[data-chart="revenue"]').screenshot();
    expect(await countPixels(browser, revenueShot, REVENUE_RGB)).toBeGreaterThan(100);
    const mrrShot = await page.locator('figure[data-chart="mrr"]').screenshot();
    expect(await countPixels(browser, mrrShot, MRR_RGB)).toBeGreaterThan(50);
    // …and a chart with no data shows none of its colour (the check can fail).
    expect(await countPixels(browser, await page.locator('figure[data-chart="churn"]').screenshot(), REVENUE_RGB)).toBe(
      0,
    );

    expect(await page.locator('#past-due').textContent()).toContain('ws_late');
    // Markup in the data is shown as text, never parsed.
    const failed = page.locator('#failed-webhooks');
    expect(await failed.textContent()).toContain('<script>alert(1)</script>');
    expect(await failed.locator('script, b').count()).toBe(0);
    // The outbox lists dead events (none here): the section is shown, empty.
    expect(await page.locator('#dead-events-section').isHidden()).toBe(false);
    expect(await page.locator('#totals').textContent()).toContain('₹3,399.00'); // net: 2,999 + 500 − 100
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a signed-in user who is not staff gets 403 and sees no data', async () => {
    const { page, status } = await open('u_owner');
    expect(status).toBe(403);
    await page.locator('#status.error').waitFor();
    expect(await page.locator('#status').textContent()).toContain('staff only');
    expect(await page.locator('#content').isHidden()).toBe(true);
    expect(await page.locator('svg').count()).toBe(0);
    await page.close();
  });
});
