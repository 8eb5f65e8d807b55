/**
 * The operator dashboard's page: a static shell, its stylesheet and its script, in the no-build style of
 * the examples' billing page (plain HTML and vanilla JS, no CDN). The shell carries no data: the script
 * fetches `dashboard/data` with the signed-in staff member's credentials and draws every chart as inline
 * SVG through DOM calls (`textContent`, `setAttribute`), never `innerHTML`, so nothing from the data is
 * parsed as markup. The script and stylesheet are separate routes so the CSP allows no inline code.
 */

/**
 * Headers of every dashboard response: only this origin's script, style and data; never cached, framed,
 * sniffed or sent a referrer.
 */
export const DASHBOARD_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'cache-control': 'no-store',
  'content-security-policy': [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "connect-src 'self'",
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
});

export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Billing — operator dashboard</title>
<link rel="stylesheet" href="dashboard/dashboard.css">
<script src="dashboard/dashboard.js" defer></script>
</head>
<body>
<header>
  <h1>Billing — operator dashboard</h1>
  <form id="range">
    <label>From <input type="date" name="from" required></label>
    <label>To <input type="date" name="to" required></label>
    <button type="submit">Show</button>
  </form>
</header>
<p id="status" role="status">Loading…</p>
<form id="signin" hidden>
  <p>Sign in as staff: paste a token. It stays in this tab only.</p>
  <label>Token <textarea name="token" rows="3" required></textarea></label>
  <button type="submit">Sign in</button>
</form>
<main id="content" hidden>
  <section id="totals" aria-label="Totals"></section>
  <section id="charts" aria-label="Charts (UTC days)"></section>
  <section>
    <h2>Past-due subscriptions</h2>
    <table id="past-due"></table>
  </section>
  <section>
    <h2>Failed webhooks</h2>
    <table id="failed-webhooks"></table>
  </section>
  <section id="dead-events-section" hidden>
    <h2>Dead-lettered events</h2>
    <table id="dead-events"></table>
  </section>
</main>
</body>
</html>
`;

export const DASHBOARD_CSS = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 1rem; color: #111827; }
header { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: 1rem; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
#totals { display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); gap: .5rem; }
.tile { border: 1px solid #e5e7eb; border-radius: 6px; padding: .5rem .75rem; }
.tile b { display: block; font-size: 1.2rem; }
#charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 1rem; margin-top: 1rem; }
figure { margin: 0; border: 1px solid #e5e7eb; border-radius: 6px; padding: .5rem; }
figcaption { font-weight: 600; margin-bottom: .25rem; }
svg { width: 100%; height: auto; display: block; background: #ffffff; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #e5e7eb; padding: .25rem .5rem; text-align: left; vertical-align: top; }
td.empty { color: #6b7280; }
#status.error { color: #b91c1c; }
textarea { width: 100%; }
`;

