import type { RenewalClaims } from '../billing-store.js';
import { isVisible } from '../scope-rules.js';
import { parseStoreInput } from '../validation/parse-store-input.js';
import { claimQuerySchema } from '../validation/operation-schemas.js';
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
        copyOut(subscriptions.put({ ...row, claimedBy: workerId, claimExpiresAt: now + leaseMs }, journal, 'renewals.claimDue')),
      );
    },
    async release(subscriptionId, workerId) {
      const row = subscriptions.get(subscriptionId);
      if (!row || !isVisible(workspace, row.workspaceId) || row.claimedBy !== workerId) return;
      subscriptions.put({ ...row, claimedBy: null, claimExpiresAt: null }, journal, 'renewals.release');
    },
  };
}
