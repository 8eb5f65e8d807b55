/** What the emulator's hosted checkout page showed, and what submitting its form answered. */
export interface HostedPageVisit {
  /** The amount the page shows, e.g. `₹2,999.00`. */
  amountText: string;
  /** The form's absolute action URL. */
  formAction: string;
  /** The answer to the form POST: a 302 to the merchant's redirect URL when all went well. */
  status: number;
  location: string | null;
}

/**
 * Opens the emulator's hosted checkout page (plain HTML) the way checkout.js does from the billing page —
 * with the page's URL as referrer, which is what PhonePe checks — and submits its form exactly as a
 * browser does when the payer presses a button: `application/x-www-form-urlencoded` with the hidden
 * token, the chosen payment mode and the button's `action=pay|fail|cancel`. Redirects are not followed,
 * so the caller sees them.
 *
 * @example
 * const visit = await submitHostedPage(created.payment_url, `${app.url}/`, 'pay');  // visit.location: the callback URL
 */
export async function submitHostedPage(
  paymentUrl: string,
  referrer: string,
  action: 'pay' | 'fail' | 'cancel' = 'pay',
  paymentMode = 'UPI_INTENT',
): Promise<HostedPageVisit> {
  const page = await fetch(paymentUrl, { referrer });
  const html = await page.text();
  if (page.status !== 200) throw new Error(`the hosted page ${paymentUrl} answered ${page.status}`);
  const form = /<form method="post" action="([^"]+)">/.exec(html)?.[1];
  const token = /<input type="hidden" name="token" value="([^"]+)">/.exec(html)?.[1];
  const amountText = /data-testid="amount">([^<]+)</.exec(html)?.[1] ?? '';
  if (!form || !token) throw new Error(`the hosted page ${paymentUrl} has no payment form`);
  const formAction = new URL(unescapeHtml(form), paymentUrl).href;
  const body = new URLSearchParams({ token: unescapeHtml(token), paymentMode, action });
  const answer = await fetch(formAction, { method: 'POST', body, redirect: 'manual' });
  await answer.body?.cancel();
  return {
    amountText: unescapeHtml(amountText),
    formAction,
    status: answer.status,
    location: answer.headers.get('location'),
  };
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
