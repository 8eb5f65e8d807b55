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
