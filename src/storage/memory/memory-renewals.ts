import type { RenewalClaims } from '../billing-store.js';
import { isVisible } from '../scope-rules.js';
import { parseStoreInput } from '../validation/parse-store-input.js';
import { claimQuerySchema, renewalFinishSchema } from '../validation/operation-schemas.js';
import { isLive } from '../records/subscription-record.js';
import { copyOut, type MemoryContext } from './memory-context.js';
import { soonestDue } from './memory-ordering.js';
import { isDue } from './memory-subscriptions.js';

/**
 * `RenewalClaims` of the memory store. Claims live on the subscription row (`claimedBy`,
 * `claimExpiresAt`) exactly as in PostgreSQL; they change neither `version` nor `updatedAt`.
 *
 * @example
 * const renewals = createMemoryRenewals(context);
 */
export function createMemoryRenewals({ tables: { subscriptions }, journal, workspace }: MemoryContext): RenewalClaims {
  return {
    async claimDue(query) {
      const { now, limit, workerId, leaseMs } = parseStoreInput(claimQuerySchema, query, 'renewals.claimDue');
      const claimable = subscriptions
        .rows()
        .filter((row) => isVisible(workspace, row.workspaceId) && isDue(row, now))
        .filter((row) => row.claimedBy === null || row.claimExpiresAt === null || row.claimExpiresAt <= now)
        .sort(soonestDue)
        .slice(0, limit);
      return claimable.map((row) =>
        copyOut(
          subscriptions.put(
            { ...row, claimedBy: workerId, claimExpiresAt: now + leaseMs },
            journal,
            'renewals.claimDue',
          ),
        ),
      );
    },
    async finish(input) {
      const { subscriptionId, workerId, nextActionAt, claimedAt, now } = parseStoreInput(
        renewalFinishSchema,
        input,
        'renewals.finish',
      );
      const row = subscriptions.get(subscriptionId);
      if (!row || !isVisible(workspace, row.workspaceId)) return null;
      const live = isLive(row);
      const rescheduled = row.nextActionAt !== null && row.nextActionAt !== claimedAt;
      const next =
        !live || nextActionAt === null
          ? row.nextActionAt
          : rescheduled
            ? Math.min(nextActionAt, row.nextActionAt as number)
            : nextActionAt;
      const changed = next !== row.nextActionAt ? { nextActionAt: next, version: row.version + 1, updatedAt: now } : {};
      const released = row.claimedBy === workerId ? { claimedBy: null, claimExpiresAt: null } : {};
      if (Object.keys(changed).length + Object.keys(released).length > 0)
        subscriptions.put({ ...row, ...changed, ...released }, journal, 'renewals.finish');
      return next;
    },
    async release(subscriptionId, workerId) {
      const row = subscriptions.get(subscriptionId);
      if (!row || !isVisible(workspace, row.workspaceId) || row.claimedBy !== workerId) return;
      subscriptions.put({ ...row, claimedBy: null, claimExpiresAt: null }, journal, 'renewals.release');
    },
  };
}
