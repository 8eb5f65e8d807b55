import { describe, expect, it } from 'vitest';
import type { HttpResult } from '../api-client.js';
import { RETURN_URL, type HttpHarnessOptions } from '../http-harness.js';
import {
  emulatorWebhookBody,
  postWebhook,
  subscribe,
  useMountedApi,
  webhookAuthorization,
  type Mount,
} from '../mounted-api.js';
import { storeSnapshot } from '../store-snapshot.js';

const create = (fields: Record<string, unknown> = {}) => ({
  plan_id: 'pro',
  amount: '2999.00',
  return_url: RETURN_URL,
  ...fields,
});

const NUL = 'stop\u0000here';
const LONE_SURROGATE = 'half an emoji \ud83d';
/** A JSON text `depth` arrays deep around `inner`. */
const nestedJson = (depth: number, inner = '1') => `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;

/** Every kind of bad input is a 4xx with a code, and nothing is written. */
export function describeBadInput(label: string, mount: Mount, harness: HttpHarnessOptions = {}): void {
  describe(`${label}: bad input`, () => {
    const ctx = useMountedApi(mount, harness);
    const WS = 'ws_bad';
    const WATCHED = [WS, 'ws_bad_new'];
    let orderId = '';
    const expectRefused = async (res: Promise<HttpResult>, status: number, code: string) => {
      const before = await storeSnapshot(ctx.h.store, WATCHED);
      const result = await res;
      expect([result.status, result.json?.status, result.json?.error?.code]).toEqual([status, 'error', code]);
      expect(typeof result.json.error.message).toBe('string');
      expect(await storeSnapshot(ctx.h.store, WATCHED)).toEqual(before);
      return result;
    };

    it('sets up a paid workspace', async () => {
      orderId = await subscribe(ctx.h, ctx.api, WS);
    });

    it('refuses bodies that are not JSON objects', async () => {
      const post = (body: string | Uint8Array, contentType?: string) =>
        ctx.api.post('/payments/create', {
          tenant: WS,
          body,
          headers: contentType ? { 'content-type': contentType } : {},
        });
      await expectRefused(post(JSON.stringify(create()), 'text/plain'), 415, 'UNSUPPORTED_MEDIA_TYPE');
      await expectRefused(post(JSON.stringify(create())), 415, 'UNSUPPORTED_MEDIA_TYPE');
      await expectRefused(
        post(JSON.stringify(create()), 'application/json; charset=latin1'),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
      await expectRefused(post('{"plan_id": "pro",', 'application/json'), 400, 'INVALID_JSON');
      await expectRefused(post('[1, 2]', 'application/json'), 400, 'INVALID_JSON');
      await expectRefused(post(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), 'application/json'), 400, 'INVALID_JSON');
    });

    it('refuses a body over the limit with 413, whatever the route', async () => {
      const big = JSON.stringify(create({ padding: 'x'.repeat(70 * 1024) }));
      await expectRefused(
        ctx.api.post('/payments/create', { tenant: WS, body: big, headers: { 'content-type': 'application/json' } }),
        413,
        'PAYLOAD_TOO_LARGE',
      );
      await expectRefused(
        ctx.api.post('/payments/webhook', {
          as: null,
          body: big,
          headers: { 'content-type': 'application/json', authorization: await webhookAuthorization() },
        }),
        413,
        'PAYLOAD_TOO_LARGE',
      );
    });

    it('names unknown and invalid fields', async () => {
      const unknown = await expectRefused(
        ctx.api.post('/payments/create', { tenant: WS, json: create({ planId: 'pro', coupon: 'FREE' }) }),
        400,
        'INVALID_INPUT',
      );
      expect(unknown.json.error.message).toContain('planId');
      expect(unknown.json.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['planId', 'coupon']);
      await expectRefused(
        ctx.api.post('/payments/create', { tenant: WS, json: { amount: '2999.00', return_url: RETURN_URL } }),
        400,
        'INVALID_INPUT',
      );
      await expectRefused(
        ctx.api.post('/payments/create', { tenant: WS, json: create({ plan_id: '../admin' }) }),
        400,
        'INVALID_INPUT',
      );
      await expectRefused(
        ctx.api.post('/payments/create', { tenant: WS, json: create({ autopay: 'yes' }) }),
        400,
        'INVALID_INPUT',
      );
      await expectRefused(
        ctx.api.put('/subscriptions/cancel', { tenant: WS, json: { at_period_end: 'no' } }),
        400,
        'INVALID_INPUT',
      );
      await expectRefused(
        ctx.api.post('/subscriptions/resume', { tenant: WS, json: { now: true } }),
        400,
        'INVALID_INPUT',
      );
      await expectRefused(ctx.api.post('/subscriptions/change-plan', { tenant: WS, json: {} }), 400, 'INVALID_INPUT');
      await expectRefused(
        ctx.api.post('/payments/create', { tenant: WS, headers: { 'idempotency-key': 'has space' }, json: create() }),
        400,
        'INVALID_INPUT',
      );
    });

    it('refuses amounts that are not exact rupees or not the plan price', async () => {
      for (const amount of ['29.999', '-2999.00', '2,999.00', '1e3', 0.1 + 0.2, null, true]) {
        await expectRefused(
          ctx.api.post('/payments/create', { tenant: 'ws_bad_new', json: create({ amount }) }),
          400,
          typeof amount === 'string' || typeof amount === 'number' ? 'INVALID_AMOUNT' : 'INVALID_INPUT',
        );
      }
      await expectRefused(
        ctx.api.post('/payments/create', { tenant: 'ws_bad_new', json: create({ amount: '999.00' }) }),
        400,
        'AMOUNT_MISMATCH',
      );
      await expectRefused(
        ctx.api.post('/payments/create', { tenant: 'ws_bad_new', json: create({ currency: 'USD' }) }),
        400,
        'CURRENCY_NOT_SUPPORTED',
      );
      await expectRefused(
        ctx.api.post('/payments/create', { tenant: 'ws_bad_new', json: create({ plan_id: 'platinum' }) }),
        404,
        'PLAN_NOT_FOUND',
      );
      await expectRefused(
        ctx.api.post(`/payments/${orderId}/refund`, { tenant: WS, json: { amount: '0.50' } }),
        400,
        'INVALID_AMOUNT',
      );
    });

    it('refuses return URLs outside the allowlist', async () => {
      for (const url of [
        'https://evil.example/billing',
        'javascript:alert(1)',
        '//evil.example',
        'https://app.example.com@evil.example/',
        'http://app.example.com/billing',
      ]) {
        await expectRefused(
          ctx.api.post('/payments/create', { tenant: 'ws_bad_new', json: create({ return_url: url }) }),
          400,
          'RETURN_URL_NOT_ALLOWED',
        );
      }
    });

    it('refuses malformed order ids in the path and the callback query', async () => {
      for (const id of ['bad!id', 'x'.repeat(64), 'ord%2F1']) {
        await expectRefused(ctx.api.get(`/payments/status/${id}`, { tenant: WS }), 400, 'INVALID_INPUT');
        await expectRefused(ctx.api.post(`/payments/${id}/refund`, { tenant: WS }), 400, 'INVALID_INPUT');
      }
      // Broken percent-encoding: Fastify's router refuses the URL itself (400, in Fastify's own body)
      // before any plugin runs; everywhere else the handler answers INVALID_INPUT. Always a 400.
      const broken = await ctx.api.get('/payments/status/%ZZ', { tenant: WS });
      expect(broken.status).toBe(400);
      await expectRefused(ctx.api.get('/payments/callback', { as: null }), 400, 'INVALID_INPUT');
      await expectRefused(
        ctx.api.get(`/payments/callback?order_id=${orderId}&order_id=other`, { as: null }),
        400,
        'INVALID_INPUT',
      );
    });

    it('answers 405 with Allow for a known path and 404 for an unknown one', async () => {
      const wrong = await expectRefused(ctx.api.get('/payments/create', { tenant: WS }), 405, 'METHOD_NOT_ALLOWED');
      expect(wrong.headers.get('allow')).toBe('POST');
      const del = await expectRefused(
        ctx.api.send('DELETE', '/subscriptions', { tenant: WS }),
        405,
        'METHOD_NOT_ALLOWED',
      );
      expect(del.headers.get('allow')).toBe('GET');
      await expectRefused(ctx.api.get('/payments/webhook', { as: null }), 405, 'METHOD_NOT_ALLOWED');
      await expectRefused(ctx.api.get('/nope', { tenant: WS }), 404, 'NOT_FOUND');
      await expectRefused(ctx.api.get('/payments/status', { tenant: WS }), 404, 'NOT_FOUND');
    });

    it('refuses webhooks without the right Authorization (401) or with a body that is no event (400)', async () => {
      const body = JSON.stringify({
        event: 'checkout.order.completed',
        payload: {
          merchantOrderId: orderId,
          orderId: 'OMO1',
          state: 'COMPLETED',
          amount: 299_900,
          expireAt: 1,
          paymentDetails: [],
        },
      });
      await expectRefused(
        ctx.api.post('/payments/webhook', { as: null, body, headers: { 'content-type': 'application/json' } }),
        401,
        'WEBHOOK_UNAUTHORIZED',
      );
      const forged = await expectRefused(
        postWebhook(ctx.api, body, { authorization: 'a'.repeat(64) }),
        401,
        'WEBHOOK_UNAUTHORIZED',
      );
      expect(forged.text).not.toContain('a'.repeat(64));
      const basic = `Basic ${btoa('emulator_webhook:emulatorPass123')}`;
      const wrongAuthType = await expectRefused(
        postWebhook(ctx.api, body, { authorization: basic }),
        401,
        'WEBHOOK_UNAUTHORIZED',
      );
      // The log says what was probably misconfigured (another dashboard auth type), never the header itself.
      const refusals = ctx.h.logger.entries.filter((e) => e.msg?.startsWith('PhonePe webhook refused'));
      expect(refusals.map((e) => e.obj.hint)).toEqual(expect.arrayContaining(['credentials_differ', 'not_sha256']));
      expect(refusals.find((e) => e.obj.hint === 'not_sha256')?.msg).toMatch(/Basic \(SHA\)/);
      expect(JSON.stringify(ctx.h.logger.entries)).not.toContain(basic.slice(6));
      expect(wrongAuthType.json.error.message).toMatch(/Basic \(SHA\)/);
      await expectRefused(postWebhook(ctx.api, '{"event": '), 400, 'WEBHOOK_MALFORMED');
      await expectRefused(postWebhook(ctx.api, '[]'), 400, 'WEBHOOK_MALFORMED');
    });

    it('refuses a NUL character or a lone surrogate in any string of a body with 400 INVALID_CHARACTERS naming the field', async () => {
      const errorsBefore = ctx.h.logger.entries.filter((e) => e.level === 'error').length;
      for (const bad of [NUL, LONE_SURROGATE]) {
        const problem = bad === NUL ? 'nul_character' : 'lone_surrogate';
        const cases: Array<[Promise<HttpResult>, string]> = [
          [
            ctx.api.put('/subscriptions/cancel', { tenant: WS, json: { cancellation_reason: bad } }),
            'cancellation_reason',
          ],
          [
            ctx.api.post(`/payments/${orderId}/refund`, { tenant: WS, json: { amount: '1.00', reason: bad } }),
            'reason',
          ],
          [
            ctx.api.post('/payments/create', {
              tenant: 'ws_bad_new',
              json: create({ return_url: `${RETURN_URL}?${bad}` }),
            }),
            'return_url',
          ],
          [ctx.api.post('/payments/create', { tenant: 'ws_bad_new', json: create({ currency: bad }) }), 'currency'],
          [
            ctx.api.post('/subscriptions/change-plan', { tenant: WS, json: { plan_id: 'starter', return_url: bad } }),
            'return_url',
          ],
          [ctx.api.post('/subscriptions/resume', { tenant: WS, json: { [bad]: true } }), JSON.stringify(bad)],
        ];
        for (const [request, field] of cases) {
          const refused = await expectRefused(request, 400, 'INVALID_CHARACTERS');
          expect(refused.json.error.details).toEqual({ field, problem });
          expect(refused.json.error.message).toContain(field);
        }
      }
      expect(ctx.h.logger.entries.filter((e) => e.level === 'error').length).toBe(errorsBefore);
    });

    it('refuses an authenticated webhook with a NUL character or a lone surrogate in any string, storing nothing', async () => {
      const genuine = JSON.parse(emulatorWebhookBody(ctx.h, orderId));
      for (const [body, field] of [
        [{ ...genuine, payload: { ...genuine.payload, note: NUL } }, 'payload.note'],
        [
          { ...genuine, payload: { ...genuine.payload, paymentDetails: [{ transactionId: LONE_SURROGATE }] } },
          'payload.paymentDetails.0.transactionId',
        ],
        [{ event: 'some.future.event', payload: { text: NUL } }, 'payload.text'],
      ] as const) {
        const refused = await expectRefused(postWebhook(ctx.api, JSON.stringify(body)), 400, 'INVALID_CHARACTERS');
        expect(refused.json.error.details).toEqual({ reason: 'invalid_characters', field });
      }
    });

    it('refuses JSON nested more than 64 levels (20,000 included) with 400 JSON_TOO_DEEP, without a stack overflow', async () => {
      const errorsBefore = ctx.h.logger.entries.filter((e) => e.level === 'error').length;
      const deepWebhook = `{"event":"checkout.order.completed","payload":{"merchantOrderId":"${orderId}","extra":${nestedJson(20_000)}}}`;
      const webhook = await expectRefused(postWebhook(ctx.api, deepWebhook), 400, 'JSON_TOO_DEEP');
      expect(webhook.json.error.details).toEqual({ reason: 'too_deeply_nested' });
      await expectRefused(
        postWebhook(ctx.api, `{"event":"some.future.event","payload":{"x":${nestedJson(20_000)}}}`),
        400,
        'JSON_TOO_DEEP',
      );
      // Unauthenticated, it is never parsed: 401.
      await expectRefused(
        ctx.api.post('/payments/webhook', {
          as: null,
          body: deepWebhook,
          headers: { 'content-type': 'application/json' },
        }),
        401,
        'WEBHOOK_UNAUTHORIZED',
      );
      const route = await expectRefused(
        ctx.api.put('/subscriptions/cancel', {
          tenant: WS,
          body: `{"cancellation_reason":${nestedJson(20_000, '"x"')}}`,
          headers: { 'content-type': 'application/json' },
        }),
        400,
        'JSON_TOO_DEEP',
      );
      expect(route.json.error.details).toEqual({ max_depth: 64 });
      await expectRefused(
        ctx.api.put('/subscriptions/cancel', {
          tenant: WS,
          body: `{"a":${nestedJson(64)}}`,
          headers: { 'content-type': 'application/json' },
        }),
        400,
        'JSON_TOO_DEEP',
      );
      // 64 levels in all is the most accepted: this body is then refused for its unknown field only.
      await expectRefused(
        ctx.api.put('/subscriptions/cancel', {
          tenant: WS,
          body: `{"a":${nestedJson(63)}}`,
          headers: { 'content-type': 'application/json' },
        }),
        400,
        'INVALID_INPUT',
      );
      expect(ctx.h.logger.entries.filter((e) => e.level === 'error').length).toBe(errorsBefore);
      expect(JSON.stringify(ctx.h.logger.entries)).not.toMatch(/\n\s+at /);
    });
  });
}
