import { type BillingContext, inTransaction, notify, SYSTEM_SCOPE } from './billing-context.js';
import { BillingError } from './errors.js';

// The retention policy (docs/production.md#retention): what is operational data and may go after an age the
// operator chooses, and what is a payment record and stays. Raw webhook payloads are kept only to audit a
// delivery while it matters; the webhook row itself (dedupe key, status, outcome) stays, so a late
// redelivery is still recognised. Delivered outbox events have done their work (hosts dedupe on their ids
// within days); pending and dead ones stay until delivered or replayed. Payments, refunds, subscriptions and the audit log are never purged here:
// they are the books (see the docs for how long Indian rules expect them kept).

const DAY_MS = 24 * 60 * 60 * 1000;
/** The shortest age `purge` accepts: younger payloads may still be under processing or dispute. */
export const MIN_RETENTION_MS = 7 * DAY_MS;
const DEFAULT_BATCH = 500;

/** Options of `billing.purge()`. */
export interface PurgeOptions {
  /** Purge what is older than this (ms); at least 7 days. */
  olderThanMs: number;
  /** Only count what would be purged. @default false */
  dryRun?: boolean;
  /** Rows per transaction (each batch is one short transaction). @default 500 */
  batchSize?: number;
  /** Called after each batch with how far the run is (for a progress display). */
  onProgress?: (progress: { purged: number; total: number }) => void;
}

/** What `billing.purge()` did (or, with `dryRun`, would do). */
export interface PurgeResult {
  /** The cutoff: what was received before this (epoch ms) is purged. */
  before: number;
  dryRun: boolean;
  /** Webhook events whose raw payload was (or would be) dropped. */
  webhookPayloads: number;
  /** Delivered outbox events (re)moved. */
  deliveredEvents: number;
}

/**
 * Applies the retention policy: drops the raw payload of webhook events received before `now - olderThanMs`
 * and deletes outbox events delivered before then, in batches of short transactions (safe while the app
 * runs). Payments, refunds, subscriptions and audit rows are kept. `dryRun` counts only.
 */
export async function purge(ctx: BillingContext, options: PurgeOptions): Promise<PurgeResult> {
  const { olderThanMs } = options;
  if (!Number.isSafeInteger(olderThanMs) || olderThanMs < MIN_RETENTION_MS)
    throw new BillingError(
      'INVALID_INPUT',
      `purge: olderThanMs must be whole milliseconds of at least ${MIN_RETENTION_MS} (7 days); younger data may still be in use.`,
      { details: { fields: [{ field: 'olderThanMs', message: 'at least 7 days' }] } },
    );
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1)
    throw new BillingError('INVALID_INPUT', 'purge: batchSize must be a whole number of at least 1.');
  const before = ctx.clock.now() - olderThanMs;
  const [payloads, events] = await inTransaction(ctx, SYSTEM_SCOPE, async (tx) => [
    await tx.webhookEvents.countPurgeablePayloads(before),
    await tx.outbox.countPurgeable(before),
  ]);
  if (options.dryRun) return { before, dryRun: true, webhookPayloads: payloads, deliveredEvents: events };
  const total = payloads + events;
  let purged = 0;
  const drain = async (step: (tx: Parameters<Parameters<typeof inTransaction>[2]>[0]) => Promise<number>) => {
    let done = 0;
    for (;;) {
      const n = await inTransaction(ctx, SYSTEM_SCOPE, step);
      done += n;
      purged += n;
      notify(ctx, () => options.onProgress?.({ purged, total: Math.max(total, purged) }));
      if (n < batchSize) return done;
    }
  };
  const webhookPayloads = await drain((tx) => tx.webhookEvents.purgePayloads(before, batchSize));
  const deliveredEvents = await drain((tx) => tx.outbox.purgeDelivered(before, batchSize));
  return { before, dryRun: false, webhookPayloads, deliveredEvents };
}
