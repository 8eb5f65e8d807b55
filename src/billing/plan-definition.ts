import { z } from 'zod';
import { PLAN_INTERVALS, type PlanRecord } from '../storage/records.js';

/**
 * A plan as declared in code. `price` is integer paise; `limits` maps a usage metric to its limit per
 * billing period (`null` = unlimited).
 *
 * @example
 * const pro: PlanDefinition = { id: 'pro', name: 'Pro', price: 299900, interval: 'month',
 *   limits: { projects: 50, api_calls: 100_000, members: null }, features: ['sso'], autopay: true };
 */
export const planDefinitionSchema = z.strictObject({
  id: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9_-]{0,62}$/,
      'plan ids are 1–63 characters of a-z, 0-9, _ and -, starting with a letter or digit',
    ),
  name: z.string().min(1).max(100),
  description: z.string().max(500).nullish(),
  /** Price per interval in paise (₹2,999.00 = 299900). */
  price: z
    .number()
    .refine(Number.isSafeInteger, 'price must be a whole number of paise')
    .refine((v) => v >= 100, 'price must be at least 100 paise (PhonePe minimum)'),
  currency: z.literal('INR').default('INR'),
  interval: z.enum(PLAN_INTERVALS),
  limits: z
    .record(
      z.string().regex(/^[a-z0-9_]{1,64}$/, 'metric names are 1–64 characters of a-z, 0-9 and _'),
      z.number().int().nonnegative().nullable(),
    )
    .default({}),
  features: z.array(z.string().min(1)).default([]),
  /** Whether the plan may be paid by a UPI autopay mandate. @default true */
  autopay: z.boolean().default(true),
  /** Free trial length for `startTrial`. @default 0 (no trial) */
  trialDays: z.number().int().min(0).max(365).default(0),
  /** Inactive plans are kept (existing subscriptions) but cannot be bought. @default true */
  active: z.boolean().default(true),
  sortOrder: z.number().int().default(0),
});

/** A plan on offer, declared in code: id, name, price in paise, interval and usage limits. */
export type PlanDefinition = z.input<typeof planDefinitionSchema>;

/** Validates plan definitions and turns them into store records (ids must be unique). */
export function planRecordsFromDefinitions(definitions: readonly PlanDefinition[], now: number): PlanRecord[] {
  const seen = new Set<string>();
  return definitions.map((definition, index) => {
    const parsed = planDefinitionSchema.safeParse(definition);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new TypeError(
        `plans[${index}]${issue?.path.length ? `.${issue.path.join('.')}` : ''}: ${issue?.message ?? 'invalid plan'}`,
      );
    }
    const plan = parsed.data;
    if (seen.has(plan.id)) throw new TypeError(`plans[${index}]: duplicate plan id "${plan.id}"`);
    seen.add(plan.id);
    return {
      id: plan.id,
      name: plan.name,
      description: plan.description ?? null,
      pricePaise: plan.price,
      currency: plan.currency,
      interval: plan.interval,
      limits: plan.limits,
      features: plan.features,
      autopay: plan.autopay,
      trialDays: plan.trialDays,
      active: plan.active,
      sortOrder: plan.sortOrder || index,
      createdAt: now,
      updatedAt: now,
    };
  });
}
