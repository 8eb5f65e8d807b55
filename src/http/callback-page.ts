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
<p>If you paid, the payment is not lost: it is confirmed with PhonePe and will appear in your billing page shortly.</p></body></html>`;
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
