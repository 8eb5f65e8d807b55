import { BillingError } from '../billing/errors.js';
import { formatRupeesForDisplay } from '../billing/money.js';
import type { RedirectOutcome } from '../billing/settlement.js';
import { BillingHttpError } from './errors.js';
import { clientCheckoutPage, PAGE_HEADERS, payerErrorResponse } from './payer-page.js';
import { ORDER_ID, readBodyBytes } from './request.js';
import type { RouteCall, RouteDefinition } from './route-table.js';

// The routes a payer's browser hits, outside any sign-in: the checkout page for a gateway without a hosted
// page (Razorpay), and the callback it comes back to — GET from PhonePe's page, POST from Razorpay's script.

/** The one `order_id` of the query; anything else is `INVALID_INPUT`. */
function orderIdOf(url: URL): string {
  const ids = url.searchParams.getAll('order_id');
  const orderId = ids[0];
  if (ids.length !== 1 || orderId === undefined || !ORDER_ID.test(orderId))
    throw new BillingError(
      'INVALID_INPUT',
      'The order_id query parameter must appear once, as 1–63 characters of letters, digits, _ and -.',
      { details: { fields: [{ field: 'order_id', message: 'invalid' }] } },
    );
  return orderId;
}

const redirect = (status: 302 | 303, location: string) =>
  new Response(null, { status, headers: { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } });

/**
 * Where the payer goes after a return: the return URL stored (and allowlisted) when the checkout was created,
 * never a URL from the request. An unknown order or a payment without one is a 404.
 */
function returnLocation(orderId: string, outcome: RedirectOutcome, deps: RouteCall['deps']): string {
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

/**
 * `GET /payments/checkout?order_id=…`: the `paymentUrl` of a payment through a gateway's own script. Opens it
 * for an open payment; a payment that is settled or past its expiry goes on to the callback route (which
 * confirms it and sends the payer to the return URL). Unknown orders are 404 (a small page for browsers).
 */
async function checkout({ request, url, deps }: RouteCall): Promise<Response> {
  try {
    const orderId = orderIdOf(url);
    const callback = new URL(deps.billing.config.callbackUrl);
    callback.searchParams.set('order_id', orderId);
    const page = await deps.billing.checkoutPage(orderId);
    if (!page.checkout) return redirect(303, callback.href);
    const amount = formatRupeesForDisplay(page.payment.amountPaise);
    return new Response(clientCheckoutPage(page.checkout, amount, callback.href), {
      status: 200,
      headers: PAGE_HEADERS,
    });
  } catch (error) {
    return payerErrorResponse(error, request, deps, 'payments/checkout');
  }
}

/**
 * `GET /payments/callback?order_id=…`: where PhonePe sends the payer's browser back. The manager
 * confirms the order with the gateway, settles it, and names the return URL stored (and allowlisted) when
 * the checkout was created; this answers 302 to it. Never a URL from the query. An unknown order or a
 * payment without a return URL is 404 — as a small HTML page for browsers (`Accept: text/html`),
 * JSON otherwise.
 */
async function callback({ request, url, deps }: RouteCall): Promise<Response> {
  try {
    const orderId = orderIdOf(url);
    return redirect(302, returnLocation(orderId, await deps.billing.handleRedirect(orderId), deps));
  } catch (error) {
    return payerErrorResponse(error, request, deps, 'payments/callback');
  }
}

const FORM_TYPE = /^application\/x-www-form-urlencoded\b/i;
// Field names a gateway's script posts (Razorpay: razorpay_payment_id, razorpay_order_id, razorpay_signature,
// or error[code], error[description], error[metadata][…] on failure).
const FIELD_NAME = /^[A-Za-z0-9_[\]]{1,100}$/;
// Control characters (NUL included) and U+FFFD (what a lone surrogate decodes to) are never in a real result.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const ODD_CHARACTER = /[\u0000-\u001f\u007f\ufffd]/;

/** The posted form as one string per field; anything odd (a repeated field, a control character) is a 400. */
async function readForm(request: Request, limitBytes: number): Promise<Record<string, string>> {
  if (!FORM_TYPE.test(request.headers.get('content-type') ?? ''))
    throw new BillingHttpError(
      'UNSUPPORTED_MEDIA_TYPE',
      'Send the payment result as application/x-www-form-urlencoded.',
    );
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await readBodyBytes(request, limitBytes));
  } catch (error) {
    if (error instanceof BillingHttpError) throw error;
    throw new BillingHttpError('INVALID_BODY', 'The payment result is not UTF-8 text.');
  }
  const fields: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(text)) {
    const bad = ODD_CHARACTER.test(value) || value.length > 2000;
    if (!FIELD_NAME.test(name) || Object.hasOwn(fields, name) || bad)
      throw new BillingError('INVALID_INPUT', 'The payment result has a malformed, repeated or oversized field.', {
        details: { fields: [{ field: FIELD_NAME.test(name) ? name : '(name)', message: 'invalid' }] },
      });
    fields[name] = value;
  }
  return fields;
}

/**
 * `POST /payments/callback?order_id=…`: where a gateway's script posts the payer's result (Razorpay with
 * `redirect: true`). A signed result must verify for this order (400, nothing changes); the payment is then
 * read from the gateway and settled, and the payer is sent on (303) like `GET /payments/callback`.
 */
async function postedCallback({ request, url, deps }: RouteCall): Promise<Response> {
  try {
    const orderId = orderIdOf(url);
    const fields = await readForm(request, deps.maxBodyBytes);
    return redirect(303, returnLocation(orderId, await deps.billing.handleCheckoutReturn(orderId, fields), deps));
  } catch (error) {
    return payerErrorResponse(error, request, deps, 'payments/callback');
  }
}

export const payerRoutes: RouteDefinition[] = [
  { method: 'GET', path: '/payments/checkout', access: 'public', handle: checkout },
  { method: 'GET', path: '/payments/callback', access: 'public', handle: callback },
  { method: 'POST', path: '/payments/callback', access: 'public', handle: postedCallback },
];
