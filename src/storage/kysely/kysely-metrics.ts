import { sql, type RawBuilder } from 'kysely';
import type { MetricsQueries } from '../billing-store.js';
import { parseStoreInput, rangeSchema } from '../validation.js';
import { toSafeInteger } from './column-codec.js';
import type { KyselyContext } from './kysely-context.js';

/**
 * `MetricsQueries` as single aggregate statements (sums cast to bigint so they come back as
 * integers, not numeric text).
 *
 * @example
 * const metrics = createKyselyMetrics(context);
 */
export function createKyselyMetrics({ trx, workspace }: KyselyContext): MetricsQueries {
  const mine = workspace === null ? sql`true` : sql`workspace_id = ${workspace}`;
  const aggregate = async <K extends string>(query: RawBuilder<Record<K, unknown>>, keys: readonly K[]) => {
    const row = (await query.execute(trx)).rows[0];
    return Object.fromEntries(keys.map((key) => [key, toSafeInteger(row?.[key] ?? 0)])) as Record<K, number>;
  };
  const bounds = (input: unknown, operation: string) => {
    const { from, to } = parseStoreInput(rangeSchema, input, operation);
    return { from: new Date(from), to: new Date(to) };
  };

  return {
    async payments(input) {
      const { from, to } = bounds(input, 'metrics.payments');
      return aggregate(
        sql`select
          count(*) filter (where state = 'completed') as completed,
          count(*) filter (where state = 'failed') as failed,
          count(*) filter (where state = 'expired') as expired,
          coalesce(sum(amount_paise) filter (where state = 'completed'), 0)::bigint as "revenuePaise",
          coalesce(sum(round(extract(epoch from (settled_at - first_signal_at)) * 1000)) filter (where first_signal_at is not null), 0)::bigint
            as "settleLatencyMsTotal",
          count(*) filter (where first_signal_at is not null) as "settleLatencyCount"
        from payment_transactions where settled_at >= ${from} and settled_at < ${to} and ${mine}`,
        ['completed', 'failed', 'expired', 'revenuePaise', 'settleLatencyMsTotal', 'settleLatencyCount'],
      );
    },
    async refunds(input) {
      const { from, to } = bounds(input, 'metrics.refunds');
      return aggregate(
        sql`select count(*) as completed, coalesce(sum(amount_paise), 0)::bigint as "refundedPaise"
        from payment_refunds where state = 'completed' and settled_at >= ${from} and settled_at < ${to} and ${mine}`,
        ['completed', 'refundedPaise'],
      );
    },
    async subscriptions(input) {
      const { from, to } = bounds(input, 'metrics.subscriptions');
      return aggregate(
        sql`select
          count(*) filter (where created_at >= ${from} and created_at < ${to}) as created,
          count(*) filter (where cancelled_at >= ${from} and cancelled_at < ${to}) as cancelled,
          count(*) filter (where status in ('expired', 'cancelled') and ended_at >= ${from} and ended_at < ${to}) as ended,
          count(*) filter (where status = 'expired' and ended_at >= ${from} and ended_at < ${to}) as expired
        from subscriptions where ${mine}`,
        ['created', 'cancelled', 'ended', 'expired'],
      );
    },
    async webhooks(input) {
      const { from, to } = bounds(input, 'metrics.webhooks');
      return aggregate(
        sql`select count(*) as received, coalesce(sum(duplicate_count), 0)::bigint as duplicates,
          count(*) filter (where status = 'failed') as failed
        from webhook_events where received_at >= ${from} and received_at < ${to} and ${mine}`,
        ['received', 'duplicates', 'failed'],
      );
    },
  };
}
