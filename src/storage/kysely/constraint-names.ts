import type { StoreConstraint } from '../errors.js';

/**
 * SQL unique constraint / index name (migrations/001) -> the port's constraint name. A unique
 * violation on any name listed here becomes a `StoreConflictError`; the tables written by upsert
 * (plans, webhook_events, subscription_usage, subscription_usage_events) never raise one.
 */
export const SQL_CONSTRAINTS: Readonly<Record<string, StoreConstraint>> = {
  payment_transactions_pkey: 'primary_key',
  payment_refunds_pkey: 'primary_key',
  subscriptions_pkey: 'primary_key',
  billing_audit_log_pkey: 'primary_key',
  payment_transactions_merchant_order_id_key: 'payment_merchant_order_id',
  payment_transactions_idempotency_key_idx: 'payment_idempotency_key',
  payment_refunds_merchant_refund_id_key: 'refund_merchant_refund_id',
  payment_refunds_open_per_payment_idx: 'refund_open_per_payment',
  subscriptions_live_per_workspace_idx: 'subscription_live_per_workspace',
  subscriptions_merchant_subscription_id_key: 'subscription_merchant_subscription_id',
};
