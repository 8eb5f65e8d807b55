import { readFileSync } from 'node:fs';

/**
 * PhonePe's checkout script, which opens the PayPage (docs/phonepe-protocol.md#paypage). PhonePe's pages
 * give only this URL; we use it for the sandbox too.
 */
export const PHONEPE_CHECKOUT_SCRIPT_URL = 'https://mercury.phonepe.com/web/bundle/checkout.js';

/** Where PhonePe's PayPage lives: production and the sandbox (`mercury-uat`), for checkout.js's IFRAME mode. */
const PHONEPE_PAYPAGE_ORIGINS = ['https://mercury.phonepe.com', 'https://mercury-uat.phonepe.com'];

/** The emulator (or any PhonePe stand-in) serves its checkout.js at PhonePe's path on its own origin. */
const CHECKOUT_SCRIPT_PATH = '/web/bundle/checkout.js';

const template = readFileSync(new URL('./billing-page.html', import.meta.url), 'utf8');

/** The rendered page and the headers to send with it. */
export interface BillingPage {
  html: string;
  headers: Readonly<Record<string, string>>;
}

/**
 * The examples' billing page (served at `/`): plans with prices in rupees, a subscribe button, the current
 * subscription with usage bars, and cancel/resume. Static HTML with a little vanilla JS that calls the
 * `/v1` API with the signed-in user's JWT (kept in `sessionStorage`; it arrives in the URL fragment).
 * A PhonePe payment opens PhonePe's PayPage the documented way, with `PhonePeCheckout.transact` from
 * PhonePe's checkout.js; any other gateway's `payment_url` (Razorpay: the billing API's own checkout page)
 * is navigated to.
 *
 * Which checkout.js: PhonePe's, unless the app talks to another PhonePe-compatible host
 * (`PHONEPE_BASE_URL`, e.g. the emulator), whose own `/web/bundle/checkout.js` is used instead.
 * `gateways` is what the manager holds (`billing.gateways`): with more than one, the payer picks (the
 * default preselected); the page asks for the payer's email and phone for a Razorpay mandate.
 *
 * @example
 * const page = billingPage(config.phonepe, billing.gateways);
 * app.get('/', (c) => c.body(page.html, 200, page.headers));
 */
export function billingPage(
  phonepe: { baseUrls?: { pg: string } },
  gateways: { names: readonly string[]; default: string } = { names: ['phonepe'], default: 'phonepe' },
): BillingPage {
  const scriptUrl = checkoutScriptUrl(phonepe.baseUrls?.pg);
  const payPageOrigins =
    scriptUrl === PHONEPE_CHECKOUT_SCRIPT_URL ? PHONEPE_PAYPAGE_ORIGINS : [new URL(scriptUrl).origin];
  return {
    html: template
      .replace('{{CHECKOUT_SCRIPT_URL}}', escapeAttribute(scriptUrl))
      .replace('{{GATEWAYS}}', escapeAttribute(gateways.names.join(' ')))
      .replace('{{DEFAULT_GATEWAY}}', escapeAttribute(gateways.default)),
    headers: billingPageHeaders(scriptUrl, payPageOrigins),
  };
}

/** PhonePe's checkout.js, or the one of the PhonePe-compatible host at `pgBaseUrl` when that is not PhonePe. */
export function checkoutScriptUrl(pgBaseUrl?: string): string {
  if (!pgBaseUrl) return PHONEPE_CHECKOUT_SCRIPT_URL;
  const url = new URL(pgBaseUrl);
  const isPhonePe = url.hostname === 'phonepe.com' || url.hostname.endsWith('.phonepe.com');
  return isPhonePe ? PHONEPE_CHECKOUT_SCRIPT_URL : `${url.origin}${CHECKOUT_SCRIPT_PATH}`;
}

/**
 * Response headers for the page. The script may call only this origin and load only checkout.js; the
 * PayPage may be framed (checkout.js's IFRAME mode) from its own origins. Whether PhonePe's real
 * checkout.js needs more (`connect-src`, `img-src` for its hosts) is not documented: check the browser
 * console when going live. The referrer policy sends PhonePe this page's origin (never a path or query)
 * when the payer goes to the PayPage: PhonePe blocks a PayPage opened without a referrer from the
 * merchant's site (docs/phonepe-protocol.md#paypage).
 */
function billingPageHeaders(scriptUrl: string, payPageOrigins: string[]): Readonly<Record<string, string>> {
  const csp = [
    "default-src 'none'",
    `script-src 'unsafe-inline' ${scriptUrl}`,
    "style-src 'unsafe-inline'",
    "connect-src 'self'",
    `frame-src ${payPageOrigins.join(' ')}`,
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'content-security-policy': csp,
  };
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
