import type { PlanDefinition } from 'phonepe-billing';

/**
 * The plans the examples sell, declared in code and written to the database by `billing.syncPlans()`
 * at start-up. Prices are integer paise (₹2,999.00 = 299900); `limits` are per billing period
 * (`null` = unlimited). `projects` is the quota the examples' `POST /api/projects` route consumes.
 *
 * @example
 * new SubscriptionManager({ client, store, plans: PLANS, config });
 */
export const PLANS: PlanDefinition[] = [
  {
    id: 'starter',
    name: 'Starter',
    price: 99_900,
    interval: 'month',
    limits: { projects: 3, api_calls: 10_000 },
    features: ['Email support'],
  },
  {
    id: 'pro',
    name: 'Pro',
    price: 299_900,
    interval: 'month',
    limits: { projects: 10, api_calls: 100_000 },
    features: ['Email support', 'SSO'],
  },
  {
    id: 'business',
    name: 'Business',
    price: 499_900,
    interval: 'month',
    limits: { projects: null, api_calls: 1_000_000 },
    features: ['Priority support', 'SSO', 'Audit log'],
  },
];
