import type { AuditRecord } from '../records/audit-record.js';
import type { PaymentRecord } from '../records/payment-record.js';
import type { PlanRecord } from '../records/plan-record.js';
import type { RefundRecord } from '../records/refund-record.js';
import { isLive, type SubscriptionRecord } from '../records/subscription-record.js';
import type { WebhookEventRecord } from '../records/webhook-event-record.js';
import { MemoryTable } from './memory-table.js';

/** A usage counter (`subscription_usage`). */
export interface UsageCounterRow {
  workspaceId: string;
  metric: string;
  periodStart: number;
  used: number;
  updatedAt: number;
}

/** A usage key already spent (`subscription_usage_events`). */
export interface UsageKeyRow {
  workspaceId: string;
  usageKey: string;
  metric: string;
  periodStart: number;
  amount: number;
  createdAt: number;
}

const key = (...parts: Array<string | number>): string => JSON.stringify(parts);

/**
 * The memory store's tables, with the same unique rules (and constraint names) as migrations/001.
 *
 * @example
 * const tables = createMemoryTables();
 */
export function createMemoryTables() {
  return {
    plans: new MemoryTable<PlanRecord>('plans', (plan) => plan.id),
    payments: new MemoryTable<PaymentRecord>('payment_transactions', (p) => p.id, [
      { constraint: 'payment_merchant_order_id', key: (p) => p.merchantOrderId },
      {
        constraint: 'payment_idempotency_key',
        key: (p) => (p.idempotencyKey === null ? null : key(p.workspaceId, p.idempotencyKey)),
      },
    ]),
    refunds: new MemoryTable<RefundRecord>('payment_refunds', (r) => r.id, [
      { constraint: 'refund_merchant_refund_id', key: (r) => r.merchantRefundId },
      {
        constraint: 'refund_open_per_payment',
        key: (r) => (r.state === 'pending' || r.state === 'confirmed' ? r.paymentId : null),
      },
    ]),
    subscriptions: new MemoryTable<SubscriptionRecord>('subscriptions', (s) => s.id, [
      { constraint: 'subscription_live_per_workspace', key: (s) => (isLive(s) ? s.workspaceId : null) },
      { constraint: 'subscription_merchant_subscription_id', key: (s) => s.merchantSubscriptionId },
    ]),
    usage: new MemoryTable<UsageCounterRow>('subscription_usage', (u) => key(u.workspaceId, u.metric, u.periodStart)),
    usageKeys: new MemoryTable<UsageKeyRow>('subscription_usage_events', (k) => key(k.workspaceId, k.usageKey)),
    webhookEvents: new MemoryTable<WebhookEventRecord>('webhook_events', (e) => e.dedupeKey),
    audit: new MemoryTable<AuditRecord>('billing_audit_log', (a) => a.id),
  };
}

/** The memory store's tables, as {@link createMemoryTables} makes them. */
export type MemoryTables = ReturnType<typeof createMemoryTables>;

/** Key of a usage counter row (for `MemoryTable.get`). */
export const usageCounterKey = (workspaceId: string, metric: string, periodStart: number): string =>
  key(workspaceId, metric, periodStart);

/** Key of a spent usage key (for `MemoryTable.get`). */
export const usageKeyKey = (workspaceId: string, usageKey: string): string => key(workspaceId, usageKey);
