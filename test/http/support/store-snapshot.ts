import type { BillingStore } from '../../../src/storage/billing-store.js';

/**
 * Everything the store holds for `workspaceIds` (payments, their refunds, subscriptions, usage of
 * the live period, audit log) plus the webhook counters, read through the store itself — so a test
 * can assert that a refused request wrote nothing.
 */
export async function storeSnapshot(store: BillingStore, workspaceIds: readonly string[]): Promise<unknown> {
  const perWorkspace = await Promise.all(
    workspaceIds.map((workspaceId) =>
      store.transaction({ workspaceId }, async (tx) => {
        const payments = await tx.payments.listByWorkspace(workspaceId, { limit: 1000 });
        const refunds = await Promise.all(payments.map((p) => tx.refunds.listByPayment(p.id)));
        const subscription = await tx.subscriptions.getLatest(workspaceId);
        const usage = subscription ? await tx.usage.get(workspaceId, subscription.currentPeriodStart) : {};
        const audit = await tx.audit.listByWorkspace(workspaceId, { limit: 1000 });
        return { workspaceId, payments, refunds, subscription, usage, audit };
      }),
    ),
  );
  const webhooks = await store.transaction({ system: true }, (tx) =>
    tx.metrics.webhooks({ from: 0, to: 8_640_000_000_000_000 }),
  );
  return { perWorkspace, webhooks };
}
