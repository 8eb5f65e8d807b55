import { z } from 'zod';
import type { PhonePeClient } from '../client/phonepe-client.js';
import type { Clock } from '../common/clock.js';
import type { IdGenerator } from '../common/id-generator.js';
import type { Logger } from '../common/logger.js';
import type { BillingStore } from '../storage/billing-store.js';
import type { BillingConfigInput } from './billing-config.js';
import type { BillingHooks } from './billing-hooks.js';
import type { PlanDefinition } from './plans/plan-definition.js';

/**
 * Options of `SubscriptionManager`.
 *
 * @example
 * new SubscriptionManager({ client, store, plans, config: { callbackUrl, redirectAllowlist: ['https://app.example.com'] } });
 */
export interface SubscriptionManagerOptions {
  /** The PhonePe client (one merchant's credentials). */
  client: PhonePeClient;
  /** Where billing data lives: `MemoryStore`, or `KyselyStore` from `phonepe-billing/kysely`. */
  store: BillingStore;
  /** The plans on offer, declared in code; `syncPlans()` writes them to the store. */
  plans: readonly PlanDefinition[];
  config: BillingConfigInput;
  /** Callbacks after billing events (run after commit; a failing hook never undoes billing state). */
  hooks?: BillingHooks;
  /** @default systemClock */
  clock?: Clock;
  /** @default silentLogger */
  logger?: Logger;
  /** Id generator for rows and merchant ids. @default defaultIdGenerator */
  ids?: IdGenerator;
}

const has = (method: string) => (value: unknown) =>
  typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[method] === 'function';

/** Shape checks at construction (unknown keys are refused with the list of known ones). */
export const subscriptionManagerOptionsSchema = z.strictObject({
  client: z.custom<PhonePeClient>(has('pay'), 'client must be a PhonePeClient'),
  store: z.custom<BillingStore>(has('transaction'), 'store must be a BillingStore (MemoryStore or KyselyStore)'),
  plans: z.array(z.unknown()).min(1, 'plans must declare at least one plan'),
  config: z.unknown(),
  hooks: z
    .record(
      z.string(),
      z.custom<(...args: unknown[]) => unknown>((v) => typeof v === 'function', 'each hook must be a function'),
    )
    .optional(),
  clock: z.custom<Clock>(has('now'), 'clock must have now()').optional(),
  logger: z
    .custom<Logger>(
      (v) => has('info')(v) && has('warn')(v) && has('error')(v) && has('debug')(v),
      'logger must have debug/info/warn/error',
    )
    .optional(),
  ids: z.custom<IdGenerator>((v) => typeof v === 'function', 'ids must be a function (prefix) => string').optional(),
});
