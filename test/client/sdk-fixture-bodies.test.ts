// The client fed the bodies PhonePe's own SDK fixtures use (test/client/support/sdk-fixture-bodies.ts),
// not bodies our emulator makes up: PhonePe's SDKs are tested against these, so real answers can be this
// sparse. Every one must parse (or map to the right error class), and the parsed value must keep what came.
import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  isPhonePeBadRequestError,
  isPhonePeNotFoundError,
  isPhonePeServerError,
  type PhonePeError,
} from '../../src/client/index.js';
import { verifyWebhook } from '../../src/webhooks/verify-webhook.js';
import { capture, createHarness, SANDBOX, tokenEndpoint, useMswServer } from './support/fake-phonepe.js';
import {
  CREATE_BODIES,
  ERROR_BODIES,
  ORDER_STATUS_BODIES,
  REFUND_STATUS_BODIES,
  SDK_FIXTURE_AUTHORIZATION,
  SUBSCRIPTION_STATUS_BODIES,
  TOKEN_BODIES,
  WEBHOOK_BODIES,
} from './support/sdk-fixture-bodies.js';

const server = useMswServer();
const redirectUrl = 'https://app.example.com/return';

function harness() {
  const h = createHarness({ retry: { limit: 0 } });
  server.use(tokenEndpoint(h.clock).handler);
  return h;
}

