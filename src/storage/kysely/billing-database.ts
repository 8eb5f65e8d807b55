import type { ColumnType } from 'kysely';
import type { ColumnCodec } from './column-codec.js';
import type {
  auditColumns,
  paymentColumns,
  planColumns,
  refundColumns,
  subscriptionColumns,
  webhookEventColumns,
} from './record-columns.js';

// The schema of migrations/*.sql as Kysely sees it. Only column names are checked: values pass
// through the codecs of record-columns.ts, which know what each driver setting returns.
type AnyColumn = ColumnType<unknown, unknown, unknown>;
type TableOf<M extends Record<string, readonly [string, ColumnCodec]>> = { [K in keyof M as M[K][0]]: AnyColumn };

/** The billing tables (migrations/001), for `Kysely<BillingDatabase>` inside the store. */
export interface BillingDatabase {
  plans: TableOf<typeof planColumns>;
  payment_transactions: TableOf<typeof paymentColumns>;
  payment_refunds: TableOf<typeof refundColumns>;
  subscriptions: TableOf<typeof subscriptionColumns>;
  webhook_events: TableOf<typeof webhookEventColumns>;
  billing_audit_log: TableOf<typeof auditColumns>;
  subscription_usage: Record<'workspace_id' | 'metric' | 'period_start' | 'used' | 'updated_at', AnyColumn>;
  subscription_usage_events: Record<
    'workspace_id' | 'usage_key' | 'metric' | 'period_start' | 'amount' | 'created_at',
    AnyColumn
  >;
}
