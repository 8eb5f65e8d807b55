import { jsonResponse, type RequestContext, type Route } from '../http/routing.js';
import type { RazorpayCore } from './razorpay-core.js';
import { RazorpayEmulatorError, rzpBadRequest, rzpUnauthorized } from './razorpay-emulator-error.js';
import {
  checkoutErrorPage,
  checkoutPage,
  checkoutScript,
  RAZORPAY_CHECKOUT_PAGE_PATH,
  RAZORPAY_CHECKOUT_SCRIPT_PATH,
} from './razorpay-checkout-page.js';
import { customerEntity, orderEntity, paymentEntity, refundEntity, tokenEntity } from './razorpay-views.js';

/** What a Razorpay route gets: the request, the core, and `act` (change state, then wait for the first webhook attempts). */
export interface RazorpayRouteContext extends RequestContext {
  core: RazorpayCore;
  act<T>(change: () => T): Promise<T>;
}

/** A Razorpay emulator route. */
export type RazorpayRoute = Route<RazorpayRouteContext>;

/** The API's base path (https://razorpay.com/docs/api/: `https://api.razorpay.com/v1`). */
export const RAZORPAY_API_BASE_PATH = '/v1';

/** HTTP Basic `key_id:key_secret` (the `curl -u key:secret` samples, e.g. https://razorpay.com/docs/api/orders/fetch-all/); anything else is 401. */
export function authenticate(core: RazorpayCore, request: Request): void {
  const match = /^Basic\s+(\S+)$/i.exec(request.headers.get('authorization')?.trim() ?? '');
  if (!match) throw rzpUnauthorized('Please provide your api key for authentication purposes.');
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const keyId = colon < 0 ? decoded : decoded.slice(0, colon);
  const secret = colon < 0 ? '' : decoded.slice(colon + 1);
  if (keyId !== core.config.keyId) throw rzpUnauthorized('The api key provided is invalid');
  if (secret !== core.config.keySecret) throw rzpUnauthorized('The api secret provided is invalid');
}

