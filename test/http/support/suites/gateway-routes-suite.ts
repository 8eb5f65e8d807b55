import { createHmac } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HttpResult } from '../api-client.js';
import { RETURN_URL } from '../http-harness.js';
import { createPayment, useMountedApi, type Mount } from '../mounted-api.js';
import { storeSnapshot } from '../store-snapshot.js';

/** How the mount hands a Razorpay webhook body to the billing routes. */
export interface GatewayRoutesOptions {
  /** The billing routes' full path prefix on this mount (mount point + basePath), e.g. `/billing/v1`. */
  prefix: string;
  /**
   * `raw` (default): the body arrives as sent. `reserialised`: a host JSON parser ran first and the adapter
   * can only hand on `JSON.stringify` of what it parsed — Razorpay's HMAC covers the bytes sent, so a body
   * that does not round-trip byte for byte no longer verifies.
   */
  hostParsedJson?: 'raw' | 'reserialised';
}

const CUSTOMER = { name: 'Asha Rao', email: 'asha@example.com', contact: '+919876543210' };

/** Answers the mounted webhook route gave the Razorpay emulator's deliveries. */
interface WebhookAnswer {
  body: string;
  status: number;
  json: any;
}

/**
 * The routes for gateways without a hosted payment page (Razorpay): `POST /payments/create` with `gateway`,
 * `GET /payments/checkout`, `POST /payments/callback` and `POST /payments/webhook/{gateway}`, against the
 * Razorpay emulator over HTTP, whose webhooks go to the mounted app's own route through the mount's transport.
 */
