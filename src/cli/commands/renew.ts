import { BILLING_FLAGS_HELP } from '../open-billing.js';
import { createProgress } from '../progress.js';
import { intFlag, runBillingJob } from '../run-billing-job.js';

const USAGE = `Usage: phonepe-billing renew [options]

One pass of the renewal worker: claims due subscriptions (safe to run on several machines at
once), sends reminders and renewal checkouts, pre-debit notices and autopay debits, and moves
unpaid subscriptions to past due and expired. Run it every few minutes from cron. Prints one
line per subscription as its step ends (on a terminal with a live count below) and a summary.
Exit code: 0 when every step ran, 1 when some failed, 2 on bad usage.

Options:
  --limit <n>                 most subscriptions per run (default 50)
  --worker-id <id>            name of this worker in claims and logs (default: generated)
  --concurrency <n>           subscriptions worked on at once (default 8)
${BILLING_FLAGS_HELP}
`;

/** `phonepe-billing renew`. */
export function run(argv: readonly string[]): Promise<number> {
  return runBillingJob(
    'renew',
    USAGE,
    argv,
    { limit: { type: 'string' }, 'worker-id': { type: 'string' }, concurrency: { type: 'string' } },
    async ({ billing }, values) => {
      const workerId = typeof values['worker-id'] === 'string' ? values['worker-id'] : undefined;
      const progress = createProgress(process.stdout, 'renew');
      const result = await billing.runRenewals({
        limit: intFlag(values.limit, 'limit', 50),
        concurrency: Math.max(1, intFlag(values.concurrency, 'concurrency', 8)),
        ...(workerId ? { workerId } : {}),
        onItem: (item, { done }) => {
          const next =
            item.nextActionAt === null ? 'nothing scheduled' : `next ${new Date(item.nextActionAt).toISOString()}`;
          progress.line(`${item.subscriptionId} (${item.workspaceId}): ${item.action} — ${item.detail}; ${next}`);
          progress.tick(done, null);
        },
      });
      progress.end();
      const summary =
        Object.entries(result.summary)
          .map(([action, n]) => `${n} ${action}`)
          .join(', ') || 'nothing due';
      process.stdout.write(`renew (${result.workerId}): ${result.claimed} claimed; ${summary}\n`);
      return result.items.some((i) => i.action === 'error') ? 1 : 0;
    },
  );
}
