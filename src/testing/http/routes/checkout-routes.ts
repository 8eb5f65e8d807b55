import { createCheckoutOrder } from '../../core/create-checkout-order.js';
import { findOrderByTransactionId, requireOrder } from '../../core/order-lookup.js';
import { orderView } from '../../core/order-view.js';
import { assertOrderServedOn } from '../../core/mandate-family.js';
import { unknownTransaction } from '../../core/phonepe-emulator-error.js';
import type { ApiFamily } from '../../core/records.js';
import { authenticateMerchant } from '../authenticate-merchant.js';
import { jsonResponse } from '../json-response.js';
import { queryFlag, readJsonBody } from '../read-json-body.js';
import type { Route, RouteContext } from '../route-table.js';
import { checkoutOrderRequestSchema, sdkOrderRequestSchema } from '../validation/checkout-request-schemas.js';
import { assertMandateRules } from '../validation/mandate-rules.js';
import { parseRequest } from '../validation/parse-request.js';
import { PG_BASE_PATH } from './paths.js';

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