describe('PhonePe SDK fixture bodies', () => {
  it.each(Object.entries(ORDER_STATUS_BODIES))('order status: %s parses and keeps its fields', async (_name, body) => {
    const { client } = harness();
    server.use(capture('get', `${SANDBOX}/checkout/v2/order/ord_1/status`, () => HttpResponse.json(body)).handler);
    const status = await client.getOrderStatus('ord_1');
    expect(status).toMatchObject(body);
  });

  it.each(Object.entries(REFUND_STATUS_BODIES))(
    'refund status: %s parses (no refundId needed)',
    async (_name, body) => {
      const { client } = harness();
      server.use(capture('get', `${SANDBOX}/payments/v2/refund/rf_1/status`, () => HttpResponse.json(body)).handler);
      expect(await client.getRefundStatus('rf_1')).toMatchObject(body);
    },
  );

  it.each([
    ['refund', CREATE_BODIES.refund],
    ['refund in an undocumented state', CREATE_BODIES.refundCreated],
    ['refund without refundId or amount', CREATE_BODIES.refundBare],
  ])('refund answer: %s parses', async (_name, body) => {
    const { client } = harness();
    server.use(capture('post', `${SANDBOX}/payments/v2/refund`, () => HttpResponse.json(body)).handler);
    expect(
      await client.refund({ merchantRefundId: 'rf_1', originalMerchantOrderId: 'ord_1', amount: 100 }),
    ).toMatchObject(body);
  });

  it('pay and SDK order answers parse', async () => {
    const { client } = harness();
    server.use(
      capture('post', `${SANDBOX}/checkout/v2/pay`, () => HttpResponse.json(CREATE_BODIES.pay)).handler,
      capture('post', `${SANDBOX}/checkout/v2/sdk/order`, () => HttpResponse.json(CREATE_BODIES.sdkOrder)).handler,
    );
    const flow = { type: 'PG_CHECKOUT' as const, merchantUrls: { redirectUrl } };
    expect(await client.pay({ merchantOrderId: 'ord_1', amount: 100, paymentFlow: flow })).toMatchObject(
      CREATE_BODIES.pay,
    );
    expect(await client.createSdkOrder({ merchantOrderId: 'ord_2', amount: 100, paymentFlow: flow })).toMatchObject(
      CREATE_BODIES.sdkOrder,
    );
  });

  it('autopay answers parse: subscription status, notify without expireAt, redeem with and without transactionId, API setup', async () => {
    const { client } = harness();
    server.use(
      capture('get', `${SANDBOX}/subscriptions/v2/sub_1/status`, () =>
        HttpResponse.json(SUBSCRIPTION_STATUS_BODIES.python),
      ).handler,
      capture('get', `${SANDBOX}/checkout/v2/subscriptions/sub_2/status`, () =>
        HttpResponse.json(SUBSCRIPTION_STATUS_BODIES.bare),
      ).handler,
      capture('post', `${SANDBOX}/subscriptions/v2/notify`, () => HttpResponse.json(CREATE_BODIES.notify)).handler,
      capture('post', `${SANDBOX}/subscriptions/v2/redeem`, (_request, index) =>
        HttpResponse.json(index === 0 ? CREATE_BODIES.redeem : CREATE_BODIES.redeemBare),
      ).handler,
      capture('post', `${SANDBOX}/subscriptions/v2/setup`, () => HttpResponse.json(CREATE_BODIES.apiSetup)).handler,
    );
    expect(await client.subscriptions.getStatus('sub_1', { family: 'api' })).toMatchObject(
      SUBSCRIPTION_STATUS_BODIES.python,
    );
    expect(await client.subscriptions.getStatus('sub_2')).toMatchObject(SUBSCRIPTION_STATUS_BODIES.bare);
    const notified = await client.subscriptions.notifyRedemption({
      merchantOrderId: 'n_1',
      amount: 100,
      paymentFlow: { type: 'SUBSCRIPTION_REDEMPTION', merchantSubscriptionId: 'sub_1' },
    });
    expect(notified).toMatchObject(CREATE_BODIES.notify);
    expect(await client.subscriptions.executeRedemption('n_1', { family: 'api' })).toMatchObject(CREATE_BODIES.redeem);
    expect(await client.subscriptions.executeRedemption('n_1', { family: 'api' })).toMatchObject({ state: 'SUCCESS' });
    const setup = await client.subscriptions.setup({
      merchantOrderId: 's_1',
      amount: 200,
      paymentFlow: {
        type: 'SUBSCRIPTION_SETUP',
        merchantSubscriptionId: 'sub_3',
        authWorkflowType: 'TRANSACTION',
        amountType: 'FIXED',
        maxAmount: 200,
        frequency: 'ON_DEMAND',
        paymentMode: { type: 'UPI_INTENT' },
      },
    });
    expect(setup).toMatchObject(CREATE_BODIES.apiSetup);
  });

  it.each([
    ['204 without a body', () => new HttpResponse(null, { status: 204 })],
    ['200 with an empty body', () => new HttpResponse('', { status: 200 })],
    ['200 with {"state":"PENDING"}', () => HttpResponse.json({ state: 'PENDING' })],
  ])('cancel answered %s succeeds', async (_name, answer) => {
    const { client } = harness();
    server.use(capture('post', `${SANDBOX}/checkout/v2/subscriptions/sub_1/cancel`, answer).handler);
    await expect(client.subscriptions.cancel('sub_1')).resolves.toBeUndefined();
  });

  it.each([
    ['Python', TOKEN_BODIES.python],
    ['Node', TOKEN_BODIES.node],
  ])('the %s SDK fixture token is used as O-Bearer', async (_name, body) => {
    const { client, clock } = createHarness({ retry: { limit: 0 } });
    const issued = Math.floor(clock.now() / 1000);
    const status = capture('get', `${SANDBOX}/checkout/v2/order/ord_1/status`, () =>
      HttpResponse.json(ORDER_STATUS_BODIES.bare),
    );
    server.use(
      capture('post', `${SANDBOX}/v1/oauth/token`, () => HttpResponse.json(body(issued))).handler,
      status.handler,
    );
    await client.getOrderStatus('ord_1');
    expect(status.calls[0]?.headers.get('authorization')).toBe(`O-Bearer ${body(issued).access_token}`);
  });

  it.each([
    ['unknownOrder', isPhonePeNotFoundError, 'MERCHANT_ORDER_MAPPING_NOT_FOUND'],
    ['orderNotFound', isPhonePeNotFoundError, 'ORDER_NOT_FOUND'],
    ['badRequest', isPhonePeBadRequestError, 'BAD_REQUEST'],
    ['bothCodes', isPhonePeBadRequestError, 'OIM000'],
    ['spacedCode', isPhonePeBadRequestError, 'Bad Request'],
    ['textBody', isPhonePeServerError, 'HTTP_503'],
  ] as const)('error %s maps to its class and code on a status call', async (name, guard, code) => {
    const { client } = harness();
    const [status, body] = ERROR_BODIES[name];
    server.use(
      capture('get', `${SANDBOX}/checkout/v2/order/ord_1/status`, () =>
        typeof body === 'string' ? new HttpResponse(body, { status }) : HttpResponse.json(body, { status }),
      ).handler,
    );
    const error = (await client.getOrderStatus('ord_1').catch((e: unknown) => e)) as PhonePeError;
    expect(guard(error)).toBe(true);
    expect(error.code).toBe(code);
  });

  it('an unknown transaction (400 MAPPING_NOT_FOUND) and refund (404 REFUND_NOT_FOUND) are not-found', async () => {
    const { client } = harness();
    server.use(
      capture('get', `${SANDBOX}/checkout/v2/transaction/OMT1/status`, () =>
        HttpResponse.json(ERROR_BODIES.unknownTransaction[1], { status: 400 }),
      ).handler,
      capture('get', `${SANDBOX}/payments/v2/refund/rf_1/status`, () =>
        HttpResponse.json(ERROR_BODIES.refundNotFound[1], { status: 404 }),
      ).handler,
    );
    expect(isPhonePeNotFoundError(await client.getTransactionStatus('OMT1').catch((e: unknown) => e))).toBe(true);
    expect(isPhonePeNotFoundError(await client.getRefundStatus('rf_1').catch((e: unknown) => e))).toBe(true);
  });

  it.each(Object.entries(WEBHOOK_BODIES))(
    "webhook %s verifies with PhonePe's own header and keeps its payload",
    async (_name, body) => {
      const event = await verifyWebhook(
        { authorization: SDK_FIXTURE_AUTHORIZATION, body: JSON.stringify(body) },
        { username: 'username', password: 'password' },
      );
      expect(event.event).toBe(body.event);
      expect(event.kind).not.toBe('unknown');
      const payload = event.payload as Record<string, unknown>;
      for (const key of ['merchantOrderId', 'merchantRefundId', 'merchantSubscriptionId', 'state'] as const) {
        if (key in body.payload) expect(payload[key]).toBe((body.payload as Record<string, unknown>)[key]);
      }
    },
  );

  it("reads the Java fixture's notice window sent as digit strings as epoch ms", async () => {
    const body = WEBHOOK_BODIES.notificationJava;
    const event = await verifyWebhook(
      { authorization: SDK_FIXTURE_AUTHORIZATION, body: JSON.stringify(body) },
      { username: 'username', password: 'password' },
    );
    expect((event.payload as { paymentFlow?: Record<string, unknown> }).paymentFlow).toMatchObject({
      validAfter: 1628229131000,
      validUpto: 1628574731000,
      notifiedAt: 1622539751586,
    });
  });
});