/** The JSON object body; anything else is Razorpay's 400. An empty body is `{}`. */
export async function readBody(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw rzpBadRequest('The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw rzpBadRequest('The request body must be a JSON object.');
  return parsed as Record<string, unknown>;
}

/** `{entity: "collection", count, items}` with Razorpay's `count`/`skip` paging (default 10, at most 100). */
function collection(url: URL, items: Record<string, unknown>[]): Response {
  const count = Math.min(Math.max(Number(url.searchParams.get('count') ?? 10) || 10, 1), 100);
  const skip = Math.max(Number(url.searchParams.get('skip') ?? 0) || 0, 0);
  const page = items.slice(skip, skip + count);
  return jsonResponse({ entity: 'collection', count: page.length, items: page });
}

const optionalInt = (url: URL, name: string) => {
  const value = url.searchParams.get(name);
  if (value === null || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw rzpBadRequest(`The ${name} must be an integer.`, name);
  return n;
};

const optionalBool = (url: URL, name: string) => {
  const value = url.searchParams.get(name);
  if (value === null || value === '') return undefined;
  if (['1', 'true'].includes(value)) return true;
  if (['0', 'false'].includes(value)) return false;
  throw rzpBadRequest(`The ${name} must be 0 or 1.`, name);
};

function api(
  method: string,
  path: string,
  handle: (c: RazorpayRouteContext) => Promise<unknown> | unknown,
): RazorpayRoute {
  return {
    method,
    path: `${RAZORPAY_API_BASE_PATH}${path}`,
    async handle(context) {
      authenticate(context.core, context.request);
      const result = await handle(context);
      return result instanceof Response ? result : jsonResponse(result);
    },
  };
}

/** The REST routes under `/v1`, as Razorpay's API reference and its Node SDK (razorpay/razorpay-node) call them. */
export const razorpayApiRoutes: RazorpayRoute[] = [
  api('POST', '/orders', async ({ core, request }) => orderEntity(core.createOrder(await readBody(request)))),
  api('GET', '/orders', ({ core, url }) =>
    collection(
      url,
      core
        .listOrders({
          receipt: url.searchParams.get('receipt') ?? undefined,
          authorized: optionalBool(url, 'authorized'),
          from: optionalInt(url, 'from'),
          to: optionalInt(url, 'to'),
        })
        .map(orderEntity),
    ),
  ),
  api('GET', '/orders/:id', ({ core, params }) => orderEntity(core.order(params.id!))),
  api('GET', '/orders/:id/payments', ({ core, params, url }) =>
    collection(
      url,
      core.order(params.id!).paymentIds.map((id) => paymentEntity(core.payment(id))),
    ),
  ),
  api('POST', '/payments/create/recurring', async ({ core, request }) =>
    core.createRecurringPayment(await readBody(request)),
  ),
  api('GET', '/payments/:id', ({ core, params }) => paymentEntity(core.payment(params.id!))),
  api('POST', '/payments/:id/capture', async ({ core, request, params }) => {
    const body = await readBody(request);
    if (body.amount !== undefined && typeof body.amount !== 'number')
      throw rzpBadRequest('The amount must be an integer.', 'amount');
    return paymentEntity(core.capture(params.id!, body.amount as number | undefined));
  }),
  api('POST', '/payments/:id/refund', async ({ core, request, params }) => {
    const text = await request.clone().text();
    const key = request.headers.get('x-refund-idempotency');
    const body = await readBody(request);
    return refundEntity(
      key === null ? core.createRefund(params.id!, body) : core.createRefundOnce(key, params.id!, text, body),
    );
  }),
  api('GET', '/payments/:id/refunds', ({ core, params, url }) => {
    core.payment(params.id!);
    const refunds = [...core.state.refunds.values()].filter((r) => r.paymentId === params.id).reverse();
    return collection(url, refunds.map(refundEntity));
  }),
  api('GET', '/payments/:id/refunds/:refundId', ({ core, params }) => {
    const refund = core.refund(params.refundId!);
    if (refund.paymentId !== params.id)
      throw new RazorpayEmulatorError(400, 'BAD_REQUEST_ERROR', 'The id provided does not exist');
    return refundEntity(refund);
  }),
  api('GET', '/refunds/:id', ({ core, params }) => refundEntity(core.refund(params.id!))),
  api('POST', '/customers', async ({ core, request }) => customerEntity(core.createCustomer(await readBody(request)))),
  api('GET', '/customers/:id', ({ core, params }) => customerEntity(core.customer(params.id!))),
  api('GET', '/customers/:id/tokens', ({ core, params }) => {
    core.customer(params.id!);
    const tokens = [...core.state.tokens.values()].filter((t) => t.customerId === params.id);
    return { entity: 'collection', count: tokens.length, items: tokens.map(tokenEntity) };
  }),
  api('GET', '/customers/:id/tokens/:tokenId', ({ core, params }) =>
    tokenEntity(core.customerToken(params.id!, params.tokenId!)),
  ),
  // "Delete Token" (the Node SDK's customers.deleteToken): removes Razorpay's record, answers `{deleted: true}`,
  // and does not cancel the mandate.
  api('DELETE', '/customers/:id/tokens/:tokenId', ({ core, params }) => {
    core.deleteToken(core.customerToken(params.id!, params.tokenId!).id);
    return { deleted: true };
  }),
  // UPI Autopay's "Cancel Token": PUT …/cancel answers the token, cancellation_initiated until NPCI confirms.
  api('PUT', '/customers/:id/tokens/:tokenId/cancel', ({ core, params }) => {
    const token = core.customerToken(params.id!, params.tokenId!);
    return tokenEntity(core.requestTokenCancellation(token.id));
  }),
];

const html = (body: string, status = 200) =>
  new Response(body, { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } });

/** The order behind a checkout request, checked against the key the page was opened with. */
function checkoutOrder(core: RazorpayCore, keyId: unknown, orderId: unknown) {
  if (keyId !== core.config.keyId) throw rzpUnauthorized('The api key provided is invalid');
  if (typeof orderId !== 'string' || orderId === '') throw rzpBadRequest('order_id is required', 'order_id');
  return core.order(orderId);
}

/** `checkout.js`, the page it opens, and the page's Pay / Fail calls. No Basic auth: the key id identifies the merchant. */
export const razorpayCheckoutRoutes: RazorpayRoute[] = [
  {
    method: 'GET',
    path: RAZORPAY_CHECKOUT_SCRIPT_PATH,
    handle: ({ core }) =>
      new Response(checkoutScript(core.publicUrl), {
        headers: { 'content-type': 'application/javascript; charset=utf-8', 'cache-control': 'no-store' },
      }),
  },
  {
    method: 'GET',
    path: RAZORPAY_CHECKOUT_PAGE_PATH,
    handle: ({ core, url }) => {
      const q = url.searchParams;
      try {
        const order = checkoutOrder(core, q.get('key_id'), q.get('order_id'));
        if (order.status === 'paid') return html(checkoutErrorPage('This order has already been paid.'), 400);
        return html(
          checkoutPage({
            keyId: core.config.keyId,
            order,
            name: q.get('name') ?? undefined,
            description: q.get('description') ?? undefined,
            recurring: q.get('recurring') ?? undefined,
            customerId: q.get('customer_id') ?? undefined,
          }),
        );
      } catch (error) {
        if (error instanceof RazorpayEmulatorError) return html(checkoutErrorPage(error.description), error.status);
        throw error;
      }
    },
  },
  {
    method: 'POST',
    path: `${RAZORPAY_CHECKOUT_PAGE_PATH}/pay`,
    async handle({ core, request, act }) {
      const body = await readBody(request);
      const order = checkoutOrder(core, body.key_id, body.order_id);
      const recurring = [1, '1', true, 'true'].includes(body.recurring as never);
      const customerId = typeof body.customer_id === 'string' && body.customer_id !== '' ? body.customer_id : undefined;
      return jsonResponse(await act(() => core.payOrder(order.id, { recurring, customerId })));
    },
  },
  {
    method: 'POST',
    path: `${RAZORPAY_CHECKOUT_PAGE_PATH}/fail`,
    async handle({ core, request, act }) {
      const body = await readBody(request);
      const order = checkoutOrder(core, body.key_id, body.order_id);
      return jsonResponse(await act(() => core.failOrder(order.id)));
    },
  },
];
