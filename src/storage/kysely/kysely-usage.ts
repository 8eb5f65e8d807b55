import { sql } from 'kysely';
import type { UsageRepository } from '../billing-store.js';
import { assertMayWrite } from '../scope-rules.js';
import { parseStoreInput, usageIncrementSchema } from '../validation.js';
import { toSafeInteger } from './column-codec.js';
import type { KyselyContext } from './kysely-context.js';

/**
 * `UsageRepository` over `subscription_usage` (+ `subscription_usage_events` for usage keys).
 *
 * The increment is one `INSERT … ON CONFLICT DO UPDATE … WHERE used + by <= limit`: PostgreSQL
 * locks the counter row and re-checks the limit against its latest value, so concurrent callers
 * can never pass the limit together. A usage key is claimed first in the same transaction
 * (`ON CONFLICT DO NOTHING` waits for a concurrent holder of the key to commit or roll back), and
 * given back when the limit refuses the increment, so only counted increments keep their key.
 *
 * @example
 * const usage = createKyselyUsage(context);
 */
export function createKyselyUsage({ trx, workspace }: KyselyContext): UsageRepository {
  const current = async (workspaceId: string, metric: string, periodStart: Date): Promise<number> => {
    const row = await trx
      .selectFrom('subscription_usage')
      .select('used')
      .where('workspace_id', '=', workspaceId)
      .where('metric', '=', metric)
      .where('period_start', '=', periodStart)
      .executeTakeFirst();
    return row ? toSafeInteger(row.used) : 0;
  };

  return {
    async increment(input) {
      const { workspaceId, metric, periodStart, by, limit, usageKey, now } = parseStoreInput(
        usageIncrementSchema,
        input,
        'usage.increment',
      );
      assertMayWrite(workspace, workspaceId, 'usage.increment');
      const period = new Date(periodStart);
      if (usageKey !== undefined) {
        const claimed = await sql`
          insert into subscription_usage_events (workspace_id, usage_key, metric, period_start, amount, created_at)
          values (${workspaceId}, ${usageKey}, ${metric}, ${period}, ${by}, ${new Date(now)})
          on conflict (workspace_id, usage_key) do nothing
          returning usage_key`.execute(trx);
        if (claimed.rows.length === 0)
          return { ok: true, used: await current(workspaceId, metric, period), duplicate: true };
      }
      const counted = await sql<{ used: unknown }>`
        insert into subscription_usage as u (workspace_id, metric, period_start, used, updated_at)
        select ${workspaceId}, ${metric}, ${period}, ${by}::bigint, ${new Date(now)}
        where ${limit}::bigint is null or ${by}::bigint <= ${limit}::bigint
        on conflict (workspace_id, metric, period_start) do update
          set used = u.used + excluded.used, updated_at = excluded.updated_at
          where ${limit}::bigint is null or u.used + excluded.used <= ${limit}::bigint
        returning u.used`.execute(trx);
      const row = counted.rows[0];
      if (row) return { ok: true, used: toSafeInteger(row.used), duplicate: false };
      if (usageKey !== undefined) {
        await trx
          .deleteFrom('subscription_usage_events')
          .where('workspace_id', '=', workspaceId)
          .where('usage_key', '=', usageKey)
          .execute();
      }
      return { ok: false, used: await current(workspaceId, metric, period), limit: limit ?? 0 };
    },
    async get(workspaceId, periodStart) {
      const rows = await trx
        .selectFrom('subscription_usage')
        .select(['metric', 'used'])
        .where('workspace_id', '=', workspaceId)
        .where(
          'period_start',
          '=',
          new Date(parseStoreInput(usageIncrementSchema.shape.periodStart, periodStart, 'usage.get')),
        )
        .$if(workspace !== null, (qb) => qb.where('workspace_id', '=', workspace))
        .execute();
      return Object.fromEntries(rows.map((row) => [String(row.metric), toSafeInteger(row.used)]));
    },
  };
}
