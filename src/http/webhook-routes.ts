import { BillingError, isBillingError } from '../billing/errors.js';
import type { WebhookHandlingResult } from '../billing/handle-webhook.js';
import type { WebhookEvent } from '../webhooks/index.js';
import { isWebhookVerificationError } from '../webhooks/verify-webhook.js';
import { billingErrorResponse, BillingHttpError, describeError, jsonResponse } from './errors.js';
import { ORDER_ID, readBodyBytes } from './request.js';
import type { RouteCall, RouteDefinition } from './route-table.js';

const NOT_CONFIRMED_RETRY_AFTER_S = 30;

/**
 * `POST /payments/webhook`: PhonePe's server-to-server callback, authenticated by its `Authorization`
 * header (SHA-256 of the dashboard username:password, docs/phonepe-protocol.md#webhook-auth), not by a user. The raw
 * body goes to the verifier, the event to `billing.handleWebhook`, and the answer is 200
 * `{ status, outcome, event }` only after the store committed (duplicates are 200 too). Missing or
 * wrong Authorization → 401; a body that is not a PhonePe event → 400; the database or PhonePe down,
 * or an event PhonePe's status API does not confirm yet → 503, so PhonePe delivers it again.
 */
async function webhook({ request, deps }: RouteCall): Promise<Response> {
  const body = await readBodyBytes(request, deps.maxBodyBytes);
  let event: WebhookEvent;
  try {
    event = await deps.verifier.verify({ authorization: request.headers.get('authorization'), body });
  } catch (error) {
    // Only the reason: never the received header or the body.
    if (isWebhookVerificationError(error)) {
      const probably =
        error.hint === 'not_sha256'
          ? "; the Authorization header is not a 64-hex SHA-256: choose 'Basic (SHA)' auth for the webhook in the PhonePe dashboard"
          : '';
      deps.logger.warn(
        { reason: error.reason, ...(error.hint ? { hint: error.hint } : {}) },
        `PhonePe webhook refused${probably}`,
      );
    }
    throw error;
  }
  const result = await deps.billing.handleWebhook(event);
  deps.logger.info(
    { event: result.event, outcome: result.outcome, dedupeKey: result.dedupeKey },
    'PhonePe webhook handled',
  );
  if (result.outcome === 'unconfirmed') {
    // Nothing applied and the event stays open: a non-2xx makes PhonePe deliver it again later.
    throw new BillingHttpError(
      'WEBHOOK_NOT_CONFIRMED',
      `PhonePe's status API does not confirm ${result.event} yet; deliver it again later.`,
      { headers: { 'retry-after': String(NOT_CONFIRMED_RETRY_AFTER_S) } },
    );
  }
  return jsonResponse(200, { status: 'success', outcome: result.outcome, event: result.event });
}

/**
 * `POST /payments/webhook/{gateway}`: the webhooks of a gateway that signs them with a secret of its own
 * (Razorpay: `X-Razorpay-Signature`, HMAC-SHA256 of the raw body; docs/razorpay.md#webhooks). The gateway
 * verifies the raw body — so mount the handler before any JSON body parser for this path — and the event is
 * settled like PhonePe's: 200 only after the store committed; a bad signature 401, a body that is no event
 * 400, an event the gateway's API does not confirm yet or a dependency down 503 (the gateway redelivers).
 * A gateway this manager does not hold is 404.
 */
async function gatewayWebhook({ request, params, deps }: RouteCall): Promise<Response> {
  const name = params.gateway as string;
  if (!deps.billing.gateways.names.includes(name) || name === 'phonepe')
    throw new BillingHttpError('NOT_FOUND', `No webhooks are taken for "${name}" here.`);
  const body = await readBodyBytes(request, deps.maxBodyBytes);
  let result: WebhookHandlingResult;
  try {
    result = await deps.billing.handleGatewayWebhook(name, { body, headers: request.headers });
  } catch (error) {
    // Only the reason: never the received headers or the body.
    if (isBillingError(error) && (error.code === 'WEBHOOK_REJECTED' || error.code === 'INVALID_INPUT'))
      deps.logger.warn({ gateway: name, code: error.code }, `${name} webhook refused`);
    throw error;
  }
  deps.logger.info(
    { gateway: name, event: result.event, outcome: result.outcome, dedupeKey: result.dedupeKey },
    `${name} webhook handled`,
  );
  if (result.outcome === 'unconfirmed')
    throw new BillingHttpError(
      'WEBHOOK_NOT_CONFIRMED',
      `The gateway's API does not confirm ${result.event} yet; deliver it again later.`,
      { headers: { 'retry-after': String(NOT_CONFIRMED_RETRY_AFTER_S) } },
    );
  return jsonResponse(200, { status: 'success', outcome: result.outcome, event: result.event });
}

export const webhookRoutes: RouteDefinition[] = [
  { method: 'POST', path: '/payments/webhook', access: 'public', handle: webhook },
  { method: 'POST', path: '/payments/webhook/:gateway', access: 'public', handle: gatewayWebhook },
];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);

/** True when the caller is a browser asking for a page (the payer coming back from PhonePe). */
export function prefersHtml(request: Request): boolean {
  return /\btext\/html\b/i.test(request.headers.get('accept') ?? '');
}

/**
 * A minimal page for a payer whose return from PhonePe cannot be redirected (unknown order, no
 * stored return URL, the database down). No scripts, no external resources, nothing from the query.
 */
export function callbackErrorPage(status: number, message: string): Response {
  const title = status >= 500 ? 'Payment status unavailable' : 'Payment not found';
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
