import { type EmulatorCore, type EmulatorCoreConfig, outcomeFor } from './core/emulator-core.js';
import { completeOrder, failOrder, KNOWN_FAILURES, startAttempt } from './core/order-transitions.js';
import {
  type OrderRecord,
  PAYER_PAYMENT_MODES,
  type PayerPaymentMode,
  type SubscriptionRecord,
} from './core/records.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/**
 * Integer paise as rupees with Indian digit grouping, by integer arithmetic (no floats):
 * `299900` → `₹2,999.00`, `12345678` → `₹1,23,456.78`.
 *
 * @example
 * formatRupees(299900); // "₹2,999.00"
 */
export function formatRupees(paise: number): string {
  if (!Number.isSafeInteger(paise) || paise < 0)
    throw new RangeError(`formatRupees needs a non-negative integer of paise, got ${paise}`);
  const whole = String(Math.trunc(paise / 100));
  const fraction = String(paise % 100).padStart(2, '0');
  const lastThree = whole.slice(-3);
  const rest = whole.slice(0, -3).replace(/\B(?=(\d{2})+$)/g, ',');
  return `₹${rest ? `${rest},${lastThree}` : lastThree}.${fraction}`;
}

const STYLE = `
body{font-family:system-ui,sans-serif;background:#f3f0fa;margin:0;padding:2rem;color:#222}
main{max-width:28rem;margin:auto;background:#fff;border-radius:12px;padding:1.5rem;box-shadow:0 2px 12px #0002}
h1{font-size:1.2rem;color:#5f259f;margin-top:0}
dl{display:grid;grid-template-columns:auto 1fr;gap:.4rem 1rem}dt{color:#666}dd{margin:0;font-weight:600}
.amount{font-size:1.8rem;font-weight:700;margin:.5rem 0}
form{margin-top:1rem}button{font-size:1rem;padding:.6rem 1rem;margin:.25rem .25rem 0 0;border-radius:8px;border:1px solid #5f259f;cursor:pointer}
button.primary{background:#5f259f;color:#fff}.note{color:#666;font-size:.85rem}`;

/** A complete, script-free HTML page in the emulator's look. */
export function pageLayout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>${body}
<p class="note">PhonePe emulator — a local test double; no real money moves.</p></main></body></html>`;
}

/** An HTML answer. */
export function htmlResponse(html: string, status = 200): Response {
  return new Response(html, {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  });
}

function row(label: string, value: string): string {
  return `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`;
}

/** Where the form goes, and whether the page sits in `checkout.js`'s iframe (then it answers with a message, not a redirect). */
export interface PageForm {
  action: string;
  frame?: boolean;
}

function actionForm(form: PageForm, token: string, buttons: [string, string, boolean][], withModes: boolean): string {
  const modes = PAYER_PAYMENT_MODES.map((m) => `<option value="${m}">${m.replaceAll('_', ' ')}</option>`).join('');
  return `<form method="post" action="${escapeHtml(form.action)}">
<input type="hidden" name="token" value="${escapeHtml(token)}">
${form.frame ? '<input type="hidden" name="frame" value="1">\n' : ''}${withModes ? `<label>Pay with <select name="paymentMode">${modes}</select></label><br>` : ''}
${buttons.map(([value, label, primary]) => `<button type="submit" name="action" value="${value}"${primary ? ' class="primary"' : ''}>${escapeHtml(label)}</button>`).join('')}
</form>`;
}

/** The hosted checkout page: merchant, order, amount in rupees; Pay, Fail, Cancel. */
export function renderCheckoutPage(order: OrderRecord, form: PageForm): string {
  return pageLayout(
    'PhonePe checkout (emulator)',
    `<h1>Pay ${escapeHtml(order.merchantId)}</h1>
<div class="amount" data-testid="amount">${formatRupees(order.amount)}</div>
<dl>${row('Merchant', order.merchantId)}${row('Order', order.merchantOrderId)}${row('PhonePe order', order.orderId)}${row('Expires', new Date(order.expireAt).toISOString())}</dl>
${actionForm(
  form,
  order.pageToken,
  [
    ['pay', 'Pay', true],
    ['fail', 'Fail', false],
    ['cancel', 'Cancel', false],
  ],
  true,
)}`,
  );
}

/** The mandate-approval variant: frequency, max amount, first debit; Approve, Decline, Cancel. */
export function renderMandatePage(order: OrderRecord, sub: SubscriptionRecord, form: PageForm): string {
  const firstDebit =
    sub.authWorkflowType === 'PENNY_DROP'
      ? `${formatRupees(order.amount)} (verification, reversed)`
      : formatRupees(order.amount);
  return pageLayout(
    'PhonePe AutoPay mandate (emulator)',
    `<h1>Set up AutoPay for ${escapeHtml(order.merchantId)}</h1>
