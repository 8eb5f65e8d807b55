import { BillingError } from '../../billing/errors.js';
import { BillingHttpError } from '../billing-http-error.js';
import { callbackErrorPage, prefersHtml } from '../callback-page.js';
import { billingErrorResponse, describeError } from '../error-response.js';
import { ORDER_ID } from '../request-schemas.js';
import type { RouteCall, RouteDefinition } from '../route-table.js';

/**
 * `GET /payments/callback?order_id=…`: where PhonePe sends the payer's browser back. The manager
 * confirms the order with PhonePe, settles it, and names the return URL stored (and allowlisted) when
 * the checkout was created; this answers 302 to it. Never a URL from the query. An unknown order or a
 * payment without a return URL is 404 — as a small HTML page for browsers (`Accept: text/html`),
 * JSON otherwise.
 */
async function callback({ request, url, deps }: RouteCall): Promise<Response> {
  try {
    const location = await returnLocation(url, deps);
    return new Response(null, {
      status: 302,
      headers: { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' },
    });
  } catch (error) {
    const json = billingErrorResponse(error, { logger: deps.logger, context: { route: 'payments/callback' } });
    if (!prefersHtml(request)) return json;
    const described = describeError(error);
    return callbackErrorPage(described.status, described.message);
  }
}

async function returnLocation(url: URL, deps: RouteCall['deps']): Promise<string> {
  const ids = url.searchParams.getAll('order_id');
  const orderId = ids[0];
  if (ids.length !== 1 || orderId === undefined || !ORDER_ID.test(orderId)) {
    throw new BillingError(
      'INVALID_INPUT',
      'The order_id query parameter must appear once, as 1–63 characters of letters, digits, _ and -.',
      { details: { fields: [{ field: 'order_id', message: 'invalid' }] } },
    );
  }
  const outcome = await deps.billing.handleRedirect(orderId);
  if (!outcome.payment)
    throw new BillingError('PAYMENT_NOT_FOUND', `No payment with order id ${orderId} was found.`, {
      details: { order_id: orderId },
    });
  const location = outcome.redirectUrl;
  const allowed = location !== null && (deps.extraAllowlist?.check(location).ok ?? true);
  if (!allowed) {
    if (location !== null)
      deps.logger.warn(
        { orderId },
        "the stored return URL is outside the handler's redirectAllowlist; not redirecting",
      );
    throw new BillingHttpError(
      'NOT_FOUND',
      `There is no page to return to for order ${orderId}; open the app's billing page to see the payment status.`,
    );
  }
  return location;
}

export const callbackRoutes: RouteDefinition[] = [
  { method: 'GET', path: '/payments/callback', access: 'public', handle: callback },
];
