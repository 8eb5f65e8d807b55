import { sql } from 'kysely';
import type { PlanRepository } from '../billing-store.js';
import type { PlanRecord } from '../records.js';
import { assertMayWrite } from '../scope-rules.js';
import { parseStoreInput, planRecordSchema } from '../validation.js';
import type { KyselyContext } from './kysely-context.js';
import { planColumns, toColumns, toRecord } from './record-columns.js';

/**
 * `PlanRepository` over `plans`: read under every scope, written under the system scope (row-level
 * security in migrations/002-003 says the same).
 *
 * @example
 * const plans = createKyselyPlans(context);
 */
export function createKyselyPlans({ trx, workspace }: KyselyContext): PlanRepository {
  return {
    async upsert(input) {
      const plan = parseStoreInput(planRecordSchema, input, 'plans.upsert');
      assertMayWrite(workspace, null, 'plans.upsert');
      const { id: _id, created_at: _createdAt, ...replaced } = toColumns(planColumns, plan);
      const row = await trx
        .insertInto('plans')
        .values(toColumns(planColumns, plan))
        .onConflict((oc) => oc.column('id').doUpdateSet(replaced))
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRecord<PlanRecord>(planColumns, row);
    },
    async get(id) {
      const row = await trx.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toRecord<PlanRecord>(planColumns, row) : null;
    },
    async listActive() {
      const rows = await trx
        .selectFrom('plans')
        .selectAll()
        .where('active', '=', true)
        .orderBy('sort_order')
        .orderBy('price_paise')
        .orderBy(sql`id collate "C"`)
        .execute();
      return rows.map((row) => toRecord<PlanRecord>(planColumns, row));
    },
  };
}
