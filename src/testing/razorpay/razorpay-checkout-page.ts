import type { OrderRecord } from './razorpay-records.js';

/** Where the emulator serves its `checkout.js`, the path Razorpay serves its own from (`https://checkout.razorpay.com/v1/checkout.js`). */
export const RAZORPAY_CHECKOUT_SCRIPT_PATH = '/v1/checkout.js';
/** The page the stand-in opens in its iframe. */
export const RAZORPAY_CHECKOUT_PAGE_PATH = '/checkout/embedded';

const json = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');
const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** Paise as rupees for display, in integer arithmetic. */
const rupees = (paise: number) => `${Math.floor(paise / 100)}.${String(paise % 100).padStart(2, '0')}`;

/**
 * A stand-in for Razorpay's Standard Checkout script
 * (https://razorpay.com/docs/developer-tools/integrations/standard-checkout):
 * defines `window.Razorpay` — `new Razorpay(options)`, `.open()`, `.close()`, `.on('payment.failed', fn)` —
 * and opens the emulator's page in an iframe overlay. Success calls `options.handler` with
 * `{razorpay_payment_id, razorpay_order_id, razorpay_signature}` (or, without a handler, POSTs them to
 * `options.callback_url`); Fail fires `payment.failed` with `{error}` and keeps the modal open;
 * Close calls `options.modal.ondismiss`.
 */
export function checkoutScript(origin: string): string {
  return `/* Razorpay emulator checkout.js — a test stand-in, not Razorpay's script. */
(function () {
  'use strict';
  var ORIGIN = ${json(origin)};
  function Razorpay(options) {
    if (!(this instanceof Razorpay)) return new Razorpay(options);
    if (!options || !options.key) throw new Error('Razorpay emulator: options.key is required');
    this.options = options;
    this._handlers = {};
    this._frame = null;
  }
  Razorpay.prototype.on = function (event, fn) {
    (this._handlers[event] = this._handlers[event] || []).push(fn);
    return this;
  };
  Razorpay.prototype._emit = function (event, payload) {
    (this._handlers[event] || []).forEach(function (fn) { fn(payload); });
  };
  Razorpay.prototype.open = function () {
    var self = this, o = self.options;
    if (self._frame) return self;
    var q = new URLSearchParams({ key_id: String(o.key), order_id: String(o.order_id || '') });
    ['name', 'description', 'customer_id', 'recurring'].forEach(function (k) { if (o[k] != null) q.set(k, String(o[k])); });
    var wrap = document.createElement('div');
    wrap.className = 'razorpay-container';
    wrap.style.cssText = 'position:fixed;inset:0;z-index:2147483647;background:rgba(0,0,0,.6);display:flex;align-items:center;justify-content:center';
    var frame = document.createElement('iframe');
    frame.className = 'razorpay-checkout-frame';
    frame.name = 'razorpay-checkout-frame';
    frame.title = 'Razorpay emulator checkout';
    frame.src = ORIGIN + ${json(RAZORPAY_CHECKOUT_PAGE_PATH)} + '?' + q.toString();
    frame.style.cssText = 'width:420px;height:520px;border:0;background:#fff;border-radius:8px';
    wrap.appendChild(frame);
    document.body.appendChild(wrap);
    self._frame = wrap;
    self._listener = function (e) {
      if (e.origin !== ORIGIN || e.source !== frame.contentWindow) return;
      var m = e.data || {};
      if (m.source !== 'razorpay-emulator') return;
      if (m.kind === 'success') {
        self.close();
        if (typeof o.handler === 'function') o.handler(m.response);
        else if (o.callback_url) post(o.callback_url, m.response);
      } else if (m.kind === 'failed') {
        self._emit('payment.failed', m.response);
      } else if (m.kind === 'dismiss') {
        self.close();
        if (o.modal && typeof o.modal.ondismiss === 'function') o.modal.ondismiss();
      }
    };
    window.addEventListener('message', self._listener);
    return self;
  };
  Razorpay.prototype.close = function () {
    if (!this._frame) return;
    this._frame.remove();
    this._frame = null;
    window.removeEventListener('message', this._listener);
  };
  function post(url, fields) {
    var form = document.createElement('form');
    form.method = 'POST';
    form.action = url;
    Object.keys(fields).forEach(function (k) {
      var input = document.createElement('input');
      input.type = 'hidden'; input.name = k; input.value = fields[k];
      form.appendChild(input);
    });
    document.body.appendChild(form);
    form.submit();
  }
  window.Razorpay = Razorpay;
})();
`;
}

/** The page inside the iframe: what is being paid, and Pay / Fail / Close buttons. */
export function checkoutPage(input: {
  keyId: string;
  order: OrderRecord;
  name?: string;
  description?: string;
  /** Checkout's `recurring` option as the page got it; an authorisation order needs `1` to create a token. */
  recurring?: string;
  customerId?: string;
}): string {
  const { order } = input;
  const mandate = order.tokenTerms
    ? `<p id="mandate">UPI Autopay mandate: up to ₹${rupees(order.tokenTerms.max_amount)}, ${escapeHtml(order.tokenTerms.frequency)}</p>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Razorpay emulator checkout</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;margin:24px}button{display:block;width:100%;margin:8px 0;padding:12px;font-size:16px}#status{min-height:1.5em}</style>
</head><body>
<h1>${escapeHtml(input.name ?? 'Razorpay emulator')}</h1>
<p>${escapeHtml(input.description ?? 'Test payment — no money moves.')}</p>
<p>Order <code id="order-id">${escapeHtml(order.id)}</code></p>
<p>Amount <strong id="amount">₹${rupees(order.amount)}</strong></p>
${mandate}
<button id="pay" type="button">Pay</button>
<button id="fail" type="button">Fail</button>
<button id="close" type="button">Close</button>
<p id="status" role="status"></p>
<script>
(function () {
  var ctx = ${json({ key_id: input.keyId, order_id: order.id, recurring: input.recurring ?? null, customer_id: input.customerId ?? null })};
  var status = document.getElementById('status');
  function tell(kind, response) { parent.postMessage({ source: 'razorpay-emulator', kind: kind, response: response }, '*'); }
  function call(path) {
    return fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ctx) })
      .then(function (r) { return r.json().then(function (body) { if (!r.ok) throw body; return body; }); });
  }
  function refused(body) { status.textContent = (body && body.error && body.error.description) || 'The emulator refused.'; }
  document.getElementById('pay').onclick = function () {
    status.textContent = 'Paying…';
    call('${RAZORPAY_CHECKOUT_PAGE_PATH}/pay').then(function (res) { status.textContent = 'Paid'; tell('success', res); }, refused);
  };
  document.getElementById('fail').onclick = function () {
    call('${RAZORPAY_CHECKOUT_PAGE_PATH}/fail').then(function (res) { status.textContent = 'Payment failed'; tell('failed', res); }, refused);
  };
  document.getElementById('close').onclick = function () { tell('dismiss'); };
})();
</script>
</body></html>`;
}

/** A plain page for a checkout that cannot open (wrong key, unknown or paid order). */
export function checkoutErrorPage(message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Razorpay emulator checkout</title></head><body><h1>Checkout cannot open</h1><p id="error">${escapeHtml(message)}</p><button id="close" type="button" onclick="parent.postMessage({source:'razorpay-emulator',kind:'dismiss'},'*')">Close</button></body></html>`;
}