// Plain ES2017 in a template literal: no backticks and no dollar-brace inside.
export const DASHBOARD_SCRIPT = String.raw`'use strict';
(function () {
  var base = location.pathname.replace(/\/dashboard\/?$/, '');
  var statusEl = document.getElementById('status');
  var content = document.getElementById('content');
  var signin = document.getElementById('signin');
  var rangeForm = document.getElementById('range');
  var SVG = 'http://www.w3.org/2000/svg';
  var DAY = 86400000;

  var fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.get('token')) {
    sessionStorage.setItem('staffToken', fragment.get('token'));
    history.replaceState(null, '', location.pathname + location.search);
  }

  var CHARTS = [
    { id: 'revenue', title: 'Net revenue (₹)', kind: 'bar', color: '#2563eb', value: function (d) { return d.revenue.netPaise / 100; } },
    { id: 'mrr', title: 'MRR at day end (₹)', kind: 'line', color: '#7c3aed', value: function (d) { return d.mrrPaise / 100; } },
    { id: 'payments', title: 'Payments completed', kind: 'bar', color: '#16a34a', value: function (d) { return d.payments.completed; } },
    { id: 'payments-failed', title: 'Payments failed or expired', kind: 'bar', color: '#dc2626', value: function (d) { return d.payments.failed + d.payments.expired; } },
    { id: 'subscriptions', title: 'New subscriptions', kind: 'bar', color: '#0891b2', value: function (d) { return d.subscriptions.new; } },
    { id: 'churn', title: 'Churned subscriptions', kind: 'bar', color: '#ea580c', value: function (d) { return d.subscriptions.churned; } },
    { id: 'webhooks', title: 'Webhooks processed', kind: 'bar', color: '#4b5563', value: function (d) { return d.webhooks.processed; } },
    { id: 'webhooks-failed', title: 'Webhooks failed', kind: 'bar', color: '#be123c', value: function (d) { return d.webhooks.failed; } },
    { id: 'settle', title: 'Callback → settlement p95 (ms)', kind: 'line', color: '#ca8a04', value: function (d) { return d.settle.p95Ms; } }
  ];

  function el(name, text) {
    var node = document.createElement(name);
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function svgEl(name, attrs) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (key) { node.setAttribute(key, String(attrs[key])); });
    return node;
  }
  function rupees(paise) {
    return new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR' }).format(paise / 100);
  }
  function isoDay(ms) { return new Date(ms).toISOString().slice(0, 10); }
  function setStatus(text, isError) {
    statusEl.textContent = text;
    statusEl.className = isError ? 'error' : '';
  }

  function chart(spec, days) {
    var W = 320, H = 140, PAD = 24;
    var values = days.map(spec.value);
    var present = values.filter(function (v) { return v !== null && v !== undefined; });
    var max = Math.max.apply(null, [0].concat(present));
    var min = Math.min.apply(null, [0].concat(present));
    var span = max - min || 1;
    var step = (W - 2 * PAD) / Math.max(days.length, 1);
    var y = function (v) { return H - PAD - ((v - min) / span) * (H - 2 * PAD); };
    var svg = svgEl('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'data-chart': spec.id });
    var title = svgEl('title', {});
    title.textContent = spec.title;
    svg.appendChild(title);
    svg.appendChild(svgEl('line', { x1: PAD, x2: W - PAD, y1: y(0), y2: y(0), stroke: '#9ca3af', 'stroke-width': 1 }));
    var points = [];
    days.forEach(function (day, i) {
      var v = values[i];
      if (v === null || v === undefined) return;
      var cx = PAD + step * i + step / 2;
      if (spec.kind === 'bar') {
        if (v === 0) return;
        var top = Math.min(y(v), y(0));
        var rect = svgEl('rect', {
          x: PAD + step * i + step * 0.1, y: top, width: Math.max(step * 0.8, 1), height: Math.max(Math.abs(y(v) - y(0)), 1),
          fill: spec.color, 'data-day': day.date, 'data-value': v, class: 'bar'
        });
        var tip = svgEl('title', {});
        tip.textContent = day.date + ': ' + v;
        rect.appendChild(tip);
        svg.appendChild(rect);
      } else {
        points.push(cx + ',' + y(v));
        var dot = svgEl('circle', { cx: cx, cy: y(v), r: 3, fill: spec.color, 'data-day': day.date, 'data-value': v, class: 'point' });
        var dotTip = svgEl('title', {});
        dotTip.textContent = day.date + ': ' + v;
        dot.appendChild(dotTip);
        svg.appendChild(dot);
      }
    });
    if (spec.kind === 'line' && points.length > 1)
      svg.insertBefore(svgEl('polyline', { points: points.join(' '), fill: 'none', stroke: spec.color, 'stroke-width': 2 }), svg.children[2] || null);
    var label = function (text, x, anchor) {
      var t = svgEl('text', { x: x, y: H - 6, 'font-size': 10, fill: '#6b7280', 'text-anchor': anchor });
      t.textContent = text;
      svg.appendChild(t);
    };
    if (days.length > 0) {
      label(days[0].date, PAD, 'start');
      label(days[days.length - 1].date, W - PAD, 'end');
    }
    var top = svgEl('text', { x: PAD, y: 12, 'font-size': 10, fill: '#6b7280' });
    top.textContent = 'max ' + max;
    svg.appendChild(top);
    var figure = el('figure');
    figure.setAttribute('data-chart', spec.id);
    figure.appendChild(el('figcaption', spec.title));
    figure.appendChild(svg);
    return figure;
  }

  function table(target, columns, rows) {
    target.replaceChildren();
    var head = el('tr');
    columns.forEach(function (c) { head.appendChild(el('th', c[0])); });
    target.appendChild(head);
    if (rows.length === 0) {
      var none = el('td', 'None.');
      none.colSpan = columns.length;
      none.className = 'empty';
      var tr = el('tr');
      tr.appendChild(none);
      target.appendChild(tr);
      return;
    }
    rows.forEach(function (row) {
      var tr = el('tr');
      columns.forEach(function (c) {
        var v = row[c[1]];
        tr.appendChild(el('td', v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : v));
      });
      target.appendChild(tr);
    });
  }

  function tiles(report) {
    var t = report.totals;
    var box = document.getElementById('totals');
    box.replaceChildren();
    [
      ['Gross', rupees(t.revenue.grossPaise)],
      ['Refunded', rupees(t.revenue.refundedPaise)],
      ['Net', rupees(t.revenue.netPaise)],
      ['MRR (last day)', rupees(t.mrrPaise)],
      ['Success rate', t.payments.successRate === null ? '—' : (t.payments.successRate * 100).toFixed(1) + ' %'],
      ['Payments settled', t.payments.settled],
      ['Settle p50 / p95', t.settle.count === 0 ? '—' : t.settle.p50Ms + ' / ' + t.settle.p95Ms + ' ms'],
      ['Webhooks failed', t.webhooks.failed]
    ].forEach(function (pair) {
      var tile = el('div', pair[0]);
      tile.className = 'tile';
      tile.appendChild(el('b', pair[1]));
      box.appendChild(tile);
    });
  }

  function render(data) {
    var report = data.report;
    tiles(report);
    var charts = document.getElementById('charts');
    charts.replaceChildren();
    CHARTS.forEach(function (spec) { charts.appendChild(chart(spec, report.days)); });
    table(document.getElementById('past-due'),
      [['Workspace', 'workspace_id'], ['Subscription', 'subscription_id'], ['Plan', 'plan_id'], ['Period ended', 'current_period_end'], ['Grace ends', 'grace_ends_at'], ['Attempts', 'renewal_attempts']],
      data.past_due);
    table(document.getElementById('failed-webhooks'),
      [['Received', 'received_at'], ['Event', 'event'], ['Gateway', 'gateway'], ['Workspace', 'workspace_id'], ['Attempts', 'attempts'], ['Error', 'error']],
      data.failed_webhooks);
    var dead = document.getElementById('dead-events-section');
    if (Array.isArray(data.dead_events)) {
      table(document.getElementById('dead-events'),
        [['Written', 'created_at'], ['Event', 'event'], ['Event id (replay it)', 'event_id'], ['Workspace', 'workspace_id'], ['Attempts', 'attempts'], ['Last error', 'last_error']],
        data.dead_events);
      dead.hidden = false;
    } else dead.hidden = true;
    content.hidden = false;
    setStatus('From ' + data.from + ' to ' + data.to + ' (UTC days, both included).', false);
  }

  function load() {
    var params = new URLSearchParams(location.search);
    var query = new URLSearchParams();
    if (params.get('from')) query.set('from', params.get('from'));
    if (params.get('to')) query.set('to', params.get('to'));
    var headers = { accept: 'application/json' };
    var token = sessionStorage.getItem('staffToken');
    if (token) headers.authorization = 'Bearer ' + token;
    setStatus('Loading…', false);
    fetch(base + '/dashboard/data' + (query.toString() ? '?' + query.toString() : ''), { headers: headers, credentials: 'same-origin' })
      .then(function (response) {
        return response.json().then(function (body) { return { response: response, body: body }; });
      })
      .then(function (r) {
        if (r.response.status === 401) { signin.hidden = false; setStatus('Sign in as staff to see the dashboard.', true); return; }
        if (!r.response.ok) { content.hidden = true; setStatus((r.body && r.body.error && r.body.error.message) || 'Request failed.', true); return; }
        signin.hidden = true;
        rangeForm.elements.from.value = r.body.from;
        rangeForm.elements.to.value = r.body.to;
        render(r.body);
        document.body.setAttribute('data-ready', 'true');
      })
      .catch(function () { setStatus('Could not load the dashboard data.', true); });
  }

  signin.addEventListener('submit', function (event) {
    event.preventDefault();
    sessionStorage.setItem('staffToken', String(new FormData(signin).get('token')).trim());
    load();
  });
  rangeForm.addEventListener('submit', function (event) {
    event.preventDefault();
    var q = new URLSearchParams({ from: rangeForm.elements.from.value, to: rangeForm.elements.to.value });
    history.replaceState(null, '', location.pathname + '?' + q.toString());
    load();
  });
  load();
})();
`;
