import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatRupees } from '../../src/testing/hosted-page.js';
import { checkoutSetupBody, payBody } from './support/phonepe-caller.js';
import { startEmulatorWithReceiver, type EmulatorWithReceiver } from './support/emulator-with-receiver.js';

let setup: EmulatorWithReceiver;
let emu: EmulatorWithReceiver['emu'];
let receiver: EmulatorWithReceiver['receiver'];
let caller: EmulatorWithReceiver['caller'];

beforeAll(async () => {
  setup = await startEmulatorWithReceiver(Date.parse('2026-01-01T00:00:00Z'));
  ({ emu, receiver, caller } = setup);
});
afterAll(() => setup.close());

describe('formatRupees', () => {
  it.each([
    [0, '₹0.00'],
    [5, '₹0.05'],
    [100, '₹1.00'],
    [299_900, '₹2,999.00'],
    [1_234_567, '₹12,345.67'],
    [12_345_678, '₹1,23,456.78'],
    [10_000_000_000, '₹10,00,00,000.00'],
  ])('%i paise → %s', (paise, text) => {
    expect(formatRupees(paise)).toBe(text);
  });

  it('refuses fractions and negatives', () => {
    expect(() => formatRupees(1.5)).toThrow(RangeError);
    expect(() => formatRupees(-1)).toThrow(RangeError);
  });
});

async function order(urls: Record<string, string> = { redirectUrl: 'https://shop.example/return?order=1' }) {
  const body = payBody({ amount: 12_345_678, paymentFlow: { type: 'PG_CHECKOUT', merchantUrls: urls } });
  const { body: created } = await caller.post('/checkout/v2/pay', body);
  return {
    id: body.merchantOrderId,
    url: created.redirectUrl as string,
    token: new URL(created.redirectUrl).searchParams.get('token')!,
  };
}

const press = (token: string, action: string, extra: Record<string, string> = {}) =>
  fetch(`${emu.url}/transact/uat_v2`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({ token, action, ...extra }),
  });

