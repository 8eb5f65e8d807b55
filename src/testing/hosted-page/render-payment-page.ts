import type { OrderRecord, SubscriptionRecord } from '../core/records.js';
import { PAYER_PAYMENT_MODES } from '../core/records.js';
import { escapeHtml } from './escape-html.js';
import { formatRupees } from './format-rupees.js';
import { pageLayout } from './page-layout.js';

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
