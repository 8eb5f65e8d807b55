import { formatPaise } from '../billing/money.js';
import type { SubscriptionDetails, UsageView } from '../billing/subscriptions.js';
import { isOpen, type PaymentRecord, type PlanRecord, type RefundRecord } from '../storage/records.js';

/** An ISO 8601 time, or null. */
export const isoTime = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/**
 * A payment as the HTTP API shows it (snake_case; money as a rupee string plus `*_paise`; times ISO 8601).
 *
 * @example
 * { order_id: 'ord_…', transaction_id: 'txn_…', state: 'completed', plan_id: 'pro', purpose: 'new_subscription',
 *   method: 'checkout', autopay: false, amount: '2999.00', amount_paise: 299900, currency: 'INR', payment_url: null, … }
 */
export interface PaymentView {
  order_id: string;
  transaction_id: string;
  workspace_id: string;
  state: PaymentRecord['state'];
  plan_id: string;
  purpose: PaymentRecord['purpose'];
  method: PaymentRecord['method'];
  autopay: boolean;
  amount: string;
  amount_paise: number;
  currency: 'INR';
  /** PhonePe's page, while the payment can still be paid; null once it is settled. */
  payment_url: string | null;
  phonepe_order_id: string | null;
  phonepe_transaction_id: string | null;
  payment_mode: string | null;
  error_code: string | null;
  detailed_error_code: string | null;
  expires_at: string | null;
  created_at: string;
  updated_at: string;
  settled_at: string | null;
}

/** Builds the HTTP view of a payment; `payment_url` only while it is open (can still be paid). */
export function toPaymentView(payment: PaymentRecord): PaymentView {
  const open = isOpen(payment);
  return {
    order_id: payment.merchantOrderId,
    transaction_id: payment.id,
    workspace_id: payment.workspaceId,
    state: payment.state,
    plan_id: payment.planId,
    purpose: payment.purpose,
    method: payment.method,
    autopay: payment.method !== 'checkout',
    amount: formatPaise(payment.amountPaise),
    amount_paise: payment.amountPaise,
    currency: payment.currency,
    payment_url: open ? payment.paymentUrl : null,
    phonepe_order_id: payment.phonepeOrderId,
    phonepe_transaction_id: payment.phonepeTransactionId,
    payment_mode: payment.paymentMode,
    error_code: payment.errorCode,
    detailed_error_code: payment.detailedErrorCode,
    expires_at: isoTime(payment.expiresAt),
    created_at: new Date(payment.createdAt).toISOString(),
    updated_at: new Date(payment.updatedAt).toISOString(),
    settled_at: isoTime(payment.settledAt),
  };
}

/**
 * A refund as the HTTP API shows it. `refund_id` is the merchant refund id PhonePe knows it by.
 *
 * @example
 * { refund_id: 'rf_…', order_id: 'ord_…', state: 'pending', amount: '500.00', amount_paise: 50000, reason: 'duplicate charge', … }
 */
export interface RefundView {
  refund_id: string;
  order_id: string;
  state: RefundRecord['state'];
  amount: string;
  amount_paise: number;
  currency: 'INR';
  reason: string | null;
  phonepe_refund_id: string | null;
  error_code: string | null;
  created_at: string;
  settled_at: string | null;
}

export function toRefundView(refund: RefundRecord, orderId: string): RefundView {
  return {
    refund_id: refund.merchantRefundId,
    order_id: orderId,
    state: refund.state,
    amount: formatPaise(refund.amountPaise),
    amount_paise: refund.amountPaise,
    currency: 'INR',
    reason: refund.reason,
    phonepe_refund_id: refund.phonepeRefundId,
    error_code: refund.errorCode,
    created_at: new Date(refund.createdAt).toISOString(),
    settled_at: isoTime(refund.settledAt),
  };
}

/**
 * A plan as `GET /plans` shows it.
 *
 * @example
 * { id: 'pro', name: 'Pro', description: null, price: '2999.00', price_paise: 299900, currency: 'INR', interval: 'month',
 *   limits: { projects: 50 }, features: ['sso'], autopay: true, trial_days: 0 }
 */
export interface PlanView {
  id: string;
  name: string;
  description: string | null;
  price: string;
  price_paise: number;
  currency: 'INR';
  interval: PlanRecord['interval'];
  limits: Record<string, number | null>;
  features: string[];
  autopay: boolean;
  trial_days: number;
}

export function toPlanView(plan: PlanRecord): PlanView {
  return {
    id: plan.id,
    name: plan.name,
    description: plan.description,
    price: formatPaise(plan.pricePaise),
    price_paise: plan.pricePaise,
    currency: plan.currency,
    interval: plan.interval,
    limits: { ...plan.limits },
    features: [...plan.features],
    autopay: plan.autopay,
    trial_days: plan.trialDays,
  };
}

/**
 * The subscription as the HTTP API shows it (docs/http-api.md, `GET /subscriptions`): snake_case, times
 * ISO 8601, and the mandate's maximum as a rupee string `max_amount` plus `max_amount_paise`, like every
 * other amount on the wire.
 *
 * @example
 * { id: 'sub_…', plan_id: 'pro', status: 'active', autopay: { mandate_state: 'ACTIVE', max_amount: '2999.00', max_amount_paise: 299900 },
 *   current_period_end: '2026-12-01T00:00:00.000Z', usage: { projects: { current: 3, limit: 50, percentage: 6 } }, … }
 */
export interface SubscriptionResponse {
  id: string;
  workspace_id: string;
  plan_id: string;
  plan_name: string;
  status: SubscriptionDetails['status'];
  renewal_mode: SubscriptionDetails['renewalMode'];
  autopay: { mandate_state: string | null; max_amount: string | null; max_amount_paise: number | null } | null;
  current_period_start: string;
  current_period_end: string;
  cancel_at_period_end: boolean;
  cancelled_at: string | null;
  cancellation_reason: string | null;
  pending_plan_id: string | null;
  grace_ends_at: string | null;
  limits: Record<string, number | null>;
  features: string[];
  usage: Record<string, UsageView>;
}

/** Builds the HTTP view of a subscription from what `getSubscription()` returns (the key order is the wire's). */
export function subscriptionView(details: SubscriptionDetails): SubscriptionResponse {
  const { autopay } = details;
  return {
    id: details.id,
    workspace_id: details.workspaceId,
    plan_id: details.planId,
    plan_name: details.planName,
    status: details.status,
    renewal_mode: details.renewalMode,
    autopay: autopay
      ? {
          mandate_state: autopay.mandateState,
          max_amount: autopay.maxAmountPaise === null ? null : formatPaise(autopay.maxAmountPaise),
          max_amount_paise: autopay.maxAmountPaise,
        }
      : null,
    current_period_start: new Date(details.currentPeriodStart).toISOString(),
    current_period_end: new Date(details.currentPeriodEnd).toISOString(),
    cancel_at_period_end: details.cancelAtPeriodEnd,
    cancelled_at: isoTime(details.cancelledAt),
    cancellation_reason: details.cancellationReason,
    pending_plan_id: details.pendingPlanId,
    grace_ends_at: isoTime(details.graceEndsAt),
    limits: details.limits,
    features: details.features,
    usage: details.usage,
  };
}
