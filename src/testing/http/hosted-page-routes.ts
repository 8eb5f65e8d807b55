import { findOrderByPageToken, findSubscription } from '../core/orders.js';
import type { OrderRecord } from '../core/records.js';
import {
  applyPayerAction,
  CHECKOUT_SCRIPT,
  htmlResponse,
  PAYER_ACTIONS,
  type PayerAction,
  referrerAllowed,
  renderCheckoutPage,
  renderFrameConcludedPage,
  renderMandatePage,
  renderNotFoundPage,
  renderReferrerRefusedPage,
  renderResultPage,
} from '../hosted-page.js';
import { CHECKOUT_SCRIPT_PATH, HOSTED_PAGE_PATH, type Route, type RouteContext } from './routing.js';

function payableOrder(core: RouteContext['core'], token: string | null): OrderRecord | undefined {
  const order = token ? findOrderByPageToken(core, token) : undefined;
  return order && order.kind !== 'REDEMPTION' ? order : undefined;
}

function renderOrder(context: RouteContext, order: OrderRecord): Response {
  if (order.state !== 'PENDING') return htmlResponse(renderResultPage(order, order.redirectUrl));
  const form = { action: HOSTED_PAGE_PATH, frame: context.url.searchParams.get('frame') === '1' };
  const sub = order.merchantSubscriptionId
    ? findSubscription(context.core, order.merchantId, order.merchantSubscriptionId)
    : undefined;
  return htmlResponse(sub ? renderMandatePage(order, sub, form) : renderCheckoutPage(order, form));
}

/**
 * After a button: the order is updated, the webhook's first attempt awaited (bounded by
 * `webhook.waitForFirstAttemptMs`), then a 302 to the merchant's `redirectUrl` (Cancel →
 * `cancelRedirectUrl` when given). Nothing is appended to the merchant's URL: v2 documents no
 * parameters (docs/phonepe-protocol.md#unsettled-redirect-params), so merchants put their own order
 * id in it and ask the status API. Inside `checkout.js`'s iframe the page tells its parent instead.
 */
async function submit(context: RouteContext): Promise<Response> {
  const form = new URLSearchParams(await context.request.text());
  const order = payableOrder(context.core, form.get('token'));
  if (!order) return htmlResponse(renderNotFoundPage(), 404);
  const action = PAYER_ACTIONS.find((a) => a === form.get('action')) as PayerAction | undefined;
  if (!action) return htmlResponse(renderNotFoundPage(), 400);
  const mark = context.core.webhooks.mark();
  applyPayerAction(context.core, order, action, form.get('paymentMode'));
  await context.core.webhooks.settleSince(mark, context.core.config.waitForFirstAttemptMs);
  if (form.get('frame') === '1')
    return htmlResponse(renderFrameConcludedPage(action === 'cancel' ? 'USER_CANCEL' : 'CONCLUDED'));
  const target = action === 'cancel' ? (order.cancelRedirectUrl ?? order.redirectUrl) : order.redirectUrl;
  if (!target) return htmlResponse(renderResultPage(order));
  return new Response(null, { status: 302, headers: { location: target, 'cache-control': 'no-store' } });
}

/**
 * The hosted checkout / mandate page (plain HTML forms), refused with 403 when `requireReferrer` is
 * on and the load has no allowed referrer, and the stand-in `checkout.js` that opens it.
 */
export const hostedPageRoutes: Route[] = [
  {
    method: 'GET',
    path: HOSTED_PAGE_PATH,
    handle(context) {
      if (!referrerAllowed(context.core.config.requireReferrer, context.request.headers.get('referer'))) {
        return htmlResponse(renderReferrerRefusedPage(), 403);
      }
      const order = payableOrder(context.core, context.url.searchParams.get('token'));
      return order ? renderOrder(context, order) : htmlResponse(renderNotFoundPage(), 404);
    },
  },
  { method: 'POST', path: HOSTED_PAGE_PATH, handle: submit },
  {
    method: 'GET',
    path: CHECKOUT_SCRIPT_PATH,
    handle: () =>
      new Response(CHECKOUT_SCRIPT, {
        headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' },
      }),
  },
];
