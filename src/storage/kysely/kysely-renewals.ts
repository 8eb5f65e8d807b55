import { sql } from 'kysely';
import type { RenewalClaims } from '../billing-store.js';
import { LIVE_SUBSCRIPTION_STATUSES, type SubscriptionRecord } from '../records/subscription-record.js';
import { parseStoreInput } from '../validation/parse-store-input.js';
import { claimQuerySchema } from '../validation/operation-schemas.js';
import type { KyselyContext } from './kysely-context.js';
import { subscriptionColumns, toRecord } from './record-columns.js';

/**
 * `RenewalClaims` over `subscriptions.claimed_by / claim_expires_at`.
 *
 * `claimDue` locks up to `limit` due, unclaimed rows with `FOR UPDATE SKIP LOCKED` (rows another
 * worker is claiming right now are skipped, not waited for) and stamps them in the same statement.
 * A row claimed and committed by another worker after this statement's snapshot is re-checked when
 * locked (PostgreSQL re-evaluates the WHERE on the newest version), so it is not claimed twice.
 *
 * @example
 * const renewals = createKyselyRenewals(context);
 */
export function createKyselyRenewals({ trx, workspace }: KyselyContext): RenewalClaims {
  return {
    async claimDue(query) {
      const { now, limit, workerId, leaseMs } = parseStoreInput(claimQuerySchema, query, 'renewals.claimDue');
      const at = new Date(now);
      const result = await sql<Record<string, unknown>>`
        with due as (
          select id from subscriptions
          where status in (${sql.join([...LIVE_SUBSCRIPTION_STATUSES])})
            and next_action_at <= ${at}
            and (claimed_by is null or claim_expires_at is null or claim_expires_at <= ${at})
            and (${workspace}::text is null or workspace_id = ${workspace})
          order by next_action_at, id collate "C"
          limit ${limit}
          for update skip locked
        )
        update subscriptions s
        set claimed_by = ${workerId}, claim_expires_at = ${new Date(now + leaseMs)}
        from due
        where s.id = due.id
        returning s.*`.execute(trx);
      return result.rows
        .map((row) => toRecord<SubscriptionRecord>(subscriptionColumns, row))
        .sort((a, b) => (a.nextActionAt ?? 0) - (b.nextActionAt ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },
    async release(subscriptionId, workerId) {
      await trx
        .updateTable('subscriptions')
        .set({ claimed_by: null, claim_expires_at: null })
        .where('id', '=', subscriptionId)
        .where('claimed_by', '=', workerId)
        .$if(workspace !== null, (qb) => qb.where('workspace_id', '=', workspace))
        .execute();
    },
  };
}
