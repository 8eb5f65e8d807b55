import { escapeHtml } from './escape-html.js';

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
