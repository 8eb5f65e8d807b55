import { sql, type Kysely } from 'kysely';

/** Every billing table of migrations/001 and 007 (tenant tables first, then plans). */
export const TENANT_TABLES = [
  'subscriptions',
  'payment_transactions',
  'payment_refunds',
  'subscription_usage',
  'subscription_usage_events',
  'webhook_events',
  'billing_audit_log',
  'billing_outbox',
] as const;
export const BILLING_TABLES = [...TENANT_TABLES, 'plans'] as const;

/** Empties every billing table (as the owner or a superuser). */
export async function truncateBillingTables(db: Kysely<any>): Promise<void> {
  await sql`truncate ${sql.join(BILLING_TABLES.map((table) => sql.table(table)))}`.execute(db);
}
