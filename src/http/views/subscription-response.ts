import type { SubscriptionView } from '../../billing/subscriptions/subscription-view.js';
import { formatPaise } from '../../billing/money/format-paise.js';

/**
 * The subscription as the HTTP API shows it: the manager's `SubscriptionView` (already snake_case,
 * times ISO 8601) with the mandate's `max_amount` turned into a rupee string plus `max_amount_paise`,
 * like every other amount on the wire.
 *
 * @example
 * { id: 'sub_…', plan_id: 'pro', status: 'active', autopay: { mandate_state: 'ACTIVE', max_amount: '2999.00', max_amount_paise: 299900 },
 *   current_period_end: '2026-12-01T00:00:00.000Z', usage: { projects: { current: 3, limit: 50, percentage: 6 } }, … }
 */
export type SubscriptionResponse = Omit<SubscriptionView, 'autopay'> & {
  autopay: { mandate_state: string | null; max_amount: string | null; max_amount_paise: number | null } | null;
};

export function toSubscriptionResponse(view: SubscriptionView): SubscriptionResponse {
  const autopay = view.autopay
    ? {
        mandate_state: view.autopay.mandate_state,
        max_amount: view.autopay.max_amount === null ? null : formatPaise(view.autopay.max_amount),
        max_amount_paise: view.autopay.max_amount,
      }
    : null;
  return { ...view, autopay };
}
