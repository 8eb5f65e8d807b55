import type { PlanRepository } from '../billing-store.js';
import { assertMayWrite } from '../scope-rules.js';
import { parseStoreInput } from '../validation/parse-store-input.js';
import { planRecordSchema } from '../validation/record-schemas.js';
import { copyOut, type MemoryContext } from './memory-context.js';
import { compareText } from './memory-ordering.js';

/**
 * `PlanRepository` of the memory store: readable under every scope, written under the system scope.
 *
 * @example
 * const plans = createMemoryPlans(context);
 */
export function createMemoryPlans({ tables: { plans }, journal, workspace }: MemoryContext): PlanRepository {
  return {
    async upsert(input) {
      const plan = parseStoreInput(planRecordSchema, input, 'plans.upsert');
      assertMayWrite(workspace, null, 'plans.upsert');
      const createdAt = plans.get(plan.id)?.createdAt ?? plan.createdAt;
      return copyOut(plans.put({ ...plan, createdAt }, journal, 'plans.upsert'));
    },
    async get(id) {
      const row = plans.get(id);
      return row ? copyOut(row) : null;
    },
    async listActive() {
      return plans
        .rows()
        .filter((row) => row.active)
        .sort((a, b) => a.sortOrder - b.sortOrder || a.pricePaise - b.pricePaise || compareText(a.id, b.id))
        .map(copyOut);
    },
  };
}
