import type {
  AuditRecord,
  PaymentRecord,
  PlanRecord,
  RefundRecord,
  SubscriptionRecord,
  WebhookEventRecord,
} from '../records.js';
import {
  epochMsCodec as time,
  integerCodec as int,
  jsonCodec as json,
  plainCodec as plain,
  type ColumnCodec,
} from './column-codec.js';

/** Field -> [column, codec] for every field of a record. */
export type ColumnMap<R> = { readonly [K in keyof R]-?: readonly [column: string, codec: ColumnCodec] };

export const planColumns = {
  id: ['id', plain],
  name: ['name', plain],
  description: ['description', plain],
  pricePaise: ['price_paise', int],
  currency: ['currency', plain],
  interval: ['billing_interval', plain],
  limits: ['limits', json],
  features: ['features', json],
  autopay: ['autopay', plain],
  trialDays: ['trial_days', int],
  active: ['active', plain],
  sortOrder: ['sort_order', int],
  createdAt: ['created_at', time],
  updatedAt: ['updated_at', time],
} as const satisfies ColumnMap<PlanRecord>;

export const paymentColumns = {
  id: ['id', plain],
  workspaceId: ['workspace_id', plain],
  userId: ['user_id', plain],
  planId: ['plan_id', plain],
  subscriptionId: ['subscription_id', plain],
  merchantOrderId: ['merchant_order_id', plain],
  phonepeOrderId: ['phonepe_order_id', plain],
  method: ['method', plain],
  purpose: ['purpose', plain],
  amountPaise: ['amount_paise', int],
  currency: ['currency', plain],
  state: ['state', plain],
  returnUrl: ['return_url', plain],
  paymentUrl: ['payment_url', plain],
  idempotencyKey: ['idempotency_key', plain],
  merchantSubscriptionId: ['merchant_subscription_id', plain],
  periodStart: ['period_start', time],
  periodEnd: ['period_end', time],
  errorCode: ['error_code', plain],
  detailedErrorCode: ['detailed_error_code', plain],
  phonepeTransactionId: ['phonepe_transaction_id', plain],
  paymentMode: ['payment_mode', plain],
  expiresAt: ['expires_at', time],
  notifiedAt: ['notified_at', time],
  redeemAfter: ['redeem_after', time],
  redeemBefore: ['redeem_before', time],
  attempts: ['attempts', int],
  lastCheckedAt: ['last_checked_at', time],
  firstSignalAt: ['first_signal_at', time],
  settledAt: ['settled_at', time],
  metadata: ['metadata', json],
  createdAt: ['created_at', time],
  updatedAt: ['updated_at', time],
} as const satisfies ColumnMap<PaymentRecord>;

export const refundColumns = {
  id: ['id', plain],
  workspaceId: ['workspace_id', plain],
  paymentId: ['payment_id', plain],
  merchantRefundId: ['merchant_refund_id', plain],
  phonepeRefundId: ['phonepe_refund_id', plain],
  amountPaise: ['amount_paise', int],
  state: ['state', plain],
  reason: ['reason', plain],
  errorCode: ['error_code', plain],
  requestedBy: ['requested_by', plain],
  lastCheckedAt: ['last_checked_at', time],
  settledAt: ['settled_at', time],
  createdAt: ['created_at', time],
  updatedAt: ['updated_at', time],
} as const satisfies ColumnMap<RefundRecord>;

export const subscriptionColumns = {
  id: ['id', plain],
  workspaceId: ['workspace_id', plain],
  planId: ['plan_id', plain],
  status: ['status', plain],
  renewalMode: ['renewal_mode', plain],
  currentPeriodStart: ['current_period_start', time],
  currentPeriodEnd: ['current_period_end', time],
  cancelAtPeriodEnd: ['cancel_at_period_end', plain],
  cancelledAt: ['cancelled_at', time],
  cancellationReason: ['cancellation_reason', plain],
  endedAt: ['ended_at', time],
  pendingPlanId: ['pending_plan_id', plain],
  merchantSubscriptionId: ['merchant_subscription_id', plain],
  phonepeSubscriptionId: ['phonepe_subscription_id', plain],
  mandateState: ['mandate_state', plain],
  mandateMaxAmountPaise: ['mandate_max_amount_paise', int],
  nextActionAt: ['next_action_at', time],
  graceEndsAt: ['grace_ends_at', time],
  renewalAttempts: ['renewal_attempts', int],
  claimedBy: ['claimed_by', plain],
  claimExpiresAt: ['claim_expires_at', time],
  createdBy: ['created_by', plain],
  metadata: ['metadata', json],
  version: ['version', int],
  createdAt: ['created_at', time],
  updatedAt: ['updated_at', time],
} as const satisfies ColumnMap<SubscriptionRecord>;

export const webhookEventColumns = {
  dedupeKey: ['dedupe_key', plain],
  event: ['event', plain],
  workspaceId: ['workspace_id', plain],
  subjectId: ['subject_id', plain],
  payload: ['payload', json],
  status: ['status', plain],
  duplicateCount: ['duplicate_count', int],
  attempts: ['attempts', int],
  error: ['error', plain],
  outcome: ['outcome', plain],
  receivedAt: ['received_at', time],
  processedAt: ['processed_at', time],
} as const satisfies ColumnMap<WebhookEventRecord>;

export const auditColumns = {
  id: ['id', plain],
  workspaceId: ['workspace_id', plain],
  actor: ['actor', plain],
  action: ['action', plain],
  entityType: ['entity_type', plain],
  entityId: ['entity_id', plain],
  data: ['data', json],
  createdAt: ['created_at', time],
} as const satisfies ColumnMap<AuditRecord>;

/**
 * A row read from the database as a record.
 *
 * @example
 * const payment = toRecord(paymentColumns, row);
 */
export function toRecord<R>(columns: ColumnMap<R>, row: Record<string, unknown>): R {
  const record: Record<string, unknown> = {};
  for (const [field, [column, codec]] of Object.entries(columns) as Array<[string, readonly [string, ColumnCodec]]>) {
    record[field] = codec.fromDb(row[column] ?? null);
  }
  return record as R;
}

/**
 * The given fields of a record (or patch) as column values; fields absent from `values` are left out.
 *
 * @example
 * await trx.updateTable('payment_transactions').set(toColumns(paymentColumns, patch)).where('id', '=', id).execute();
 */
export function toColumns<R>(columns: ColumnMap<R>, values: Partial<R>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(values)) {
    const entry = columns[field as keyof R];
    if (entry && value !== undefined) row[entry[0]] = entry[1].toDb(value);
  }
  return row;
}
