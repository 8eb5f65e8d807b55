import { BillingError } from '../billing/errors.js';
import type { ClientCheckout } from '../billing/payment-gateway.js';
import { billingErrorResponse, BillingHttpError, describeError } from './errors.js';
import { ORDER_ID, readBodyBytes } from './request.js';
import type { RouteCall, RouteDefinition } from './route-table.js';
import { callbackErrorPage, prefersHtml } from './webhook-routes.js';

// The checkout page for gateways without a hosted payment page (Razorpay's Standard Checkout), and the
// callback that receives the result their script posts back. PhonePe never comes here: its paymentUrl is
// PhonePe's own page and it returns with GET /payments/callback.

// A value as a JavaScript literal inside <script>: `<` escaped so no `</script>` or `<!--` in a payer's name ends
// or changes the script; U+2028/U+2029 escaped (not dropped) so older engines do not read them as line ends.
const json = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);

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

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  // The gateway's script loads its own frames and resources; the page itself may not be framed.
  'content-security-policy': "frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
  'x-content-type-options': 'nosniff',
};

/** The page: loads the gateway's script and opens it; closing it sends the payer back through the callback. */
export function clientCheckoutPage(checkout: ClientCheckout, amountText: string, backUrl: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Pay ${escapeHtml(amountText)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}button{padding:.75rem 1.5rem;font-size:1rem}</style>
</head><body>
<h1>Pay ${escapeHtml(amountText)}</h1>
<p id="status">Opening the secure payment window…</p>
<p><button id="pay" type="button">Pay now</button> <a id="back" href="${escapeHtml(backUrl)}">Back</a></p>
<script src="${escapeHtml(checkout.scriptUrl)}"></script>
<script>
(function () {
  var options = ${json(checkout.options)};
  var back = ${json(backUrl)};
  var Checkout = window[${json(checkout.global)}];
  var status = document.getElementById('status');
  options.modal = { ondismiss: function () { window.location.assign(back); } };
  function open() {
    if (typeof Checkout !== 'function') { status.textContent = 'The payment window could not be loaded; try again in a moment.'; return; }
    var checkout = new Checkout(options);
    if (checkout.on) checkout.on('payment.failed', function () { status.textContent = 'That payment did not go through; you can try again.'; });
    checkout.open();
    status.textContent = 'Complete the payment in the window.';
  }
  document.getElementById('pay').addEventListener('click', open);
  open();
})();
</script>
</body></html>`;
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
    if (!page.checkout)
      return new Response(null, {
        status: 303,
        headers: { location: callback.href, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' },
      });
    const rupees = `₹${Math.floor(page.payment.amountPaise / 100)}.${String(page.payment.amountPaise % 100).padStart(2, '0')}`;
    return new Response(clientCheckoutPage(page.checkout, rupees, callback.href), {
      status: 200,
      headers: PAGE_HEADERS,
    });
  } catch (error) {
    const json = billingErrorResponse(error, { logger: deps.logger, context: { route: 'payments/checkout' } });
    if (!prefersHtml(request)) return json;
    const described = describeError(error);
    return callbackErrorPage(described.status, described.message);
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
    const outcome = await deps.billing.handleCheckoutReturn(orderId, fields);
    if (!outcome.payment)
      throw new BillingError('PAYMENT_NOT_FOUND', `No payment with order id ${orderId} was found.`, {
        details: { order_id: orderId },
      });
    const location = outcome.redirectUrl;
    if (location === null || !(deps.extraAllowlist?.check(location).ok ?? true))
      throw new BillingHttpError(
        'NOT_FOUND',
        `There is no page to return to for order ${orderId}; open the app's billing page to see the payment status.`,
      );
    return new Response(null, {
      status: 303,
      headers: { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' },
    });
  } catch (error) {
    const json = billingErrorResponse(error, { logger: deps.logger, context: { route: 'payments/callback' } });
    if (!prefersHtml(request)) return json;
    const described = describeError(error);
    return callbackErrorPage(described.status, described.message);
  }
}

export const checkoutRoutes: RouteDefinition[] = [
  { method: 'GET', path: '/payments/checkout', access: 'public', handle: checkout },
  { method: 'POST', path: '/payments/callback', access: 'public', handle: postedCallback },
];
