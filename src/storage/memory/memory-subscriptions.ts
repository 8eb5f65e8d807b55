import type { SubscriptionRepository } from '../billing-store.js';
import { conflictMessage } from '../conflict-message.js';
import { StoreConflictError } from '../errors/store-conflict-error.js';
import { isLive, type SubscriptionRecord } from '../records/subscription-record.js';
import { assertMayWrite, isVisible } from '../scope-rules.js';
import { parsePatch, parseStoreInput } from '../validation/parse-store-input.js';
import { auditOptionSchema, dueQuerySchema, versionSchema } from '../validation/operation-schemas.js';
import { epochMsSchema, subscriptionPatchSchema, subscriptionRecordSchema } from '../validation/record-schemas.js';
import { appendAudit } from './memory-audit.js';
import { copyOut, type MemoryContext } from './memory-context.js';
import { newestFirst, soonestDue } from './memory-ordering.js';

/** Whether the renewal work of `row` is due at `now` (shared with `claimDue`). */
export function isDue(row: SubscriptionRecord, now: number): boolean {
  return isLive(row) && row.nextActionAt !== null && row.nextActionAt <= now;
}

/**
 * `SubscriptionRepository` of the memory store.
 *
 * @example
 * const subscriptions = createMemorySubscriptions(context);
 */
export function createMemorySubscriptions(context: MemoryContext): SubscriptionRepository {
  const {
    tables: { subscriptions },
    journal,
    workspace,
  } = context;
  const withAudit = (options: unknown, operation: string) => {
    const { audit } = parseStoreInput(auditOptionSchema, options ?? {}, operation);
    if (audit) assertMayWrite(workspace, audit.workspaceId, operation);
    return (row: SubscriptionRecord) => {
      if (audit) appendAudit(context, audit, operation);
      return copyOut(row);
    };
  };
  const visible = (row: SubscriptionRecord | undefined): SubscriptionRecord | undefined =>
    row && isVisible(workspace, row.workspaceId) ? row : undefined;
  const found = (row: SubscriptionRecord | undefined): SubscriptionRecord | null => {
    const shown = visible(row);
    return shown ? copyOut(shown) : null;
  };

  return {
    async getLive(workspaceId) {
      return found(subscriptions.findUnique('subscription_live_per_workspace', workspaceId));
    },
    async getLatest(workspaceId) {
      const rows = subscriptions.rows().filter((row) => visible(row) && row.workspaceId === workspaceId);
      return found(rows.sort(newestFirst)[0]);
    },
    async getById(id) {
      return found(subscriptions.get(id));
    },
    async getByMerchantSubscriptionId(merchantSubscriptionId) {
      return found(subscriptions.findUnique('subscription_merchant_subscription_id', merchantSubscriptionId));
    },
    async insert(input, options) {
      const subscription = parseStoreInput(subscriptionRecordSchema, input, 'subscriptions.insert');
      assertMayWrite(workspace, subscription.workspaceId, 'subscriptions.insert');
      const written = withAudit(options, 'subscriptions.insert');
      return written(subscriptions.insert(subscription, journal, 'subscriptions.insert'));
    },
    async update(id, expectedVersion, patch, now, options) {
      const fields = parsePatch(subscriptionPatchSchema, patch, 'subscriptions.update');
      const at = parseStoreInput(epochMsSchema, now, 'subscriptions.update');
      parseStoreInput(versionSchema, expectedVersion, 'subscriptions.update');
      const written = withAudit(options, 'subscriptions.update');
      const row = visible(subscriptions.get(id));
      if (!row || row.version !== expectedVersion) {
        throw new StoreConflictError(
          'subscription_version',
          conflictMessage('subscriptions.update', 'subscription_version', id),
        );
      }
      const next = { ...row, ...fields, version: row.version + 1, updatedAt: at };
      return written(subscriptions.put(next, journal, 'subscriptions.update'));
    },
    async listDue(query) {
      const { now, limit } = parseStoreInput(dueQuerySchema, query, 'subscriptions.listDue');
      return subscriptions
        .rows()
        .filter((row) => visible(row) && isDue(row, now))
        .sort(soonestDue)
        .slice(0, limit)
        .map(copyOut);
    },
  };
}