<dl>${row('Merchant', order.merchantId)}${row('Subscription', sub.merchantSubscriptionId)}${row('Frequency', sub.frequency)}${row('Max amount', formatRupees(sub.maxAmount))}${row('Amount type', sub.amountType)}${row('First debit', firstDebit)}${row('Valid until', new Date(sub.expireAt).toISOString().slice(0, 10))}</dl>
${actionForm(
  form,
  order.pageToken,
  [
    ['pay', 'Approve', true],
    ['fail', 'Decline', false],
    ['cancel', 'Cancel', false],
  ],
  false,
)}`,
  );
}

/** A page for an order that can no longer be paid, or an API-family setup that has no merchant page to return to. */
export function renderResultPage(order: OrderRecord, returnUrl?: string): string {
  const reason =
    order.state === 'FAILED' && order.failure?.detailedErrorCode === 'INTENT_EXPIRED'
      ? 'This payment request has expired.'
      : `This order is ${order.state}.`;
  return pageLayout(
    'PhonePe (emulator)',
    `<h1>${escapeHtml(order.merchantOrderId)}</h1><p data-testid="state">${escapeHtml(reason)}</p>
${returnUrl ? `<p><a href="${escapeHtml(returnUrl)}">Return to ${escapeHtml(order.merchantId)}</a></p>` : '<p>You can close this window.</p>'}`,
  );
}

/** An unknown or unusable token. */
export function renderNotFoundPage(): string {
  return pageLayout(
    'PhonePe (emulator)',
    '<h1>Payment link not found</h1><p>This link is invalid. Start the payment again from the merchant.</p>',
  );
}

/** A PayPage load refused by `requireReferrer`: opened without a referrer from the merchant's site. */
export function renderReferrerRefusedPage(): string {
  return pageLayout(
    'PhonePe (emulator)',
    `<h1 data-testid="referrer-refused">Payment page blocked</h1>
<p>This payment page was opened without a referrer from the merchant's site (a new tab, an e-mail link, or a
<code>no-referrer</code> policy). PhonePe blocks such transactions. Start the payment again from the merchant's
page, which opens this page with <code>PhonePeCheckout.transact</code>.</p>`,
  );
}

/**
 * What a button answers inside `checkout.js`'s iframe: a page that tells its parent (the stand-in
 * script) that the payer is done. The response is all it says, as PhonePe's callback does.
 */
export function renderFrameConcludedPage(response: 'CONCLUDED' | 'USER_CANCEL'): string {
  const message = JSON.stringify({ source: 'phonepe-emulator-paypage', response });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>PhonePe (emulator)</title></head>
<body><p data-testid="frame-concluded">${response === 'USER_CANCEL' ? 'Payment cancelled.' : 'Payment concluded.'} You can close this window.</p>
<script>window.parent.postMessage(${message}, '*');</script></body></html>`;
}

/**
 * The emulator's stand-in for PhonePe's `checkout.js` (docs/phonepe-protocol.md#paypage), served at
 * `/web/bundle/checkout.js`. Same API as PhonePe's:
 *
 * - `PhonePeCheckout.transact({ tokenUrl })` — no `type`: the page goes to the PayPage (a same-tab
 *   navigation, so the browser sends the merchant's origin as referrer);
 * - `PhonePeCheckout.transact({ tokenUrl, type: 'IFRAME', callback })` — the PayPage opens in an
 *   iframe over the merchant's page; when the payer is done it closes and `callback` gets
 *   `'CONCLUDED'` (paid or failed: ask the status API) or `'USER_CANCEL'`;
 * - `PhonePeCheckout.closePage()` — closes the iframe.
 *
 * In IFRAME mode the script adds `frame=1` to the PayPage URL; the emulator's page then answers a
 * button with a `postMessage` to its parent instead of a redirect. Messages are taken only from the
 * iframe itself, on the PayPage's origin. ES5 and no dependencies, like a script merchants embed.
 */
