import type { LiveView, OrderInspection, WorkspaceInspection } from '../../billing/inspect.js';
import { formatRupeesForDisplay } from '../../billing/money.js';
import type { AuditRecord, PaymentRecord, RefundRecord } from '../../storage/records.js';
import { BILLING_FLAGS_HELP } from '../open-billing.js';
import { runBillingJob } from '../run-billing-job.js';
import { textTable } from '../text-table.js';

const USAGE = `Usage: phonepe-billing inspect order <order_id> [options]
       phonepe-billing inspect workspace <workspace_id> [options]

Shows what is stored about an order (the payment, its refunds and subscription) or a workspace (its
subscription, recent payments and refunds, this period's usage), beside the gateway's live view of the
order or mandate, and the audit trail — as readable tables. Read only: nothing is settled or changed, so it
is safe to run while a problem is still happening. Needs the worker role's database URL (cross-workspace).
Exit code: 0 when found, 1 when not found or the database is unavailable, 2 on bad usage.

Options:
  --json                      everything as one JSON document instead of tables
${BILLING_FLAGS_HELP}
`;

const time = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString().replace('.000Z', 'Z'));
const money = (paise: number) => formatRupeesForDisplay(paise);

function paymentRows(payments: readonly PaymentRecord[]): string {
  return textTable(
    ['order_id', 'gateway', 'state', 'amount', 'purpose', 'method', 'created', 'settled', 'gateway order'],
    payments.map((p) => [
      p.merchantOrderId,
      p.gateway,
      p.state,
      money(p.amountPaise),
      p.purpose,
      p.method,
      time(p.createdAt),
      time(p.settledAt),
      p.phonepeOrderId ?? '-',
    ]),
  );
}

function refundRows(refunds: readonly RefundRecord[]): string {
  if (refunds.length === 0) return '(none)';
  return textTable(
    ['refund_id', 'state', 'amount', 'reason', 'created', 'settled'],
    refunds.map((r) => [
      r.merchantRefundId,
      r.state,
      money(r.amountPaise),
      r.reason ?? '-',
      time(r.createdAt),
      time(r.settledAt),
    ]),
  );
}

function auditRows(audit: readonly AuditRecord[]): string {
  if (audit.length === 0) return '(none)';
  return textTable(
    ['at', 'actor', 'action', 'entity', 'data'],
    audit.map((a) => [time(a.createdAt), a.actor, a.action, `${a.entityType} ${a.entityId}`, JSON.stringify(a.data)]),
    80,
  );
}

function liveRows<T>(view: LiveView<T> | null, describe: (value: T) => Array<[string, string]>): string {
  if (!view) return '(none)';
  if (!view.ok) return `${view.gateway}: could not be read — ${view.error}`;
  if (view.value === null) return `${view.gateway}: has no such object`;
  return textTable(['field', `${view.gateway} now`], describe(view.value));
}

function orderText(found: OrderInspection): string {
  const p = found.payment;
  const sub = found.subscription;
  return [
    `order ${p.merchantOrderId} — workspace ${p.workspaceId}`,
    '',
    'Payment (stored)',
    paymentRows([p]),
    '',
    `Gateway's live view`,
    liveRows(found.live, (o) => [
      ['state', `${o.gatewayState} (${o.reported})`],
      ['amount', o.amountPaise === null ? '-' : money(o.amountPaise)],
      ['attempts', String(o.attempts)],
      ['error', [o.errorCode, o.detailedErrorCode].filter(Boolean).join(' / ') || '-'],
      ['transaction', o.transactionId ?? '-'],
    ]),
    '',
    'Refunds',
    refundRows(found.refunds),
    '',
    'Subscription',
    sub
      ? textTable(
          ['id', 'plan', 'status', 'renewal', 'period end', 'mandate'],
          [[sub.id, sub.planId, sub.status, sub.renewalMode, time(sub.currentPeriodEnd), sub.mandateState ?? '-']],
        )
      : '(none)',
    '',
    'Audit trail (oldest first)',
    auditRows(found.audit),
  ].join('\n');
}

function workspaceText(found: WorkspaceInspection): string {
  const sub = found.subscription;
  return [
    `workspace ${found.workspaceId}`,
    '',
    'Subscription (the live one, else the latest)',
    sub
      ? textTable(
          ['id', 'plan', 'status', 'renewal', 'period', 'cancel at end', 'mandate', 'next action'],
          [
            [
              sub.id,
              sub.planId,
              sub.status,
              sub.renewalMode,
              `${time(sub.currentPeriodStart)} → ${time(sub.currentPeriodEnd)}`,
              String(sub.cancelAtPeriodEnd),
              sub.merchantSubscriptionId ? `${sub.merchantSubscriptionId} ${sub.mandateState ?? ''}` : '-',
              time(sub.nextActionAt),
            ],
          ],
        )
      : '(none)',
    '',
    `Mandate at its gateway now`,
    liveRows(found.mandate, (m) => [
      ['state', `${m.gatewayState} (${m.phase})`],
      ['stored', sub?.mandateState ?? '-'],
    ]),
    '',
    'Usage this period',
    Object.keys(found.usage).length === 0
      ? '(none)'
      : textTable(
          ['metric', 'used'],
          Object.entries(found.usage).map(([metric, used]) => [metric, String(used)]),
        ),
    '',
    'Payments (newest first)',
    found.payments.length === 0 ? '(none)' : paymentRows(found.payments),
    '',
    'Refunds',
    refundRows(found.refunds),
    '',
    'Audit trail (oldest first)',
    auditRows(found.audit),
  ].join('\n');
}

/** `phonepe-billing inspect order <id>` / `inspect workspace <id>`. */
export function run(argv: readonly string[]): Promise<number> {
  const [what, id, ...rest] = argv;
  if (what === '--help' || what === '-h' || what === undefined) {
    (what === undefined ? process.stderr : process.stdout).write(USAGE);
    return Promise.resolve(what === undefined ? 2 : 0);
  }
  if ((what !== 'order' && what !== 'workspace') || id === undefined || id.startsWith('-')) {
    process.stderr.write(`phonepe-billing inspect: say "order <order_id>" or "workspace <workspace_id>".\n\n${USAGE}`);
    return Promise.resolve(2);
  }
  return runBillingJob('inspect', USAGE, rest, { json: { type: 'boolean' } }, async ({ billing }, values) => {
    const found = what === 'order' ? await billing.inspectOrder(id) : await billing.inspectWorkspace(id);
    if ('workspaceId' in found && !('payment' in found) && !found.subscription && found.payments.length === 0) {
      process.stderr.write(`phonepe-billing inspect: nothing is stored for workspace ${id}.\n`);
      return 1;
    }
    if (values.json) process.stdout.write(`${JSON.stringify(found, null, 2)}\n`);
    else
      process.stdout.write(
        `${what === 'order' ? orderText(found as OrderInspection) : workspaceText(found as WorkspaceInspection)}\n`,
      );
    return 0;
  });
}
