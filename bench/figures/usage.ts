import pg from 'pg';
import { parseWebhookEvent } from '../../src/webhooks/index.js';
import { openBillingStack } from '../support/billing-stack.js';
import { ratePerSecond } from '../support/concurrency.js';
import type { BenchContext } from '../support/context.js';
import { since, snapshot } from '../support/database.js';
import { size } from '../support/options.js';
import { atLeast, formatNumber, formatRatioValue, pairedRow, valueRow, type FigureResult } from '../support/report.js';
import { alternate } from '../support/rounds.js';
import { seedPendingPayments } from '../support/seed-payments.js';
import { orderCompletedBody } from '../support/webhook-bodies.js';

const LIMIT = 1_000_000_000;

/**
 * `recordUsage` and `checkQuota` calls/s (one caller, as a request handler makes them) and statements
 * per call, against one plain conditional `UPDATE … RETURNING` on a counter row.
 */
export async function usageFigures(ctx: BenchContext): Promise<FigureResult> {
  const databaseUrl = await ctx.database();
  const calls = size(ctx.options, { quick: 150, full: 1_000 });
  const rounds = size(ctx.options, { quick: 2, full: 7 });
  const stack = await openBillingStack({
    databaseUrl,
    phonepeBaseUrl: 'http://127.0.0.1:9/apis/pg-sandbox',
    config: { confirmWebhooks: false },
  });
  const plain = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  plain.on('error', () => {});
  try {
    // A workspace with a live subscription: one payment settled by a (trusted) webhook.
    const [payment] = await seedPendingPayments(stack.store, 'usage', 1);
    await stack.billing.handleWebhook(
      parseWebhookEvent(
        orderCompletedBody({
          merchantOrderId: payment!.merchantOrderId,
          orderId: payment!.phonepeOrderId as string,
          amount: payment!.amountPaise,
        }),
      ),
    );
    const workspaceId = payment!.workspaceId;
    await plain.query(
      'create table if not exists plain_usage (workspace_id text, metric text, period_start timestamptz, used bigint not null, primary key (workspace_id, metric, period_start))',
    );
    await plain.query(`insert into plain_usage values ($1, 'api_calls', '2026-01-01', 0) on conflict do nothing`, [
      workspaceId,
    ]);
    const plainUpdate = () =>
      plain.query(
        `update plain_usage set used = used + $2 where workspace_id = $1 and metric = 'api_calls' and period_start = '2026-01-01' and used + $2 <= $3 returning used`,
        [workspaceId, 1, LIMIT],
      );

    const counted = {
      record: { statements: 0, transactions: 0, calls: 0 },
      check: { statements: 0, transactions: 0, calls: 0 },
    };
    const countedRun = async (kind: 'record' | 'check', call: () => Promise<unknown>) => {
      const before = snapshot(stack.counter);
      const rate = await ratePerSecond(calls, 1, call);
      const used = since(stack.counter, before);
      counted[kind].statements += used.statements;
      counted[kind].transactions += used.transactions;
      counted[kind].calls += calls;
      return rate;
    };
    const samples = await alternate(
      {
        record: () => countedRun('record', () => stack.billing.recordUsage(workspaceId, 'api_calls', 1)),
        check: () => countedRun('check', () => stack.billing.checkQuota(workspaceId, 'api_calls', 1)),
        plain: () => ratePerSecond(calls, 1, plainUpdate),
      },
      rounds,
      { warmup: !ctx.options.quick },
    );
    const per = (kind: 'record' | 'check') => ({
      statements: counted[kind].statements / counted[kind].calls,
      transactions: counted[kind].transactions / counted[kind].calls,
    });
    const record = per('record');
    const check = per('check');
    return {
      section: 'usage',
      rows: [
        pairedRow({
          id: 'usage.record.rate',
          figure: 'recordUsage calls/s (no usage key)',
          unit: '/s',
          ours: samples.record,
          anchor: samples.plain,
          anchorName: 'plain UPDATE … RETURNING',
          goal: atLeast(0.7, '≥ 0.7×'),
        }),
        valueRow({
          id: 'usage.record.statements',
          figure: 'recordUsage SQL statements per call',
          ours: `${formatNumber(record.statements)} in ${formatNumber(record.transactions)} transaction(s)`,
          anchor: 'plain: 1',
          ratio: `${formatRatioValue(record.statements)}×`,
          goal: '1 round trip',
          met: record.statements <= 1,
        }),
        pairedRow({
          id: 'usage.check.rate',
          figure: 'checkQuota calls/s',
          unit: '/s',
          ours: samples.check,
          anchor: samples.plain,
          anchorName: 'plain UPDATE … RETURNING',
          goal: atLeast(0.7, '≥ 0.7×'),
        }),
        valueRow({
          id: 'usage.check.statements',
          figure: 'checkQuota SQL statements per call',
          ours: `${formatNumber(check.statements)} in ${formatNumber(check.transactions)} transaction(s)`,
          anchor: 'plain: 1',
          ratio: `${formatRatioValue(check.statements)}×`,
          goal: '—',
          met: null,
        }),
      ],
      notes: [
        `Usage: one workspace with a live Pro subscription; ${calls.toLocaleString('en-US')} calls per sample, one at a time (a request handler's call), ${rounds} rounds. \`recordUsage(ws, 'api_calls', 1)\` without a usage key, \`checkQuota(ws, 'api_calls', 1)\`; the anchor for both is one autocommitted \`update … set used = used + $2 where … and used + $2 <= $3 returning used\` on a plain counter table through a pg pool. Statements counted at the pool as for webhooks.`,
      ],
    };
  } finally {
    await plain.end();
    await stack.close();
  }
}
