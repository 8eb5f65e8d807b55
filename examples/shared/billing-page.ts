import { readFileSync } from 'node:fs';

/**
 * The examples' billing page (served at `/`): plans with prices in rupees, a subscribe button, the current
 * subscription with usage bars, and cancel/resume. Static HTML with a little vanilla JS that calls the
 * `/v1` API with the signed-in user's JWT (kept in `sessionStorage`; it arrives in the URL fragment).
 *
 * @example
 * app.get('/', (c) => c.body(billingPageHtml, 200, BILLING_PAGE_HEADERS));
 */
export const billingPageHtml: string = readFileSync(new URL('./billing-page.html', import.meta.url), 'utf8');

/**
 * Response headers for the page: the script may only call this origin. The referrer policy sends PhonePe
 * the origin (never a path or query) when the payer goes to its checkout page: older PhonePe guides warn
 * that a page opened without a referrer may be refused (phonepe-api.md §2.2, UNCONFIRMED).
 */
export const BILLING_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'content-security-policy': "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'",
};
