import type { EmulatorCore } from '../core/emulator-core.js';
import {
  assertMandateServedOn,
  assertOrderServedOn,
  createCheckoutOrder,
  createSetupOrder,
  findOrderByTransactionId,
  requireOrder,
  requireSubscription,
} from '../core/orders.js';
import type { ApiFamily } from '../core/records.js';
import { assertRedeemable, executeRedemption, notifyAnswer, notifyRedemption } from '../core/redemptions.js';
import { createRefund, findOrderForRefund, requireRefund } from '../core/refunds.js';
import { requestCancel } from '../core/subscription-transitions.js';
import { orderView, refundView, subscriptionView } from '../core/views.js';
import { PhonePeEmulatorError, unauthorized, unknownTransaction } from '../errors.js';
import {
  assertMandateRules,
  checkoutOrderRequestSchema,
  notifyRequestSchema,
  parseRequest,
  redeemRequestSchema,
  refundRequestSchema,
  sdkOrderRequestSchema,
  setupRequestSchema,
} from './request-schemas.js';
import {
  authenticateMerchant,
  jsonResponse,
  PG_BASE_PATH,
  queryFlag,
  readJsonBody,
  type Route,
  type RouteContext,
} from './routing.js';

const REQUIRED_FIELDS = ['client_id', 'client_version', 'client_secret', 'grant_type'] as const;

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Issues an `O-Bearer` token (docs/phonepe-protocol.md#oauth): JWT-looking, lifetime `tokenTtlSeconds` on the virtual clock. */
function issueToken(core: EmulatorCore, merchantId: string) {
  const issuedAt = core.clock.now();
  const expiresAt = issuedAt + core.config.tokenTtlSeconds * 1_000;
  const accessToken = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url({ expiresOn: expiresAt, merchantId })}.${core.ids.opaque(32)}`;
  core.state.tokens.set(accessToken, { accessToken, merchantId, issuedAt, expiresAt });
  return {
    access_token: accessToken,
    encrypted_access_token: `${base64url({ alg: 'A256GCM' })}.${core.ids.opaque(48)}`,
    issued_at: Math.floor(issuedAt / 1_000),
    expires_at: Math.floor(expiresAt / 1_000),
    session_expires_at: Math.floor(expiresAt / 1_000),
    token_type: 'O-Bearer',
  };
}

/**
 * `POST /v1/oauth/token`, form-encoded (docs/phonepe-protocol.md#oauth). A missing field or another `grant_type` is the
 * gateway's 400 `PR000`; unknown credentials are 401 `PR004` (exact OAuth error body unsettled, docs/phonepe-protocol.md#unsettled).
 */
export const oauthRoutes: Route[] = [
  {
    method: 'POST',
    path: `${PG_BASE_PATH}/v1/oauth/token`,
    async handle({ core, request }) {
      const form = new URLSearchParams(await request.text());
      const missing = REQUIRED_FIELDS.some((field) => !form.get(field));
      if (missing || form.get('grant_type') !== 'client_credentials') {
        throw new PhonePeEmulatorError(400, 'PR000', 'Bad Request', { gateway: true });
      }
      const merchant = core.config.merchants.find(
        (m) =>
          m.clientId === form.get('client_id') &&
          m.clientSecret === form.get('client_secret') &&
          m.clientVersion === form.get('client_version'),
      );
      if (!merchant) throw unauthorized();
      return jsonResponse(issueToken(core, merchant.merchantId));
    },
  },
];

async function createOrder(
  { core, request }: RouteContext,
  schema: typeof checkoutOrderRequestSchema | typeof sdkOrderRequestSchema,
) {
  const merchant = authenticateMerchant(core, request);
  const input = parseRequest(schema, await readJsonBody(request));
  const details =
    input.paymentFlow.type === 'SUBSCRIPTION_CHECKOUT_SETUP' ? input.paymentFlow.subscriptionDetails : undefined;
  if (details) assertMandateRules(input.amount, details, core.clock.now());
  return createCheckoutOrder(core, merchant, input);
}

/**
 * Order status on `/checkout/v2/order/{id}/status` or `/subscriptions/v2/order/{id}/status`
 * (docs/phonepe-protocol.md#order-status); a redemption of a checkout mandate only on a family in
 * `mandateFamilies`.
 */
export const orderStatusResponse =
  (family: ApiFamily) =>
  ({ core, request, url, params }: RouteContext): Response => {
    const merchant = authenticateMerchant(core, request);
    const order = requireOrder(core, merchant.merchantId, params.merchantOrderId!);
    assertOrderServedOn(core, order, family);
    return jsonResponse(
      orderView(core, order, { details: queryFlag(url, 'details'), errorContext: queryFlag(url, 'errorContext') }),
    );
  };

/**
 * Transaction status (docs/phonepe-protocol.md#transaction-status): the order-status shape with only
 * that attempt in `paymentDetails`. Unknown id → 400 `MAPPING_NOT_FOUND`.
 */
export const transactionStatusResponse =
  (family: ApiFamily) =>
  ({ core, request, params }: RouteContext): Response => {
    const merchant = authenticateMerchant(core, request);
    const order = findOrderByTransactionId(core, merchant.merchantId, params.transactionId!);
    if (!order) throw unknownTransaction();
    assertOrderServedOn(core, order, family);
    return jsonResponse(orderView(core, order, { transactionId: params.transactionId }));
  };

/** Standard checkout: pay, SDK order, order status, transaction status (docs/phonepe-protocol.md#checkout-pay). */
export const checkoutRoutes: Route[] = [
  {
    method: 'POST',
    path: `${PG_BASE_PATH}/checkout/v2/pay`,
    async handle(context) {
      const { orderId, state, expireAt, redirectUrl } = await createOrder(context, checkoutOrderRequestSchema);
      return jsonResponse({ orderId, state, expireAt, redirectUrl });
    },
  },
  {
    method: 'POST',
    path: `${PG_BASE_PATH}/checkout/v2/sdk/order`,
    async handle(context) {
      const { orderId, state, expireAt, token } = await createOrder(context, sdkOrderRequestSchema);
      return jsonResponse({ orderId, state, expireAt, token });
    },
  },
  {
    method: 'GET',
    path: `${PG_BASE_PATH}/checkout/v2/order/:merchantOrderId/status`,
    handle: orderStatusResponse('checkout'),
  },
  {
    method: 'GET',
    path: `${PG_BASE_PATH}/checkout/v2/transaction/:transactionId/status`,
    handle: transactionStatusResponse('checkout'),
  },
];

/** The subscription a management call names, if this family serves it. */
function servedSubscription({ core, request, params }: RouteContext, family: ApiFamily) {
  const merchant = authenticateMerchant(core, request);
  const sub = requireSubscription(core, merchant.merchantId, params.merchantSubscriptionId!);
  assertMandateServedOn(core, sub, family, 'subscription');
  return sub;
}

const subscriptionStatus = (family: ApiFamily) => (context: RouteContext) =>
  jsonResponse(subscriptionView(servedSubscription(context, family), context.core.config.responseShape));

const notify =
  (family: ApiFamily) =>
  async ({ core, request }: RouteContext) => {
    const merchant = authenticateMerchant(core, request);
    const input = parseRequest(notifyRequestSchema, await readJsonBody(request));
    return jsonResponse(notifyAnswer(core, notifyRedemption(core, merchant, input, family), family));
  };

const redeem =
  (family: ApiFamily) =>
  async ({ core, request }: RouteContext) => {
    const merchant = authenticateMerchant(core, request);
    const { merchantOrderId } = parseRequest(redeemRequestSchema, await readJsonBody(request));
    const order = requireOrder(core, merchant.merchantId, merchantOrderId);
    assertOrderServedOn(core, order, family);
    assertRedeemable(core, order);
    executeRedemption(core, order);
    // The debit starts PENDING even when the outcome settles it at once (docs/phonepe-protocol.md#redeem).
    return jsonResponse({ state: 'PENDING', transactionId: order.attempts.at(-1)?.transactionId });
  };

/**
 * Merchant cancel: the subscription goes CANCEL_IN_PROGRESS, then CANCELLED with
 * `subscription.cancelled`. The checkout family answers 204 No Content as the docs say; the API
 * family 200 with an empty body, as PhonePe's SDK tests do (docs/phonepe-protocol.md#unsettled-cancel-status).
 */
const cancel = (family: ApiFamily) => (context: RouteContext) => {
  requestCancel(context.core, servedSubscription(context, family));
  return new Response(null, { status: family === 'checkout' ? 204 : 200 });
};

async function setup({ core, request }: RouteContext): Promise<Response> {
  const merchant = authenticateMerchant(core, request);
  const input = parseRequest(setupRequestSchema, await readJsonBody(request));
  assertMandateRules(input.amount, input.paymentFlow, core.clock.now(), input.expireAt);
  return jsonResponse(createSetupOrder(core, merchant, input));
}

const CHECKOUT = `${PG_BASE_PATH}/checkout/v2/subscriptions`;
const API = `${PG_BASE_PATH}/subscriptions/v2`;

/** Both autopay path families over one store (docs/phonepe-protocol.md#autopay): `/checkout/v2/subscriptions/*` and `/subscriptions/v2/*`. */
export const subscriptionRoutes: Route[] = [
  { method: 'GET', path: `${CHECKOUT}/:merchantSubscriptionId/status`, handle: subscriptionStatus('checkout') },
  { method: 'POST', path: `${CHECKOUT}/notify`, handle: notify('checkout') },
  { method: 'POST', path: `${CHECKOUT}/redeem`, handle: redeem('checkout') },
  { method: 'POST', path: `${CHECKOUT}/:merchantSubscriptionId/cancel`, handle: cancel('checkout') },
  { method: 'POST', path: `${API}/setup`, handle: setup },
  { method: 'GET', path: `${API}/order/:merchantOrderId/status`, handle: orderStatusResponse('subscriptions') },
  {
    method: 'GET',
    path: `${API}/transaction/:transactionId/status`,
    handle: transactionStatusResponse('subscriptions'),
  },
  { method: 'GET', path: `${API}/:merchantSubscriptionId/status`, handle: subscriptionStatus('subscriptions') },
  { method: 'POST', path: `${API}/notify`, handle: notify('subscriptions') },
  { method: 'POST', path: `${API}/redeem`, handle: redeem('subscriptions') },
  { method: 'POST', path: `${API}/:merchantSubscriptionId/cancel`, handle: cancel('subscriptions') },
];

/** Refund and refund status, shared by every flow (docs/phonepe-protocol.md#refund). */
export const refundRoutes: Route[] = [
  {
    method: 'POST',
    path: `${PG_BASE_PATH}/payments/v2/refund`,
    async handle({ core, request }) {
      const merchant = authenticateMerchant(core, request);
      const input = parseRequest(refundRequestSchema, await readJsonBody(request));
      const refund = createRefund(core, merchant, input);
      return jsonResponse({ refundId: refund.refundId, amount: refund.amount, state: refund.state });
    },
  },
  {
    method: 'GET',
    path: `${PG_BASE_PATH}/payments/v2/refund/:merchantRefundId/status`,
    handle({ core, request, params }) {
      const merchant = authenticateMerchant(core, request);
      const refund = requireRefund(core, merchant.merchantId, params.merchantRefundId!);
      return jsonResponse(refundView(refund, findOrderForRefund(core, refund), { shape: core.config.responseShape }));
    },
  },
];
