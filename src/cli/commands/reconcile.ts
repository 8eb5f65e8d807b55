import { BILLING_FLAGS_HELP } from '../open-billing.js';
import { createProgress } from '../progress.js';
import { intFlag, runBillingJob } from '../run-billing-job.js';

const USAGE = `Usage: phonepe-billing reconcile [options]

Checks payments still created/pending and refunds still pending/confirmed against PhonePe, on
PhonePe's polling schedule, and settles them (repairs lost webhooks and crashes). Run it every
minute or so from cron. Prints one line per row checked as it is checked (on a terminal with a live
count below) and a summary.
Exit code: 0 when every check ran, 1 when some could not (e.g. PhonePe unavailable), 2 on bad usage.

Options:
  --older-than-ms <ms>        only rows at least this old (default 20000)
  --limit <n>                 most payments and most refunds per run (default 100)
${BILLING_FLAGS_HELP}
`;

/** `phonepe-billing reconcile`. */
export function run(argv: readonly string[]): Promise<number> {
  return runBillingJob(
    'reconcile',
    USAGE,
    argv,
    { 'older-than-ms': { type: 'string' }, limit: { type: 'string' } },
    async ({ billing }, values) => {
      const progress = createProgress(process.stdout, 'reconcile');
      const result = await billing.reconcile({
        olderThanMs: intFlag(values['older-than-ms'], 'older-than-ms', 20_000),
        limit: intFlag(values.limit, 'limit', 100),
        onItem: (item, { done, total }) => {
          if (item.outcome !== 'skipped')
            progress.line(
              `${item.kind} ${item.id} (${item.workspaceId}): ${item.before} -> ${item.after} [${item.outcome}] ${item.detail}`,
            );
          progress.tick(done, total);
        },
      });
      progress.end();
      process.stdout.write(
        `reconcile: ${result.checked} checked, ${result.settled} settled, ${result.skipped} not due yet, ${result.errors} failed\n`,
      );
      return result.errors > 0 ? 1 : 0;
    },
  );
}
