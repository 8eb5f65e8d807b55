import type { ClientCheckout } from '../billing/payment-gateway.js';
import type { ResolvedHandlerOptions } from './create-billing-handler.js';
import { billingErrorResponse, describeError } from './errors.js';

// The pages a payer's browser gets from the handler: the checkout page that opens a gateway's own script
// (Razorpay's Standard Checkout), and the small error page when a return cannot be redirected.

// A value as a JavaScript literal inside <script>: `<` escaped so no `</script>` or `<!--` in a payer's name ends
// or changes the script; U+2028/U+2029 escaped (not dropped) so older engines do not read them as line ends.
const json = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);

/** The headers of the checkout page. */
export const PAGE_HEADERS = {
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

/** True when the caller is a browser asking for a page (the payer coming back from the gateway). */
export function prefersHtml(request: Request): boolean {
  return /\btext\/html\b/i.test(request.headers.get('accept') ?? '');
}

/**
 * A minimal page for a payer whose return from the gateway cannot be redirected (unknown order, no
 * stored return URL, a result that does not verify, the database down). No scripts, no external
 * resources, nothing from the query.
 */
export function payerErrorPage(status: number, message: string): Response {
  const title =
    status >= 500 ? 'Payment status unavailable' : status === 404 ? 'Payment not found' : 'Payment not confirmed';
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title></head>
<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem"><h1>${title}</h1><p>${escapeHtml(message)}</p>
<p>If you paid, the payment is not lost: it is confirmed with the payment gateway and will appear in your billing page shortly.</p></body></html>`;
  return new Response(html, {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      'referrer-policy': 'no-referrer',
    },
  });
}

/** An error on a route the payer's browser hits: a small page for browsers (`Accept: text/html`), JSON otherwise. */
export function payerErrorResponse(
  error: unknown,
  request: Request,
  deps: Pick<ResolvedHandlerOptions, 'logger'>,
  route: string,
): Response {
  const json = billingErrorResponse(error, { logger: deps.logger, context: { route } });
  if (!prefersHtml(request)) return json;
  const described = describeError(error);
  return payerErrorPage(described.status, described.message);
}
