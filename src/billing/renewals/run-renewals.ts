import { inTransaction, SYSTEM_SCOPE, type BillingContext } from '../billing-context.js';
import { BillingError, isBillingError } from '../errors.js';
import type { RenewalItemResult, RenewalRunResult } from './renewal-result.js';
import { loadRenewal, renewSubscription, type ClaimedRenewal, type RenewalStep } from './renew-subscription.js';

// A subscription whose step failed unexpectedly is looked at again after this long.
const ERROR_RETRY_MS = 5 * 60 * 1000;

/** Options of `runRenewals`. */
export interface RunRenewalsOptions {
  /** Most subscriptions to work on in this run. @default 50 */
  limit?: number;
  /** Identifies this worker in claims and audit rows. @default a generated id */
  workerId?: string;
  /**
   * How many subscriptions this worker takes a step on at the same time. A step spends most of its
   * time waiting for PhonePe, so several at once multiply what one worker gets done; the worker claims
   * only as many as it can start, so other workers share the due ones. @default 8
   */
  concurrency?: number;
}

interface Claimed extends ClaimedRenewal {
  /** Its place in this run's results (claim order). */
  index: number;
}

/**
 * One pass of the renewal worker: claims due subscriptions (a lease in the store, so several workers on
 * several machines never work one subscription at once), takes each one step further, stores when it is
 * due next, and releases it. Up to `concurrency` steps run at once; the worker claims due subscriptions
 * (with what their step needs to read) only as lanes fall free, so workers that start together split
 * the due set. Failures are reported per item and never stop the run; a claim that fails (the database
 * down) stops claiming, lets the steps under way finish, and is thrown.
 */
export async function runRenewals(ctx: BillingContext, options: RunRenewalsOptions = {}): Promise<RenewalRunResult> {
  const workerId = options.workerId ?? ctx.ids('worker');
  const limit = options.limit ?? 50;
  const concurrency = options.concurrency ?? 8;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1)
    throw new BillingError(
      'INVALID_INPUT',
      `runRenewals: concurrency must be a whole number of at least 1, not ${String(concurrency)}.`,
    );
  const items: RenewalItemResult[] = [];
  const queue: Claimed[] = [];
  let claimedCount = 0;
  let busy = 0;
  let exhausted = false;
  let claimError: { error: unknown } | null = null;
  let claiming: Promise<void> | null = null;

  /** Claims as many due subscriptions as there are free lanes, and loads what their steps read, in one transaction. */
  const claim = async (): Promise<void> => {
    const want = Math.min(concurrency - busy, limit - claimedCount);
    if (want <= 0) return;
    const batch = await inTransaction(ctx, SYSTEM_SCOPE, async (tx) => {
      const subs = await tx.renewals.claimDue({
        now: ctx.clock.now(),
        limit: want,
        workerId,
        leaseMs: ctx.config.renewal.leaseMs,
      });
      const loaded: ClaimedRenewal[] = [];
      for (const sub of subs) loaded.push(await loadRenewal(ctx, tx, sub));
      return loaded;
    });
    for (const claimed of batch) queue.push({ ...claimed, index: claimedCount++ });
    if (batch.length < want) exhausted = true;
  };

  const lane = async (): Promise<void> => {
    for (;;) {
      let next = queue.shift();
      while (!next) {
        if (exhausted || claimError || claimedCount >= limit) return;
        claiming ??= claim()
          .catch((error: unknown) => {
            claimError = { error };
          })
          .finally(() => {
            claiming = null;
          });
        await claiming;
        next = queue.shift();
      }
      busy += 1;
      try {
        items[next.index] = await renewOne(ctx, next, workerId);
      } finally {
        busy -= 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, limit) }, () => lane()));
  if (claimError && items.length === 0) throw (claimError as { error: unknown }).error;
  if (claimError)
    ctx.logger.error(
      { workerId, err: errorMessage((claimError as { error: unknown }).error) },
      'renewal claim failed; the run stopped early',
    );

  const summary: RenewalRunResult['summary'] = {};
  for (const item of items) summary[item.action] = (summary[item.action] ?? 0) + 1;
  return { workerId, claimed: claimedCount, items, summary };
}

/** Takes one claimed subscription a step further and ends the claim (in the step's own last transaction when it can). */
async function renewOne(ctx: BillingContext, claimed: Claimed, workerId: string): Promise<RenewalItemResult> {
  const { sub } = claimed;
  const finishing = { subscriptionId: sub.id, workerId, claimedAt: sub.nextActionAt };
  let stored: { nextActionAt: number | null } | null = null;
  let step: RenewalStep;
  let error: RenewalItemResult['error'];
  try {
    step = await renewSubscription(ctx, claimed, async (tx, outcome) => {
      stored = {
        nextActionAt: await tx.renewals.finish({
          ...finishing,
          nextActionAt: outcome.nextActionAt,
          now: ctx.clock.now(),
        }),
      };
    });
  } catch (caught) {
    const code = isBillingError(caught) ? caught.code : caught instanceof Error ? caught.name : 'ERROR';
    const message = errorMessage(caught);
    error = { code, message };
    step = { action: 'error', detail: message, nextActionAt: ctx.clock.now() + ERROR_RETRY_MS };
    stored = null; // the transaction that stored it may have rolled back: store it again
    ctx.logger.error({ subscriptionId: sub.id, workerId, code }, `renewal step failed: ${message}`);
  }
  const nextActionAt = stored
    ? (stored as { nextActionAt: number | null }).nextActionAt
    : await inTransaction(ctx, SYSTEM_SCOPE, (tx) =>
        tx.renewals.finish({ ...finishing, nextActionAt: step.nextActionAt, now: ctx.clock.now() }),
      );
  return {
    subscriptionId: sub.id,
    workspaceId: sub.workspaceId,
    action: step.action,
    detail: step.detail,
    nextActionAt,
    ...(error ? { error } : {}),
  };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
