import { createSetupOrder } from '../../core/create-setup-order.js';
import { assertMandateServedOn, assertOrderServedOn } from '../../core/mandate-family.js';
import { notifyAnswer, notifyRedemption } from '../../core/notify-redemption.js';
import { requireOrder, requireSubscription } from '../../core/order-lookup.js';
import type { ApiFamily } from '../../core/records.js';
import { assertRedeemable, executeRedemption } from '../../core/redemption-transitions.js';
import { requestCancel } from '../../core/subscription-transitions.js';
import { subscriptionView } from '../../core/subscription-view.js';
import { authenticateMerchant } from '../authenticate-merchant.js';
import { jsonResponse } from '../json-response.js';
import { readJsonBody } from '../read-json-body.js';
import type { Route, RouteContext } from '../route-table.js';
import { assertMandateRules } from '../validation/mandate-rules.js';
import { parseRequest } from '../validation/parse-request.js';
import {
  notifyRequestSchema,
  redeemRequestSchema,
  setupRequestSchema,
} from '../validation/subscription-request-schemas.js';
import { orderStatusResponse, transactionStatusResponse } from './checkout-routes.js';
import { PG_BASE_PATH } from './paths.js';

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