describe('hosted checkout page', () => {
  it('shows merchant, order and amount in rupees, with Pay, Fail and Cancel forms and no script', async () => {
    const { id, url } = await order();
    const response = await fetch(url);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toContain('₹1,23,456.78');
    expect(html).toContain(id);
    expect(html).toContain('PGTESTEMULATOR');
    expect(html).toMatch(/<button[^>]*value="pay"/);
    expect(html).toMatch(/<button[^>]*value="fail"/);
    expect(html).toMatch(/<button[^>]*value="cancel"/);
    expect(html).not.toContain('<script');
  });

  it('Pay completes the order, delivers the webhook first, then 302s to the unmodified redirectUrl', async () => {
    const { id, token } = await order();
    const response = await press(token, 'pay', { paymentMode: 'UPI_QR' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('https://shop.example/return?order=1');
    expect(receiver.received.at(-1)!.json).toMatchObject({
      event: 'checkout.order.completed',
      payload: { merchantOrderId: id },
    });
    expect(emu.getOrder(id)).toMatchObject({ state: 'COMPLETED', paymentDetails: [{ paymentMode: 'UPI_QR' }] });
  });

  it('Fail fails the order as declined', async () => {
    const { id, token } = await order();
    expect((await press(token, 'fail')).headers.get('location')).toBe('https://shop.example/return?order=1');
    expect(emu.getOrder(id)).toMatchObject({ state: 'FAILED', errorCode: 'INSUFFICIENT_BALANCE' });
    expect(receiver.received.at(-1)!.json.event).toBe('checkout.order.failed');
  });

  it('Cancel goes to cancelRedirectUrl when given, else redirectUrl', async () => {
    const withCancel = await order({
      redirectUrl: 'https://shop.example/ok',
      cancelRedirectUrl: 'https://shop.example/cancelled',
    });
    expect((await press(withCancel.token, 'cancel')).headers.get('location')).toBe('https://shop.example/cancelled');
    expect(emu.getOrder(withCancel.id)).toMatchObject({
      state: 'FAILED',
      errorCode: 'TXN_NOT_COMPLETED',
      paymentDetails: [],
    });
    const without = await order({ redirectUrl: 'https://shop.example/ok' });
    expect((await press(without.token, 'cancel')).headers.get('location')).toBe('https://shop.example/ok');
  });

  it('a second press changes nothing and still returns to the merchant', async () => {
    const { id, token } = await order();
    await press(token, 'pay');
    const again = await press(token, 'fail');
    expect(again.status).toBe(302);
    expect(emu.getOrder(id).state).toBe('COMPLETED');
    const page = await fetch(emu.hostedPageUrl(id)).then((r) => r.text());
    expect(page).toContain('This order is COMPLETED.');
  });

  it('under outcome pending, Pay starts a payment that stays PENDING until the order expires', async () => {
    emu.setOutcome('pending');
    try {
      const { id, token } = await order();
      expect((await press(token, 'pay', { paymentMode: 'UPI_COLLECT' })).status).toBe(302);
      expect(emu.getOrder(id)).toMatchObject({
        state: 'PENDING',
        paymentDetails: [{ state: 'PENDING', paymentMode: 'UPI_COLLECT' }],
      });
      await emu.advanceTime(600_000);
      expect(emu.getOrder(id)).toMatchObject({
        state: 'FAILED',
        detailedErrorCode: 'INTENT_EXPIRED',
        paymentDetails: [{ state: 'FAILED' }],
      });
    } finally {
      emu.setOutcome('manual');
    }
  });

  it('shows an expired order as expired', async () => {
    const { url } = await order();
    await emu.advanceTime(600_000);
    expect(await fetch(url).then((r) => r.text())).toContain('This payment request has expired.');
  });

  it('answers an unknown token or action with an HTML 404/400', async () => {
    const missing = await fetch(`${emu.url}/transact/uat_v2?token=nope`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('Payment link not found');
    const { token } = await order();
    expect((await press(token, 'refund')).status).toBe(400);
  });

  it('the mandate variant shows frequency, max amount and first debit', async () => {
    const body = checkoutSetupBody({
      amount: 100,
      subscriptionDetails: { frequency: 'WEEKLY', maxAmount: 1_500_000, authWorkflowType: 'TRANSACTION' },
    });
    const { body: created } = await caller.post('/checkout/v2/pay', body);
    const html = await fetch(created.redirectUrl).then((r) => r.text());
    expect(html).toContain('WEEKLY');
    expect(html).toContain('₹15,000.00');
    expect(html).toContain('₹1.00');
    expect(html).toMatch(/<button[^>]*value="pay"[^>]*>Approve</);
  });
});

describe('requireReferrer', () => {
  const started: Awaited<ReturnType<typeof startEmulatorWithReceiver>>[] = [];
  afterAll(async () => {
    for (const s of started) await s.close();
  });

  async function emulatorWith(requireReferrer: boolean | string[]) {
    const s = await startEmulatorWithReceiver(Date.parse('2026-01-01T00:00:00Z'), { requireReferrer });
    started.push(s);
    const body = payBody();
    const { body: created } = await s.caller.post('/checkout/v2/pay', body);
    const load = (referer?: string) =>
      fetch(created.redirectUrl, referer === undefined ? {} : { headers: { referer } });
    return { s, id: body.merchantOrderId, load };
  }

  it('refuses a PayPage load without a referrer with 403, and the order is untouched', async () => {
    const { s, id, load } = await emulatorWith(true);
    const refused = await load();
    expect(refused.status).toBe(403);
    expect(await refused.text()).toMatch(
      /data-testid="referrer-refused".*opened without a referrer from the merchant's site/s,
    );
    expect(s.emu.getOrder(id).state).toBe('PENDING');
    // Any referrer will do with `true`: a same-tab navigation from the merchant's page sends its origin.
    const allowed = await load('https://shop.example/');
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain(id);
  });

  it('with a list of origins, only a referrer from one of them opens the page', async () => {
    const { load } = await emulatorWith(['https://shop.example', 'http://127.0.0.1:3000/billing']);
    expect((await load('https://shop.example/billing?tab=plans')).status).toBe(200);
    expect((await load('http://127.0.0.1:3000/')).status).toBe(200);
    expect((await load('https://evil.example/')).status).toBe(403);
    expect((await load('https://shop.example.evil.example/')).status).toBe(403);
    expect((await load('not a url')).status).toBe(403);
    expect((await load()).status).toBe(403);
  });

  it('is off by default, and never applies to the form POST or the checkout script', async () => {
    const { url } = await order();
    expect((await fetch(url)).status).toBe(200);
    const { s, id, load } = await emulatorWith(true);
    const token = new URL((await load('https://shop.example/')).url).searchParams.get('token')!;
    const paid = await fetch(`${s.emu.url}/transact/uat_v2`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({ token, action: 'pay' }),
    });
    expect(paid.status).toBe(302);
    expect(s.emu.getOrder(id).state).toBe('COMPLETED');
    expect((await fetch(s.emu.checkoutScriptUrl)).status).toBe(200);
  });

  it('refuses an empty origin list and a non-URL origin', async () => {
    await expect(startEmulatorWithReceiver(0, { requireReferrer: [] })).rejects.toThrow(
      /requireReferrer needs at least one origin/,
    );
    await expect(startEmulatorWithReceiver(0, { requireReferrer: ['shop.example'] })).rejects.toThrow(
      /requireReferrer/,
    );
  });
});

describe('checkout.js stand-in', () => {
  it('is served at /web/bundle/checkout.js as JavaScript defining PhonePeCheckout.transact and closePage', async () => {
    expect(emu.checkoutScriptUrl).toBe(`${emu.url}/web/bundle/checkout.js`);
    const response = await fetch(emu.checkoutScriptUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const source = await response.text();
    expect(source).toContain('window.PhonePeCheckout = { transact: transact, closePage: closePage }');
  });

  it('inside its iframe (frame=1), a button answers with a message page instead of a redirect', async () => {
    const { id, url, token } = await order();
    const framed = await fetch(`${url}&frame=1`).then((r) => r.text());
    expect(framed).toContain('<input type="hidden" name="frame" value="1">');
    const paid = await press(token, 'pay', { frame: '1' });
    expect(paid.status).toBe(200);
    expect(await paid.text()).toContain(
      'window.parent.postMessage({"source":"phonepe-emulator-paypage","response":"CONCLUDED"}',
    );
    expect(emu.getOrder(id).state).toBe('COMPLETED');
    const other = await order();
    const cancelled = await press(other.token, 'cancel', { frame: '1' });
    expect(await cancelled.text()).toContain('"response":"USER_CANCEL"');
  });
});
