import { formatPaise } from '../../billing/money.js';
import type { SubscriptionDetails, UsageView } from '../../billing/subscriptions.js';
import { isoTime } from './payment-view.js';

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
