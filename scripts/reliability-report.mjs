// Renders RELIABILITY.md from the figures the reliability scenarios recorded in .tmp/reliability/*.json
// (test/reliability/support/figures.ts), so the document always shows the last run and never drifts.
// `npm run test:reliability` runs it after the suite passes; on its own: `node scripts/reliability-report.mjs`.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const figuresDir = resolve(root, '.tmp/reliability');

/** What each scenario does, in the order the document lists them. The figures come from its last run. */
const SCENARIOS = [
  {
    name: 'lost-answers',
    file: 'lost-answers.test.ts',
    title: 'PhonePe acted, then its answer was lost',
    what: 'Every creating call (checkout create, autopay set-up, refund, pre-debit notice, debit) under every "act, then lose the answer" fault of the emulator: the connection dropped, a 500 from a proxy, a 200 whose body is garbled or cut short, an answer held past the client timeout; on the memory store, PGlite and PostgreSQL. Nothing PhonePe did is marked failed, nothing is done twice (the same idempotency key never makes a second order), and the books end equal to PhonePe\'s ledger. Also: the same Idempotency-Key resumes a checkout PhonePe never received.',
  },
  {
    name: 'webhook-storm',
    file: 'webhook-storm.test.ts',
    title: 'A storm of copies of one webhook',
    what: 'Hundreds of concurrent copies of one webhook (PhonePe redelivers when an answer is slower than its timeout) through Express, Fastify, Hono and node:http on PostgreSQL: one settlement, one status call to PhonePe, every copy answered 200 (latency percentiles below).',
  },
  {
    name: 'crash-recovery',
    file: 'crash-recovery.test.ts',
    title: 'kill -9 of the app or a renewal worker',
    what: 'The app (Hono on node:http, real PostgreSQL) runs as its own process and is killed with SIGKILL by a hook in its own wiring at seven points: after the payment row is written and before PhonePe is called; after PhonePe created the order and before its answer is stored (the order then paid, or left to expire); after the webhook is recorded; after settlement and before the event is marked processed; and a renewal worker process after PhonePe accepted the pre-debit notice, before the debit is sent, and after PhonePe executed it. The process is started again, the emulator redelivers its webhooks, reconcile and renew run as the CLI runs them; the payment ends completed exactly when PhonePe completed it, each period is extended once, and there is one notice and one debit per cycle.',
  },
  {
    name: 'renewal-workers',
    file: 'renewal-workers.test.ts',
    title: 'Several renewal workers at once',
    what: 'Four managers with their own PostgreSQL pools run `runRenewals` at the same moment, round after round, over many autopay and manual subscriptions falling due together: reminder with a renewal checkout, pre-debit notice, the 24 h wait, the debit. Every subscription is renewed exactly once, with one notice and one debit per autopay cycle at PhonePe and one renewal checkout per manual one; no subscription is worked by two workers in one round.',
  },
  {
    name: 'database-restart',
    file: 'database-restart.test.ts',
    title: 'The database stopped and restarted mid-burst',
    what: "A PostgreSQL cluster of the test's own (initdb + pg_ctl into .tmp/pg-clusters, its own port) is killed with `pg_ctl stop -m immediate` a third of the way into a burst of checkouts and webhooks through a real adapter, and started again. Orders paid during the outage get 503 and are redelivered; clients retry with their Idempotency-Key; reconcile runs after. Nothing is lost or activated twice, and no request gets a 5xx other than 503 — except the documented 502 PAYMENT_LINK_LOST when PhonePe created an order whose link could not be stored because the database was down (the payer starts a new checkout; the linkless order expires unpaid).",
  },
  {
    name: 'bad-input-fuzz',
    file: 'bad-input-fuzz.test.ts',
    title: 'Fuzzed bad requests',
    what: 'At least 10,000 fuzzed bad requests (odd methods, unknown paths, a missing or wrong identity, workspace, path parameter, query or webhook credential, bodies that are not JSON, not UTF-8, too big, too deep, or hold a NUL character or a lone surrogate) against every endpoint, through the bare web handler and through Express, Fastify and Hono over real HTTP, on PostgreSQL: every answer a 4xx in the documented error shape (0 × 5xx), nothing changed in any table nor at PhonePe, and no stack trace or secret in the logs. `RELIABILITY_SEED=<n>` replays another sequence.',
  },
  {
    name: 'tenant-isolation',
    file: 'tenant-isolation.test.ts',
    title: 'Tenant isolation through the API',
    what: "Two tenants, each user a member of one workspace. Every read route and mutation is called by a member of one workspace with the other's ids (merchant order ids, transaction ids, PhonePe order ids, refund ids) — 404 — and with the other's X-Tenant-ID — 403; neither workspace changes (store snapshot) and nothing happens at PhonePe; on the memory store, PGlite and PostgreSQL. The same boundary in SQL, as the app's own database role, is proven by test/storage/kysely/postgres-row-level-security.test.ts.",
  },
  {
    name: 'secrets-in-logs',
    file: 'secrets-in-logs.test.ts',
    title: 'Secrets never in logs',
    what: "A whole flow (checkout, webhook, refund, an autopay renewal with a failed step, PhonePe 500s, unreadable and dropped answers, a refused token refresh, webhooks refused with wrong or plain-text credentials) with recording loggers on the client, manager, store, handler and emulator and the client's onEvent. The secrets are read off the wire (every access token issued, every Authorization value sent) and searched for, whole and as a middle slice, in the JSON of every log entry, every event and every API answer.",
  },
  {
    name: 'memory-flat',
    file: 'memory-flat.test.ts',
    title: 'Memory flat over many webhooks',
    what: "The app runs in its own process with --expose-gc on PostgreSQL; payers check out through the API and pay, and PhonePe's webhooks are delivered concurrently (one in five twice at once). The heap after full collections is sampled every 10 %: the final sample must stay within 1.5 × the 10 % sample + 5 MB (the test file explains what that bound catches).",
  },
];

