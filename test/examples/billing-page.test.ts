import { describe, expect, it } from 'vitest';
import { billingPage, checkoutScriptUrl, PHONEPE_CHECKOUT_SCRIPT_URL } from '../../examples/common/billing-page.js';

describe('the example billing page’s checkout.js', () => {
  it("uses PhonePe's checkout.js for PhonePe's hosts and the stand-in of any other host", () => {
    expect(PHONEPE_CHECKOUT_SCRIPT_URL).toBe('https://mercury.phonepe.com/web/bundle/checkout.js');
    expect(checkoutScriptUrl()).toBe(PHONEPE_CHECKOUT_SCRIPT_URL);
    expect(checkoutScriptUrl('https://api-preprod.phonepe.com/apis/pg-sandbox')).toBe(PHONEPE_CHECKOUT_SCRIPT_URL);
    expect(checkoutScriptUrl('https://api.phonepe.com/apis/pg')).toBe(PHONEPE_CHECKOUT_SCRIPT_URL);
    expect(checkoutScriptUrl('http://127.0.0.1:8787/apis/pg-sandbox')).toBe(
      'http://127.0.0.1:8787/web/bundle/checkout.js',
    );
    // A look-alike host is not PhonePe.
    expect(checkoutScriptUrl('https://notphonepe.com/apis/pg')).toBe('https://notphonepe.com/web/bundle/checkout.js');
  });

  it("loads the script in the page and lets the CSP allow it and PhonePe's PayPage frames", () => {
    const live = billingPage({});
    expect(live.html).toContain(`<script src="${PHONEPE_CHECKOUT_SCRIPT_URL}"></script>`);
    expect(live.html).toContain('window.PhonePeCheckout.transact({ tokenUrl: created.payment_url })');
    // A plain navigation only for another gateway's payment_url (our checkout page), never PhonePe's.
    const navigation =
      /if \(created\.gateway !== 'phonepe'\) \{\n(?:\s*\/\/.*\n)*\s*location\.assign\(created\.payment_url\);/;
    expect(live.html).toMatch(navigation);
    expect(live.html.match(/location\.assign\(created\.payment_url\)/g)).toHaveLength(1);
    expect(live.headers['content-security-policy']).toBe(
      "default-src 'none'; script-src 'unsafe-inline' https://mercury.phonepe.com/web/bundle/checkout.js; style-src 'unsafe-inline'; connect-src 'self'; " +
        "frame-src https://mercury.phonepe.com https://mercury-uat.phonepe.com; form-action 'self'; frame-ancestors 'none'",
    );
    expect(live.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');

    const local = billingPage({ baseUrls: { pg: 'http://127.0.0.1:8787/apis/pg-sandbox' } });
    expect(local.html).toContain('<script src="http://127.0.0.1:8787/web/bundle/checkout.js"></script>');
    expect(local.headers['content-security-policy']).toContain(
      "script-src 'unsafe-inline' http://127.0.0.1:8787/web/bundle/checkout.js;",
    );
    expect(local.headers['content-security-policy']).toContain('frame-src http://127.0.0.1:8787;');
  });

  it('offers the gateways the manager holds, the default preselected; PhonePe alone without a choice', () => {
    expect(billingPage({}).html).toContain('data-gateways="phonepe" data-default-gateway="phonepe"');
    const both = billingPage({}, { names: ['phonepe', 'razorpay'], default: 'razorpay' });
    expect(both.html).toContain('data-gateways="phonepe razorpay" data-default-gateway="razorpay"');
    expect(both.html).not.toContain('{{');
    // Rendered into an attribute: escaped.
    expect(billingPage({}, { names: ['a"b'], default: '<x>' }).html).toContain(
      'data-gateways="a&quot;b" data-default-gateway="&lt;x&gt;"',
    );
  });
});