export function describeGatewayRoutes(label: string, mount: Mount, options: GatewayRoutesOptions): void {
  const { prefix } = options;
  const publicBase = `https://api.example.com${prefix}`;
  describe(`${label}: Razorpay checkout page, posted callback and gateway webhook`, () => {
    const ctx = useMountedApi(mount, { razorpay: true, config: { callbackUrl: `${publicBase}/payments/callback` } });
    const answers: WebhookAnswer[] = [];
    beforeAll(() => {
      ctx.h.setRazorpayWebhookSink(async ({ body, headers }) => {
        const res = await postRazorpayWebhook(body, headers);
        answers.push({ body, status: res.status, json: res.json });
        return res.status;
      });
    });

    const rzp = () => {
      if (!ctx.h.rzp) throw new Error('the harness runs without the Razorpay emulator');
      return ctx.h.rzp;
    };
    const postRazorpayWebhook = (body: string, headers: Record<string, string>, gateway = 'razorpay') =>
      ctx.api.post(`/payments/webhook/${gateway}`, { as: null, body, headers });
    const sign = (body: string) => createHmac('sha256', rzp().credentials.webhookSecret).update(body).digest('hex');
    const razorpayOrderOf = async (orderId: string) => {
      const id = (await ctx.h.billing.getPayment(orderId))?.phonepeOrderId;
      if (!id) throw new Error(`order ${orderId} has no Razorpay order`);
      return id;
    };
    const createOnRazorpay = async (tenant: string, extra: Record<string, unknown> = {}) => {
      const { json } = await createPayment(ctx.api, tenant, 'pro', '2999.00', { gateway: 'razorpay', ...extra });
      return { orderId: json.order_id as string, razorpayOrderId: await razorpayOrderOf(json.order_id), json };
    };
    const checkoutPage = (orderId: string, headers: Record<string, string> = {}) =>
      ctx.api.get(`/payments/checkout?order_id=${orderId}`, { as: null, headers });
    const postForm = (orderId: string, body: string | Uint8Array, contentType = 'application/x-www-form-urlencoded') =>
      ctx.api.post(`/payments/callback?order_id=${orderId}`, {
        as: null,
        body,
        headers: { 'content-type': contentType },
      });
    const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
    const stateOf = async (orderId: string) => (await ctx.h.billing.getPayment(orderId))?.state;
    /** Runs `body` with the emulator's webhooks held, then lets them go (so only the route under test settles). */
    const withWebhooksHeld = async <T>(body: () => Promise<T>): Promise<T> => {
      rzp().webhooks.hold();
      try {
        return await body();
      } finally {
        await rzp().webhooks.release();
      }
    };
    const heldDelivery = (razorpayOrderId: string, event: string) => {
      const found = rzp()
        .webhooks.deliveries.filter((d) => d.event === event && d.body.includes(razorpayOrderId))
        .at(-1);
      if (!found) throw new Error(`the emulator made no ${event} webhook for ${razorpayOrderId}`);
      return found;
    };
    const expectLocation = (res: HttpResult, status: number, orderId: string, paymentStatus: string) => {
      expect(res.status).toBe(status);
      const location = new URL(res.headers.get('location') as string);
      expect(location.origin + location.pathname).toBe(RETURN_URL);
      expect(Object.fromEntries(location.searchParams)).toEqual({ payment_status: paymentStatus, order_id: orderId });
    };

    it('POST /payments/create with gateway razorpay answers our checkout page (mount point included) as payment_url', async () => {
      const { orderId, razorpayOrderId, json } = await createOnRazorpay('ws_rzp_create');
      expect(json).toMatchObject({ status: 'success', gateway: 'razorpay', amount_paise: 299_900, autopay: false });
      const url = new URL(json.payment_url);
      expect(url.origin + url.pathname).toBe(`${publicBase}/payments/checkout`);
      expect(Object.fromEntries(url.searchParams)).toEqual({ order_id: orderId });
      expect(rzp().getOrder(razorpayOrderId)).toMatchObject({ receipt: orderId, amount: 299_900, status: 'created' });
      // The route the URL names is this mount's own: the page answers there.
      expect((await checkoutPage(orderId)).status).toBe(200);
      expect(ctx.h.logger.entries.filter((e) => /callbackUrl/.test(e.msg ?? ''))).toEqual([]);
    });

    it('an unknown gateway is 400 and stores nothing; autopay on Razorpay needs the customer', async () => {
      const before = await storeSnapshot(ctx.h.store, ['ws_rzp_unknown', 'ws_rzp_autopay']);
      const send = (tenant: string, extra: Record<string, unknown>) =>
        ctx.api.post('/payments/create', {
          tenant,
          json: { plan_id: 'pro', amount: '2999.00', return_url: RETURN_URL, ...extra },
        });
      const unknown = await send('ws_rzp_unknown', { gateway: 'stripe' });
      expect([unknown.status, unknown.json.error.code]).toEqual([400, 'INVALID_INPUT']);
      const bare = await send('ws_rzp_autopay', { gateway: 'razorpay', autopay: true });
      expect([bare.status, bare.json.error.code]).toEqual([400, 'INVALID_INPUT']);
      expect(await storeSnapshot(ctx.h.store, ['ws_rzp_unknown', 'ws_rzp_autopay'])).toEqual(before);
      const mandate = await send('ws_rzp_autopay', { gateway: 'razorpay', autopay: true, customer: CUSTOMER });
      expect(mandate.status).toBe(200);
      expect(mandate.json).toMatchObject({ gateway: 'razorpay', autopay: true });
      const page = await checkoutPage(mandate.json.order_id);
      expect(page.text).toContain('"recurring":"1"');
      expect(page.text).toMatch(/"customer_id":"cust_\w+"/);
    });

    it('GET /payments/checkout is a no-store, unframeable page that opens the script for the Razorpay order', async () => {
      const { orderId, razorpayOrderId } = await createOnRazorpay('ws_rzp_page', { customer: CUSTOMER });
      const res = await checkoutPage(orderId, { accept: 'text/html' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.text).toContain(`<script src="${rzp().checkoutScriptUrl}"></script>`);
      expect(res.text).toContain('₹2,999.00');
      expect(embeddedOptions(res.text)).toEqual({
        key: rzp().credentials.keyId,
        order_id: razorpayOrderId,
        amount: 299_900,
        currency: 'INR',
        callback_url: `${publicBase}/payments/callback?order_id=${orderId}`,
        redirect: true,
        prefill: CUSTOMER,
      });
    });

    it('the page embeds what the payer typed as data: no </script> or line separator breaks out of the script', async () => {
      const name = '</script><script>alert(1)</script>\u2028x\u2029<!--';
      const { orderId } = await createOnRazorpay('ws_rzp_inject', { customer: { ...CUSTOMER, name } });
      const res = await checkoutPage(orderId);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain('<script>alert(1)');
      expect(res.text).not.toContain('<!--');
      expect(res.text.match(/<\/script>/g)).toHaveLength(2);
      // Not dropped or mangled either: the script reads exactly the name that was stored.
      expect(embeddedOptions(res.text).prefill.name).toBe(name);
    });

    it('GET /payments/checkout: unknown order 404 (a page for browsers), PhonePe order 404, bad order_id 400', async () => {
      const json = await checkoutPage('ord_nope');
      expect([json.status, json.json.error.code]).toEqual([404, 'PAYMENT_NOT_FOUND']);
      const html = await checkoutPage('ord_nope', { accept: 'text/html,application/xhtml+xml' });
      expect(html.status).toBe(404);
      expect(html.headers.get('content-type')).toMatch(/^text\/html/);
      expect(html.text).toContain('Payment not found');
      const phonepe = await createPayment(ctx.api, 'ws_rzp_pp', 'pro', '2999.00', { gateway: 'phonepe' });
      expect(phonepe.json.gateway).toBe('phonepe');
      const onPhonePe = await checkoutPage(phonepe.json.order_id);
      expect([onPhonePe.status, onPhonePe.json.error.code]).toEqual([404, 'PAYMENT_NOT_FOUND']);
      for (const query of [
        '',
        '?order_id=',
        '?order_id=a%20b',
        '?order_id=a&order_id=b',
        `?order_id=${'x'.repeat(64)}`,
      ]) {
        const bad = await ctx.api.get(`/payments/checkout${query}`, { as: null });
        expect([query, bad.status, bad.json.error.code]).toEqual([query, 400, 'INVALID_INPUT']);
      }
    });

    it('odd methods on the new routes are 405 with Allow', async () => {
      const cases: Array<[string, string, string]> = [
        ['POST', '/payments/checkout?order_id=ord_x', 'GET'],
        ['PUT', '/payments/checkout?order_id=ord_x', 'GET'],
        ['DELETE', '/payments/callback?order_id=ord_x', 'GET, POST'],
        ['PUT', '/payments/callback?order_id=ord_x', 'GET, POST'],
        ['GET', '/payments/webhook/razorpay', 'POST'],
        ['PATCH', '/payments/webhook/razorpay', 'POST'],
      ];
      for (const [method, path, allow] of cases) {
        const res = await ctx.api.send(method, path, { as: null });
        expect([method, path, res.status, res.headers.get('allow'), res.json?.error.code]).toEqual([
          method,
          path,
          405,
          allow,
          'METHOD_NOT_ALLOWED',
        ]);
      }
    });

    it('POST /payments/callback with the emulator’s signed answer settles the payment and sends the payer on (303)', async () => {
      const { orderId, razorpayOrderId } = await createOnRazorpay('ws_rzp_back');
      await withWebhooksHeld(async () => {
        const answer = await rzp().payOrder(razorpayOrderId);
        expect(answer.razorpay_order_id).toBe(razorpayOrderId);
        expect(await stateOf(orderId)).toBe('pending');
        const res = await postForm(orderId, form({ ...answer }));
        expectLocation(res, 303, orderId, 'completed');
        expect(res.headers.get('cache-control')).toBe('no-store');
        expect(await stateOf(orderId)).toBe('completed');
      });
      // Settled now: the page sends a returning payer on to the callback instead of opening the script.
      const again = await checkoutPage(orderId);
      expect([again.status, again.headers.get('location')]).toEqual([
        303,
        `${publicBase}/payments/callback?order_id=${orderId}`,
      ]);
    });

    it('a forged signature, or another order’s genuine answer, is 400 CHECKOUT_RETURN_INVALID and changes nothing', async () => {
      const a = await createOnRazorpay('ws_rzp_forged');
      const b = await createOnRazorpay('ws_rzp_forged');
      await withWebhooksHeld(async () => {
        const paidA = await rzp().payOrder(a.razorpayOrderId);
        const paidB = await rzp().payOrder(b.razorpayOrderId);
        const before = await storeSnapshot(ctx.h.store, ['ws_rzp_forged']);
        const flipped = `${paidA.razorpay_signature.slice(0, -1)}${paidA.razorpay_signature.endsWith('0') ? '1' : '0'}`;
        const attempts = [
          { ...paidA, razorpay_signature: flipped }, // forged
          { ...paidB }, // B's genuine answer, posted for A
          { ...paidA, razorpay_payment_id: paidB.razorpay_payment_id }, // A's order with B's payment
          { ...paidA, razorpay_signature: '' }, // an empty signature is still a claim to be signed
        ];
        for (const fields of attempts) {
          const res = await postForm(a.orderId, form(fields));
          expect([res.status, res.json.error.code]).toEqual([400, 'CHECKOUT_RETURN_INVALID']);
        }
        // The payer's browser gets a page that says the payment was not confirmed (not "not found").
        const page = await ctx.api.post(`/payments/callback?order_id=${a.orderId}`, {
          as: null,
          body: form({ ...paidA, razorpay_signature: flipped }),
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        });
        expect(page.status).toBe(400);
        expect(page.text).toContain('<h1>Payment not confirmed</h1>');
        expect(await storeSnapshot(ctx.h.store, ['ws_rzp_forged'])).toEqual(before);
        expect(await stateOf(a.orderId)).toBe('pending');
      });
    });

    it('a post the callback cannot trust as a form is refused (415, 400, 413) and changes nothing', async () => {
      const { orderId, razorpayOrderId } = await createOnRazorpay('ws_rzp_oddpost');
      await withWebhooksHeld(async () => {
        const paid = await rzp().payOrder(razorpayOrderId);
        const genuine = form({ ...paid });
        const before = await storeSnapshot(ctx.h.store, ['ws_rzp_oddpost']);
        const asJson = await postForm(orderId, JSON.stringify(paid), 'application/json');
        expect([asJson.status, asJson.json.error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
        const bad: Array<[string, string | Uint8Array, number]> = [
          ['repeated field', `${genuine}&razorpay_payment_id=${paid.razorpay_payment_id}`, 400],
          // In a signed field: a host form parser (qs) that keeps an undecodable escape as text still fails the signature.
          ['NUL in a value', genuine.replace('razorpay_signature=', 'razorpay_signature=%00'), 400],
          ['lone surrogate', genuine.replace('razorpay_signature=', 'razorpay_signature=%ED%A0%80'), 400],
          ['raw invalid UTF-8', new Uint8Array([...new TextEncoder().encode(`${genuine}&note=`), 0xff]), 400],
          ['odd field name', `${genuine}&no%20te=x`, 400],
          ['1 MB body', `${genuine}&note=${'x'.repeat(1024 * 1024)}`, 413],
        ];
        for (const [what, body, status] of bad) {
          const res = await postForm(orderId, body);
          expect([what, res.status]).toEqual([what, status]);
          expect(res.headers.get('location')).toBeNull();
        }
        expect(await storeSnapshot(ctx.h.store, ['ws_rzp_oddpost'])).toEqual(before);
        // The genuine post still goes through afterwards.
        expectLocation(await postForm(orderId, genuine), 303, orderId, 'completed');
      });
    });

    it('an unsigned post (the script’s failure fields) sends the payer on with the stored state, pending', async () => {
      const { orderId, razorpayOrderId } = await createOnRazorpay('ws_rzp_failpost');
      const failure = await rzp().failOrder(razorpayOrderId, { code: 'BAD_REQUEST_ERROR' });
      const res = await postForm(
        orderId,
        form({
          'error[code]': failure.error.code,
          'error[description]': failure.error.description,
          'error[metadata][order_id]': failure.error.metadata.order_id,
          'error[metadata][payment_id]': failure.error.metadata.payment_id,
        }),
      );
      expectLocation(res, 303, orderId, 'pending');
      expect(await stateOf(orderId)).toBe('pending');
      // The order is still open at Razorpay: the page opens the script again for another try.
      expect((await checkoutPage(orderId)).status).toBe(200);
    });

    it('POST /payments/webhook/razorpay: the emulator’s deliveries settle the payment once; a resend is a 200 duplicate', async () => {
      const { orderId, razorpayOrderId } = await createOnRazorpay('ws_rzp_hook');
      const seen = answers.length;
      await rzp().payOrder(razorpayOrderId);
      const mine = answers.slice(seen).filter((a) => a.body.includes(razorpayOrderId));
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.map((a) => a.status)).toEqual(mine.map(() => 200));
      expect(mine.map((a) => a.json.outcome)).toContain('processed');
      expect(await stateOf(orderId)).toBe('completed');
      const captured = heldDelivery(razorpayOrderId, 'payment.captured');
      const before = answers.length;
      await rzp().webhooks.resend(captured.id);
      expect(answers.slice(before).map((a) => [a.status, a.json.outcome])).toEqual([[200, 'duplicate']]);
      const { data } = (await ctx.api.get('/subscriptions', { tenant: 'ws_rzp_hook', as: 'member' })).json;
      expect(data.subscription).toMatchObject({ plan_id: 'pro', status: 'active' });
    });

    it('a forged, missing or stale signature is 401 WEBHOOK_REJECTED; signed garbage 400; other gateways 404', async () => {
      const { orderId, razorpayOrderId } = await createOnRazorpay('ws_rzp_forgedhook');
      await withWebhooksHeld(async () => {
        await rzp().payOrder(razorpayOrderId);
        const { body } = heldDelivery(razorpayOrderId, 'payment.captured');
        const headers = { 'content-type': 'application/json', 'x-razorpay-event-id': 'evt_forged_test01' };
        const refusals: Array<[string, string, Record<string, string>]> = [
          ['forged', body, { ...headers, 'x-razorpay-signature': 'f'.repeat(64) }],
          ['missing', body, headers],
          ['tampered body', body.replace('"captured"', '"failed"'), { ...headers, 'x-razorpay-signature': sign(body) }],
        ];
        for (const [what, sent, sentHeaders] of refusals) {
          const res = await postRazorpayWebhook(sent, sentHeaders);
          expect([what, res.status, res.json.error.code]).toEqual([what, 401, 'WEBHOOK_REJECTED']);
        }
        expect(await stateOf(orderId)).toBe('pending');
        for (const garbage of ['not json', '[]', '{"entity":"event"}']) {
          const res = await postRazorpayWebhook(garbage, { ...headers, 'x-razorpay-signature': sign(garbage) });
          expect([garbage, res.status]).toEqual([garbage, 400]);
        }
        const signed = { ...headers, 'x-razorpay-signature': sign(body) };
        for (const gateway of ['stripe', 'phonepe', 'RAZORPAY']) {
          const res = await postRazorpayWebhook(body, signed, gateway);
          expect([gateway, res.status, res.json.error.code]).toEqual([gateway, 404, 'NOT_FOUND']);
        }
        const malformed = await postRazorpayWebhook(body, signed, 'razorpay%2F..');
        expect([malformed.status, malformed.json.error.code]).toEqual([400, 'INVALID_INPUT']);
        expect(await stateOf(orderId)).toBe('pending');
      });
      expect(await stateOf(orderId)).toBe('completed');
    });

    const parsedFirst = options.hostParsedJson === 'reserialised';
    it(
      parsedFirst
        ? 'after the host’s JSON parser, a body that does not re-serialise byte for byte fails the signature: 401'
        : 'a signed body with whitespace Razorpay might send verifies on its raw bytes: 200',
      async () => {
        const { orderId, razorpayOrderId } = await createOnRazorpay('ws_rzp_pretty');
        await withWebhooksHeld(async () => {
          await rzp().payOrder(razorpayOrderId);
          const delivery = heldDelivery(razorpayOrderId, 'payment.captured');
          const pretty = JSON.stringify(JSON.parse(delivery.body), null, 2);
          const res = await postRazorpayWebhook(pretty, {
            'content-type': 'application/json',
            'x-razorpay-signature': sign(pretty),
            'x-razorpay-event-id': 'evt_pretty_test01',
          });
          if (parsedFirst) {
            expect([res.status, res.json.error.code]).toEqual([401, 'WEBHOOK_REJECTED']);
            expect(await stateOf(orderId)).toBe('pending');
          } else {
            expect([res.status, res.json.outcome]).toEqual([200, 'processed']);
            expect(await stateOf(orderId)).toBe('completed');
          }
        });
      },
    );
  });
}

/** The `options` object the checkout page hands the gateway's script, as the script would read it. */
function embeddedOptions(page: string): any {
  const literal = /var options = (.*);\n/.exec(page)?.[1];
  if (!literal) throw new Error('the page embeds no options');
  return JSON.parse(literal);
}
