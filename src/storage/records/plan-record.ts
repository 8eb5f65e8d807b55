/** Billing intervals a plan can renew on. */
export const PLAN_INTERVALS = ['month', 'year'] as const;
/** How often a plan bills: monthly or yearly. */
export type PlanInterval = (typeof PLAN_INTERVALS)[number];

/**
 * A plan as stored (`plans` table). Plans are declared in code and synced to the store;
 * `limits` maps a usage metric to its per-period limit (`null` = unlimited).
 *
 * @example
 * const pro: PlanRecord = { id: 'pro', name: 'Pro', description: null, pricePaise: 299900, currency: 'INR',
 *   interval: 'month', limits: { projects: 50, api_calls: 100_000 }, features: ['sso'], autopay: true,
 *   trialDays: 0, active: true, sortOrder: 1, createdAt: 0, updatedAt: 0 };
 */
export interface PlanRecord {
  id: string;
  name: string;
  description: string | null;
  /** Price per interval in paise (integer). */
  pricePaise: number;
  currency: 'INR';
  interval: PlanInterval;
  limits: Record<string, number | null>;
  features: string[];
  /** Whether the plan may be paid by a UPI autopay mandate. */
  autopay: boolean;
  trialDays: number;
  active: boolean;
  /** Display order (ascending). */
  sortOrder: number;
  createdAt: number;
  updatedAt: number;
}
