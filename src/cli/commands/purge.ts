import { MIN_RETENTION_MS } from '../../billing/retention.js';
import { BILLING_FLAGS_HELP } from '../open-billing.js';
import { createProgress } from '../progress.js';
import { intFlag, runBillingJob } from '../run-billing-job.js';

const USAGE = `Usage: phonepe-billing purge --older-than <duration> [options]

Applies the retention policy: drops the raw payload of webhook events received, and the outbox events
delivered, longer ago than <duration> (at least 7d), in short batches that are safe while the app runs.
Pending and dead outbox events stay. Payments, refunds,
subscriptions and the audit log are kept — they are the books (docs/production.md#retention).
On a terminal it only counts unless --yes is given; elsewhere (cron) it purges unless --dry-run.
Exit code: 0 when done, 1 when the database failed, 2 on bad usage.

Options:
  --older-than <duration>     e.g. 90d, 12w, 2160h (d = days, w = weeks, h = hours)
  --dry-run                   count what would be purged, change nothing
  --yes                       purge on a terminal (without it a terminal run is a dry run)
  --batch <n>                 rows per transaction (default 500)
${BILLING_FLAGS_HELP}
`;

const UNITS: Record<string, number> = { h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `90d` → milliseconds; anything else is a usage error naming the flag. */
export function parseDuration(text: string): number {
  const match = /^([1-9][0-9]{0,5})([hdw])$/.exec(text.trim());
  if (!match) throw new Error(`--older-than must look like 90d, 12w or 2160h, got "${text}".`);
  return Number(match[1]) * (UNITS[match[2] as string] as number);
}

/** `phonepe-billing purge`. */
export function run(argv: readonly string[]): Promise<number> {
  return runBillingJob(
    'purge',
    USAGE,
    argv,
    {
      'older-than': { type: 'string' },
      'dry-run': { type: 'boolean' },
      yes: { type: 'boolean' },
      batch: { type: 'string' },
    },
    async ({ billing }, values) => {
      if (typeof values['older-than'] !== 'string') {
        process.stderr.write(`phonepe-billing purge: --older-than is required.\n\n${USAGE}`);
        return 2;
      }
      let olderThanMs: number;
      try {
        olderThanMs = parseDuration(values['older-than']);
        if (olderThanMs < MIN_RETENTION_MS)
          throw new Error('--older-than must be at least 7d: younger data may still be in use.');
      } catch (error) {
        process.stderr.write(`phonepe-billing purge: ${(error as Error).message}\n`);
        return 2;
      }
      const terminal = process.stdout.isTTY === true;
      const dryRun = values['dry-run'] === true || (terminal && values.yes !== true);
      const progress = createProgress(process.stdout, 'purge');
      const result = await billing.purge({
        olderThanMs,
        dryRun,
        batchSize: Math.max(1, intFlag(values.batch, 'batch', 500)),
        onProgress: ({ purged, total }) => progress.tick(purged, total),
      });
      progress.end();
      const cutoff = new Date(result.before).toISOString();
      process.stdout.write(
        dryRun
          ? `purge (dry run): ${result.webhookPayloads} webhook payloads received and ${result.deliveredEvents} outbox events delivered before ${cutoff} would be dropped${terminal && values['dry-run'] !== true ? '; add --yes to purge' : ''}\n`
          : `purge: ${result.webhookPayloads} webhook payloads received and ${result.deliveredEvents} outbox events delivered before ${cutoff} dropped; payments, refunds and audit rows kept\n`,
      );
      return 0;
    },
  );
}