function readFigures() {
  if (!existsSync(figuresDir)) return new Map();
  // A scenario is named by its file (`<scenario>.json`); most also say it inside, as `scenario`.
  const files = readdirSync(figuresDir).filter((f) => f.endsWith('.json') && !f.startsWith('_'));
  return new Map(
    files.map((f) => [f.slice(0, -'.json'.length), JSON.parse(readFileSync(resolve(figuresDir, f), 'utf8'))]),
  );
}

const isPlainObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const words = (key) =>
  key
    .replaceAll('PhonePe', '\u0000')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replaceAll('\u0000', ' PhonePe')
    .replace(/\bms\b/, '(ms)')
    .replace(/\bmb\b/, '(MB)')
    .trim();
const cell = (text) => String(text).replaceAll('|', '\\|').replaceAll('\n', ' ');

/** A value on one line: lists joined, small objects as `key value` pairs. */
function inline(value) {
  if (value === null || value === undefined) return '—';
  if ((Array.isArray(value) && value.length === 0) || (isPlainObject(value) && Object.keys(value).length === 0))
    return 'none';
  if (Array.isArray(value))
    return value.every((v) => !isPlainObject(v)) ? value.map(inline).join(', ') : value.map(inline).join('; ');
  if (isPlainObject(value))
    return Object.entries(value)
      .map(([k, v]) => `${k}: ${inline(v)}`)
      .join(', ');
  return String(value);
}

