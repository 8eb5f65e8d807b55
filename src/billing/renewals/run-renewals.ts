import { inTransaction, SYSTEM_SCOPE, type BillingContext } from '../billing-context.js';
import { isStoreConflictError } from '../../storage/errors/store-conflict-error.js';
import { isBillingError } from '../errors/billing-error.js';
import type { RenewalItemResult, RenewalRunResult } from './renewal-result.js';
import { renewSubscription, type RenewalStep } from './renew-subscription.js';

// A subscription whose step failed unexpectedly is looked at again after this long.
const ERROR_RETRY_MS = 5 * 60 * 1000;

/** Options of `runRenewals`. */
export interface RunRenewalsOptions {
  /** Most subscriptions to work on in this run. @default 50 */
  limit?: number;
  /** Identifies this worker in claims and audit rows. @default a generated id */
  workerId?: string;
}

/**
 * One pass of the renewal worker: claims due subscriptions (a lease in the store, so several workers on
 * several machines never work one subscription at once), takes each one step further, stores when it is
 * due next, and releases it. Failures are reported per item and never stop the run.
 */
export async function runRenewals(ctx: BillingContext, options: RunRenewalsOptions = {}): Promise<RenewalRunResult> {
  const workerId = options.workerId ?? ctx.ids('worker');
  const limit = options.limit ?? 50;
  const claimed = await inTransaction(ctx, SYSTEM_SCOPE, (tx) => tx.renewals.claimDue({ now: ctx.clock.now(), limit, workerId, leaseMs: ctx.config.renewal.leaseMs }));
  const items: RenewalItemResult[] = [];
  for (const sub of claimed) {
    let step: RenewalStep;
    let error: RenewalItemResult['error'];
    try {
      step = await renewSubscription(ctx, sub.id);
    } catch (caught) {
      const code = isBillingError(caught) ? caught.code : caught instanceof Error ? caught.name : 'ERROR';
      const message = caught instanceof Error ? caught.message : String(caught);
      error = { code, message };
      step = { action: 'error', detail: message, nextActionAt: ctx.clock.now() + ERROR_RETRY_MS };
      ctx.logger.error({ subscriptionId: sub.id, workerId, code }, `renewal step failed: ${message}`);
    }
    const nextActionAt = await finish(ctx, sub.id, workerId, step, sub.nextActionAt);
    items.push({ subscriptionId: sub.id, workspaceId: sub.workspaceId, action: step.action, detail: step.detail, nextActionAt, ...(error ? { error } : {}) });
  }
  const summary: RenewalRunResult['summary'] = {};
  for (const item of items) summary[item.action] = (summary[item.action] ?? 0) + 1;
  return { workerId, claimed: claimed.length, items, summary };
}

/**
 * Stores when the subscription is due next and drops the claim. If settlement (a webhook, say) rescheduled
 * it while the step ran, the earlier of the two times wins. A webhook settling the same subscription at
 * the same moment can win the version race; then read again.
 */
async function finish(ctx: BillingContext, subscriptionId: string, workerId: string, step: RenewalStep, claimedAt: number | null): Promise<number | null> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await finishOnce(ctx, subscriptionId, workerId, step, claimedAt);
    } catch (error) {
      if (!isStoreConflictError(error) || attempt >= 3) throw error;
    }
  }
}

async function finishOnce(ctx: BillingContext, subscriptionId: string, workerId: string, step: RenewalStep, claimedAt: number | null): Promise<number | null> {
  return inTransaction(ctx, SYSTEM_SCOPE, async (tx) => {
    let sub = await tx.subscriptions.getById(subscriptionId);
    const live = sub && (sub.status === 'active' || sub.status === 'trialing' || sub.status === 'past_due');
    const rescheduled = sub !== null && sub.nextActionAt !== null && sub.nextActionAt !== claimedAt;
    const next = step.nextActionAt === null ? null : rescheduled ? Math.min(step.nextActionAt, sub!.nextActionAt as number) : step.nextActionAt;
    if (sub && live && next !== null && sub.nextActionAt !== next) {
      sub = await tx.subscriptions.update(sub.id, sub.version, { nextActionAt: next }, ctx.clock.now());
    }
    await tx.renewals.release(subscriptionId, workerId);
    return sub?.nextActionAt ?? null;
  });
}
