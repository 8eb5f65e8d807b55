import type { MetricsQueries } from '../billing-store.js';
import { isVisible } from '../scope-rules.js';
import { parseStoreInput } from '../validation/parse-store-input.js';
import { rangeSchema } from '../validation/operation-schemas.js';
import type { MemoryContext } from './memory-context.js';

const within = (at: number | null, { from, to }: { from: number; to: number }): boolean =>
  at !== null && at >= from && at < to;

/**
 * `MetricsQueries` of the memory store (same definitions as the SQL in the Kysely store).
 *
 * @example
 * const metrics = createMemoryMetrics(context);
 */
export function createMemoryMetrics({ tables, workspace }: MemoryContext): MetricsQueries {
  const mine = <T extends { workspaceId: string | null }>(rows: T[]): T[] =>
    rows.filter((row) => isVisible(workspace, row.workspaceId));
  return {
    async payments(input) {
      const range = parseStoreInput(rangeSchema, input, 'metrics.payments');
      const settled = mine(tables.payments.rows()).filter((row) => within(row.settledAt, range));
      const signalled = settled.filter((row) => row.firstSignalAt !== null);
      const completed = settled.filter((row) => row.state === 'completed');
      return {
        completed: completed.length,
        failed: settled.filter((row) => row.state === 'failed').length,
        expired: settled.filter((row) => row.state === 'expired').length,
        revenuePaise: completed.reduce((sum, row) => sum + row.amountPaise, 0),
        settleLatencyMsTotal: signalled.reduce((sum, row) => sum + (row.settledAt! - row.firstSignalAt!), 0),
        settleLatencyCount: signalled.length,
      };
    },
    async refunds(input) {
      const range = parseStoreInput(rangeSchema, input, 'metrics.refunds');
      const completed = mine(tables.refunds.rows()).filter(
        (row) => row.state === 'completed' && within(row.settledAt, range),
      );
      return { completed: completed.length, refundedPaise: completed.reduce((sum, row) => sum + row.amountPaise, 0) };
    },
    async subscriptions(input) {
      const range = parseStoreInput(rangeSchema, input, 'metrics.subscriptions');
      const rows = mine(tables.subscriptions.rows());
      const ended = rows.filter(
        (row) => (row.status === 'expired' || row.status === 'cancelled') && within(row.endedAt, range),
      );
      return {
        created: rows.filter((row) => within(row.createdAt, range)).length,
        cancelled: rows.filter((row) => within(row.cancelledAt, range)).length,
        ended: ended.length,
        expired: ended.filter((row) => row.status === 'expired').length,
      };
    },
    async webhooks(input) {
      const range = parseStoreInput(rangeSchema, input, 'metrics.webhooks');
      const received = mine(tables.webhookEvents.rows()).filter((row) => within(row.receivedAt, range));
      return {
        received: received.length,
        duplicates: received.reduce((sum, row) => sum + row.duplicateCount, 0),
        failed: received.filter((row) => row.status === 'failed').length,
      };
    },
  };
}