/** A table from rows of objects (the union of their keys as columns). */
function table(rows, firstColumn) {
  const columns = [...new Set(rows.flatMap(([, row]) => Object.keys(row)))];
  const head = [firstColumn, ...columns.map(words)];
  return [
    `| ${head.map(cell).join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map(([label, row]) => `| ${[label, ...columns.map((c) => inline(row[c]))].map(cell).join(' | ')} |`),
  ].join('\n');
}

function renderFigures(figures) {
  const lines = [];
  const tables = [];
  for (const [key, value] of Object.entries(figures)) {
    if (['scenario', 'recordedAt', 'ranAt', 'test', 'size'].includes(key)) continue;
    if (isPlainObject(value) && Object.values(value).length > 0 && Object.values(value).every(isPlainObject)) {
      tables.push(`${words(key)}:\n\n${table(Object.entries(value), '')}`);
    } else if (Array.isArray(value) && value.length > 0 && value.every(isPlainObject)) {
      tables.push(
        `${words(key)}:\n\n${table(
          value.map((row, i) => [String(i + 1), row]),
          '#',
        )}`,
      );
    } else {
      lines.push(`- ${words(key)}: ${inline(value)}`);
    }
  }
  return [lines.join('\n'), ...tables].filter(Boolean).join('\n\n');
}

function render() {
  const figures = readFigures();
  const known = SCENARIOS.filter((s) => existsSync(resolve(root, 'test/reliability', s.file)) || figures.has(s.name));
  const unknown = [...figures.keys()]
    .filter((name) => !SCENARIOS.some((s) => s.name === name))
    .map((name) => ({ name, file: `${name}.test.ts`, title: name, what: '' }));
  const all = [...known, ...unknown];
  const suiteRun = resolve(figuresDir, '_suite-run.json');
  const last = existsSync(suiteRun) ? JSON.parse(readFileSync(suiteRun, 'utf8')) : null;
  const run = last
    ? ` The last run of the whole suite (${last.size} sizes, finished ${last.finishedAt}) took ${last.wallSeconds} s of wall time on a machine with ${last.cores} cores shared with other work (load average ${last.loadAverage} when it finished).`
    : '';
  const out = [
    '# Reliability',
    '',
    '<!-- Rendered by scripts/reliability-report.mjs from .tmp/reliability/*.json; run `npm run test:reliability` to refresh it. Do not edit by hand. -->',
    '',
    "The scenarios below prove that money is never lost or paid twice when PhonePe's answer is lost, signals race, processes crash or the database goes away. After each one the books are checked against the emulator's own ledger (`test/reliability/support/invariants.ts`): no payment completed at PhonePe and not here, nothing completed here that PhonePe did not complete, each period extended at most once per payment, refunded totals equal to PhonePe's, and each mandate's state equal to PhonePe's.",
    '',
    'Run them all with `npm run test:reliability` (the sizes CI uses), or `npm run test:reliability -- --full` for the large sizes; either renders this file again when the suite passes. The PostgreSQL scenarios need `DATABASE_URL` (see CONTRIBUTING.md, "Tests"). Figures are counts and latency percentiles of the last run; nothing in the suite asserts on time.' +
      run,
    '',
    ...all.map((s) => `- [${s.title}](#${s.name})`),
    '',
  ];
  for (const s of all) {
    const f = figures.get(s.name);
    out.push(`<a id="${s.name}"></a>`, `## ${s.title}`, '');
    if (s.what) out.push(s.what, '');
    out.push(
      `Re-run: \`npx vitest run test/reliability/${s.file}\` (large sizes: \`RELIABILITY_FULL=1 npx vitest run test/reliability/${s.file}\`).`,
      '',
    );
    if (!f) {
      out.push('_No figures recorded yet: run the scenario._', '');
      continue;
    }
    out.push(
      `Last run: ${f.recordedAt ?? f.ranAt ?? 'unknown'} (${f.size === 'full' ? 'full sizes' : 'default sizes'}).`,
      '',
      renderFigures(f),
      '',
    );
  }
  writeFileSync(
    resolve(root, 'RELIABILITY.md'),
    `${out
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd()}\n`,
  );
  process.stdout.write(`RELIABILITY.md rendered from ${figures.size} scenario figure file(s).\n`);
}

render();
