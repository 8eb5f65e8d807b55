import { formatPaise } from '../../billing/money/format-paise.js';
import type { PlanRecord } from '../../storage/records.js';

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
