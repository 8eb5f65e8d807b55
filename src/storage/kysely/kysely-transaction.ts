import type { BillingTransaction } from '../billing-store.js';
import type { TransactionGuard } from '../transaction-guard.js';
import { createKyselyAudit } from './kysely-audit.js';
import type { KyselyContext } from './kysely-context.js';
import { createKyselyMetrics } from './kysely-metrics.js';
import { createKyselyPayments } from './kysely-payments.js';
import { createKyselyPlans } from './kysely-plans.js';
import { createKyselyRefunds } from './kysely-refunds.js';
import { createKyselyRenewals } from './kysely-renewals.js';
import { createKyselySubscriptions } from './kysely-subscriptions.js';
import { createKyselyUsage } from './kysely-usage.js';
import { createKyselyWebhookEvents } from './kysely-webhook-events.js';

/**
 * The `tx` handed to a `KyselyStore.transaction` callback: every repository on one database
 * transaction, each operation guarded (pg errors mapped, a failure dooms the transaction).
 *
 * @example
 * const tx = createKyselyTransaction({ trx, workspace: null, ids }, guard);
 */
export function createKyselyTransaction(context: KyselyContext, guard: TransactionGuard): BillingTransaction {
  return guard.wrapTransaction({
    plans: createKyselyPlans(context),
    payments: createKyselyPayments(context),
    refunds: createKyselyRefunds(context),
    subscriptions: createKyselySubscriptions(context),
    usage: createKyselyUsage(context),
    webhookEvents: createKyselyWebhookEvents(context),
    renewals: createKyselyRenewals(context),
    audit: createKyselyAudit(context),
    metrics: createKyselyMetrics(context),
  });
}
