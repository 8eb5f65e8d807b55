import type { BillingReport } from '../../billing/billing-report.js';
import { isBillingError } from '../../billing/errors.js';
import type { SubscriptionManager } from '../../billing/subscription-manager.js';
import { formatRupeesForDisplay } from '../../billing/money.js';
import type { UsageReport } from '../../billing/usage-report.js';
import { parseReportQuery } from '../../http/report-query.js';
import { BILLING_FLAGS_HELP } from '../open-billing.js';
import { runBillingJob } from '../run-billing-job.js';
import { textTable } from '../text-table.js';

const USAGE = `Usage: phonepe-billing report revenue [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json] [options]
       phonepe-billing report usage --workspace <id> [--from …] [--to …] [--granularity day|period] [--json] [options]

revenue: per UTC day — payments settled and the success rate, gross / refunded / net revenue, MRR at the
day's end, new / cancelled / churned subscriptions, webhook outcomes, time from first signal to
settlement (p50/p95) — and the totals (billing.report).
usage: a workspace's usage per metric, per UTC day or per billing period (billing.usageReport).
Dates are UTC calendar days, both included; without them the 30 days ending today. At most 400 days.
Exit code: 0 when printed, 1 when the database failed, 2 on bad usage.

Options:
  --from <date>, --to <date>  the range (YYYY-MM-DD, UTC, both days included)
  --workspace <id>            (usage) the workspace
  --granularity day|period    (usage) per day (default) or per billing period
  --json                      the report as JSON instead of a table
${BILLING_FLAGS_HELP}
`;

const money = (paise: number) => formatRupeesForDisplay(paise);
const percent = (rate: number | null) => (rate === null ? '-' : `${(rate * 100).toFixed(1)}%`);
const ms = (value: number | null) => (value === null ? '-' : `${value} ms`);

function revenueText(report: BillingReport): string {
  const rows = report.days.map((d) => [
    d.date,
    String(d.payments.settled),
    percent(d.payments.successRate),
    money(d.revenue.grossPaise),
    money(d.revenue.refundedPaise),
    money(d.revenue.netPaise),
    money(d.mrrPaise),
    `${d.subscriptions.new}/${d.subscriptions.cancelled}/${d.subscriptions.churned}`,
    `${d.webhooks.processed}/${d.webhooks.received}`,
    `${ms(d.settle.p50Ms)} / ${ms(d.settle.p95Ms)}`,
  ]);
  const t = report.totals;
  rows.push([
    'total',
    String(t.payments.settled),
    percent(t.payments.successRate),
    money(t.revenue.grossPaise),
    money(t.revenue.refundedPaise),
    money(t.revenue.netPaise),
    money(t.mrrPaise),
    `${t.subscriptions.new}/${t.subscriptions.cancelled}/${t.subscriptions.churned}`,
    `${t.webhooks.processed}/${t.webhooks.received}`,
    `${ms(t.settle.p50Ms)} / ${ms(t.settle.p95Ms)}`,
  ]);
  const table = textTable(
    [
      'day (UTC)',
      'settled',
      'success',
      'gross',
      'refunded',
      'net',
      'MRR',
      'subs new/cancel/churn',
      'webhooks ok/all',
      'settle p50 / p95',
    ],
    rows,
  );
  const unpriced =
    report.unpricedPlans.length > 0 ? `\nleft out of MRR (plans unknown): ${report.unpricedPlans.join(', ')}` : '';
  return `${table}${unpriced}`;
}

function usageText(report: UsageReport): string {
  const metrics =
    report.granularity === 'day'
      ? report.metrics
      : [...new Set(report.periods.flatMap((p) => Object.keys(p.usage)))].sort();
  if (report.granularity === 'day') {
    const table = textTable(
      ['day (UTC)', ...metrics],
      [
        ...report.days.map((d) => [d.date, ...metrics.map((m) => String(d.usage[m] ?? 0))]),
        ['total', ...metrics.map((m) => String(report.totals[m] ?? 0))],
      ],
    );
    const unattributed = Object.entries(report.unattributed).filter(([, n]) => n > 0);
    return unattributed.length === 0
      ? table
      : `${table}\nrecorded without a usage key (no day known): ${unattributed.map(([m, n]) => `${m} ${n}`).join(', ')}`;
  }
  return textTable(
    ['period start (UTC)', ...metrics],
    report.periods.map((p) => [
      new Date(p.start).toISOString().slice(0, 10),
      ...metrics.map((m) => String(p.usage[m] ?? 0)),
    ]),
  );
}

/** `phonepe-billing report revenue|usage`. */
export function run(argv: readonly string[]): Promise<number> {
  const [what, ...rest] = argv;
  if (what === '--help' || what === '-h') {
    process.stdout.write(USAGE);
    return Promise.resolve(0);
  }
  if (what !== 'revenue' && what !== 'usage') {
    process.stderr.write(`phonepe-billing report: say "revenue" or "usage".\n\n${USAGE}`);
    return Promise.resolve(2);
  }
  return runBillingJob(
    'report',
    USAGE,
    rest,
    {
      from: { type: 'string' },
      to: { type: 'string' },
      workspace: { type: 'string' },
      granularity: { type: 'string' },
      json: { type: 'boolean' },
    },
    async (opened, values) => {
      try {
        return await printReport(opened.billing, values);
      } catch (error) {
        if (!isBillingError(error) || error.code !== 'INVALID_INPUT') throw error;
        process.stderr.write(`phonepe-billing report: ${error.message}\n`);
        return 2;
      }
    },
  );

  async function printReport(
    billing: SubscriptionManager,
    values: Record<string, string | boolean | undefined>,
  ): Promise<number> {
    // The same reading as the HTTP routes' query (dates, range, granularity): one set of rules.
    const query = new URL('report:?');
    for (const name of ['from', 'to', 'granularity'] as const)
      if (typeof values[name] === 'string') query.searchParams.set(name, values[name] as string);
    if (what === 'revenue') {
      const range = parseReportQuery(query, ['day'], billing.now());
      const report = await billing.report({ from: range.from, to: range.to, granularity: 'day' });
      process.stdout.write(`${values.json ? JSON.stringify(report, null, 2) : revenueText(report)}\n`);
      return 0;
    }
    if (typeof values.workspace !== 'string') {
      process.stderr.write('phonepe-billing report usage: --workspace <id> is required.\n');
      return 2;
    }
    const range = parseReportQuery(query, ['day', 'period'], billing.now());
    const report = await billing.usageReport(values.workspace, range);
    process.stdout.write(`${values.json ? JSON.stringify(report, null, 2) : usageText(report)}\n`);
    return 0;
  }
}
