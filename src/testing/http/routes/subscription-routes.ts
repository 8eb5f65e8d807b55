import { createSetupOrder } from '../../core/create-setup-order.js';
import { notifyRedemption } from '../../core/notify-redemption.js';
import { requireOrder, requireSubscription } from '../../core/order-lookup.js';
import type { ApiFamily } from '../../core/records.js';
import { assertRedeemable, executeRedemption } from '../../core/redemption-transitions.js';
import { changeSubscriptionState } from '../../core/subscription-transitions.js';
import { subscriptionView } from '../../core/subscription-view.js';
import { authenticateMerchant } from '../authenticate-merchant.js';
import { jsonResponse } from '../json-response.js';
import { readJsonBody } from '../read-json-body.js';
import type { Route, RouteContext } from '../route-table.js';
import { assertMandateRules } from '../validation/mandate-rules.js';
import { parseRequest } from '../validation/parse-request.js';
import { notifyRequestSchema, redeemRequestSchema, setupRequestSchema } from '../validation/subscription-request-schemas.js';
import { orderStatusResponse, transactionStatusResponse } from './checkout-routes.js';
import { PG_BASE_PATH } from './paths.js';

function subscriptionStatus({ core, request, params }: RouteContext): Response {
  const merchant = authenticateMerchant(core, request);
  return jsonResponse(subscriptionView(requireSubscription(core, merchant.merchantId, params.merchantSubscriptionId!)));
}

const notify = (family: ApiFamily) => async ({ core, request }: RouteContext) => {
  const merchant = authenticateMerchant(core, request);
  const input = parseRequest(notifyRequestSchema, await readJsonBody(request));
  return jsonResponse(notifyRedemption(core, merchant, input, family));
};

async function redeem({ core, request }: RouteContext): Promise<Response> {
  const merchant = authenticateMerchant(core, request);
  const { merchantOrderId } = parseRequest(redeemRequestSchema, await readJsonBody(request));
  const order = requireOrder(core, merchant.merchantId, merchantOrderId);
  assertRedeemable(core, order);
  executeRedemption(core, order);
  // The debit starts PENDING even when the outcome settles it at once (§4.5).
  return jsonResponse({ state: 'PENDING', transactionId: order.attempts.at(-1)?.transactionId });
}

/** Merchant cancel: 204 No Content, then CANCELLED and `subscription.cancelled` (§4.6). */
function cancel({ core, request, params }: RouteContext): Response {
  const merchant = authenticateMerchant(core, request);
  changeSubscriptionState(core, requireSubscription(core, merchant.merchantId, params.merchantSubscriptionId!), 'cancelled');
  return new Response(null, { status: 204 });
}

async function setup({ core, request }: RouteContext): Promise<Response> {
  const merchant = authenticateMerchant(core, request);
  const input = parseRequest(setupRequestSchema, await readJsonBody(request));
  assertMandateRules(input.amount, input.paymentFlow, core.clock.now(), input.expireAt);
  return jsonResponse(createSetupOrder(core, merchant, input));
}

const CHECKOUT = `${PG_BASE_PATH}/checkout/v2/subscriptions`;
const API = `${PG_BASE_PATH}/subscriptions/v2`;

/** Both autopay path families over one store (§4): `/checkout/v2/subscriptions/*` and `/subscriptions/v2/*`. */
export const subscriptionRoutes: Route[] = [
  { method: 'GET', path: `${CHECKOUT}/:merchantSubscriptionId/status`, handle: subscriptionStatus },
  { method: 'POST', path: `${CHECKOUT}/notify`, handle: notify('checkout') },
  { method: 'POST', path: `${CHECKOUT}/redeem`, handle: redeem },
  { method: 'POST', path: `${CHECKOUT}/:merchantSubscriptionId/cancel`, handle: cancel },
  { method: 'POST', path: `${API}/setup`, handle: setup },
  { method: 'GET', path: `${API}/order/:merchantOrderId/status`, handle: orderStatusResponse },
  { method: 'GET', path: `${API}/transaction/:transactionId/status`, handle: transactionStatusResponse },
  { method: 'GET', path: `${API}/:merchantSubscriptionId/status`, handle: subscriptionStatus },
  { method: 'POST', path: `${API}/notify`, handle: notify('subscriptions') },
  { method: 'POST', path: `${API}/redeem`, handle: redeem },
  { method: 'POST', path: `${API}/:merchantSubscriptionId/cancel`, handle: cancel },
];