export const CHECKOUT_SCRIPT = `/* PhonePe checkout.js stand-in (phonepe-billing emulator). Not PhonePe's code. */
(function () {
  'use strict';
  if (window.PhonePeCheckout) return;
  var open = null;

  function closePage() {
    if (!open) return;
    window.removeEventListener('message', open.listener);
    if (open.overlay.parentNode) open.overlay.parentNode.removeChild(open.overlay);
    open = null;
  }

  function transact(options) {
    if (!options || typeof options.tokenUrl !== 'string' || options.tokenUrl === '') {
      throw new TypeError('PhonePeCheckout.transact needs { tokenUrl }: the redirectUrl PhonePe answered to the pay call.');
    }
    var url = new URL(options.tokenUrl, window.location.href);
    if (options.type !== 'IFRAME') {
      window.location.href = url.href;
      return;
    }
    closePage();
    url.searchParams.set('frame', '1');
    var overlay = document.createElement('div');
    overlay.setAttribute('data-phonepe-checkout', 'overlay');
    overlay.style.cssText = 'position:fixed;top:0;left:0;right:0;bottom:0;z-index:2147483647;background:rgba(0,0,0,.5);display:flex;align-items:center;justify-content:center';
    var iframe = document.createElement('iframe');
    iframe.setAttribute('data-phonepe-checkout', 'frame');
    iframe.title = 'PhonePe checkout';
    iframe.src = url.href;
    iframe.style.cssText = 'width:28rem;max-width:100%;height:40rem;max-height:100%;border:0;border-radius:12px;background:#fff';
    overlay.appendChild(iframe);
    var listener = function (event) {
      if (!open || event.origin !== url.origin || event.source !== iframe.contentWindow) return;
      var data = event.data;
      if (!data || data.source !== 'phonepe-emulator-paypage') return;
      closePage();
      if (typeof options.callback === 'function') options.callback(data.response === 'USER_CANCEL' ? 'USER_CANCEL' : 'CONCLUDED');
    };
    open = { overlay: overlay, listener: listener };
    window.addEventListener('message', listener);
    document.body.appendChild(overlay);
  }

  window.PhonePeCheckout = { transact: transact, closePage: closePage };
})();
`;

export const PAYER_ACTIONS = ['pay', 'fail', 'cancel'] as const;
export type PayerAction = (typeof PAYER_ACTIONS)[number];

/**
 * What a hosted-page button does to a PENDING order: Pay/Approve completes it (under outcome
 * `pending` it only starts a payment that never settles), Fail/Decline fails it as declined, Cancel
 * fails it as not completed by the customer. A settled order is left alone.
 */
export function applyPayerAction(
  core: EmulatorCore,
  order: OrderRecord,
  action: PayerAction,
  mode: string | null,
): void {
  if (order.state !== 'PENDING') return;
  const paymentMode: PayerPaymentMode =
    PAYER_PAYMENT_MODES.find((m) => m === mode) ?? order.setupPaymentMode ?? 'UPI_INTENT';
  if (action === 'pay') {
    if (outcomeFor(core, order.merchantId) === 'pending') startAttempt(core, order, paymentMode);
    else completeOrder(core, order, paymentMode);
  } else if (action === 'fail') {
    failOrder(core, order, KNOWN_FAILURES.declined, { withAttempt: true, paymentMode });
  } else {
    failOrder(core, order, KNOWN_FAILURES.cancelled, { withAttempt: false, paymentMode });
  }
}

/**
 * Whether a PayPage load with this `Referer` is let through under `requireReferrer`. PhonePe blocks
 * a PayPage opened without a referrer from the merchant's site — a new tab or window, an e-mail
 * link, a `no-referrer` policy (docs/phonepe-protocol.md#paypage). A same-tab navigation or an
 * iframe from the merchant's page carries the origin under the default referrer policy and passes.
 */
export function referrerAllowed(rule: EmulatorCoreConfig['requireReferrer'], referer: string | null): boolean {
  if (rule === false) return true;
  if (!referer) return false;
  if (rule === 'any') return true;
  return URL.canParse(referer) && rule.includes(new URL(referer).origin);
}
