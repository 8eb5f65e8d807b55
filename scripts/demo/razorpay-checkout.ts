/** What the Razorpay checkout showed, and the result its script posts to the callback. */
export interface RazorpayCheckoutVisit {
  /** The script our checkout page loads (the emulator's checkout.js stand-in). */
  scriptUrl: string;
  /** The options our page opens it with: `key`, `order_id` (Razorpay's), `amount`, `callback_url`, … */
  options: { key: string; order_id: string; callback_url: string; [name: string]: unknown };
  /** The amount the emulator's Checkout shows, e.g. `₹2999.00`. */
  amountText: string;
  /** What Pay answered: `razorpay_payment_id`, `razorpay_order_id`, `razorpay_signature`. */
  result: Record<string, string>;
}

/**
 * Pays a Razorpay `payment_url` the way a browser does, step by step and without a browser: loads our
 * checkout page (`GET /v1/payments/checkout?order_id=…`) and reads the script and options it opens
 * Razorpay's Checkout with, loads that script (the emulator's stand-in), opens the page the script frames
 * and presses its Pay — the same request the page's button sends. The caller then posts `result` to
 * `options.callback_url`, as the script does when no `handler` is given.
 *
 * @example
 * const visit = await payOnRazorpayCheckout(created.payment_url);
 * await fetch(visit.options.callback_url, { method: 'POST', body: new URLSearchParams(visit.result), redirect: 'manual' });
 */
export async function payOnRazorpayCheckout(paymentUrl: string): Promise<RazorpayCheckoutVisit> {
  const page = await fetch(paymentUrl, { headers: { accept: 'text/html' }, redirect: 'manual' });
  const html = await page.text();
  if (page.status !== 200) throw new Error(`the checkout page ${paymentUrl} answered ${page.status}`);
  const scriptUrl = /<script src="([^"]+)"><\/script>/.exec(html)?.[1];
  const optionsJson = /var options = (\{.*\});\n/.exec(html)?.[1];
  if (!scriptUrl || !optionsJson) throw new Error(`the checkout page ${paymentUrl} opens no checkout script`);
  const options = JSON.parse(optionsJson) as RazorpayCheckoutVisit['options'];

  const script = await fetch(unescapeHtml(scriptUrl));
  const scriptText = await script.text();
  // The stand-in frames `ORIGIN + "<path>" + '?' + …` with the key and order (what `open()` does).
  const framePath = /ORIGIN \+ "([^"]+)"/.exec(scriptText)?.[1];
  if (script.status !== 200 || !framePath)
    throw new Error(`the checkout script ${scriptUrl} answered ${script.status}`);
  const frameUrl = new URL(framePath, unescapeHtml(scriptUrl));
  frameUrl.search = new URLSearchParams({ key_id: options.key, order_id: options.order_id }).toString();
  for (const name of ['customer_id', 'recurring'] as const)
    if (options[name] != null) frameUrl.searchParams.set(name, String(options[name]));
  const frame = await fetch(frameUrl);
  const frameHtml = await frame.text();
  const context = /var ctx = (\{.*\});/.exec(frameHtml)?.[1];
  const amountText = /<strong id="amount">([^<]+)</.exec(frameHtml)?.[1] ?? '';
  if (frame.status !== 200 || !context) throw new Error(`the emulator's Checkout answered ${frame.status}`);

  // Pay: the page's button POSTs its context to `<frame path>/pay` and hands the answer to the script.
  const pay = await fetch(new URL(`${frameUrl.pathname}/pay`, frameUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: context,
  });
  const result = (await pay.json()) as Record<string, string>;
  if (pay.status !== 200) throw new Error(`Pay answered ${pay.status}: ${JSON.stringify(result)}`);
  return { scriptUrl: unescapeHtml(scriptUrl), options, amountText, result };
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
