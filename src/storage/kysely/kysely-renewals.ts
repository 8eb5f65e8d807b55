import { sql } from 'kysely';
import type { RenewalClaims } from '../billing-store.js';
import { LIVE_SUBSCRIPTION_STATUSES, type SubscriptionRecord } from '../records.js';
import { claimQuerySchema, parseStoreInput, renewalFinishSchema } from '../validation.js';
import { toEpochMs } from './column-codec.js';
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
    async finish(input) {
      const { subscriptionId, workerId, nextActionAt, claimedAt, now } = parseStoreInput(
        renewalFinishSchema,
        input,
        'renewals.finish',
      );
      const given = nextActionAt === null ? null : new Date(nextActionAt);
      // Column references in SET read the row as it was, so the new time is worked out from the old one.
      const next = sql`case when status in (${sql.join([...LIVE_SUBSCRIPTION_STATUSES])}) and ${given}::timestamptz is not null
          then case when next_action_at is not null and next_action_at is distinct from ${claimedAt === null ? null : new Date(claimedAt)}::timestamptz
                    then least(${given}::timestamptz, next_action_at) else ${given}::timestamptz end
          else next_action_at end`;
      const row = await trx
        .updateTable('subscriptions')
        .set({
          next_action_at: next,
          version: sql`version + case when (${next}) is distinct from next_action_at then 1 else 0 end`,
          updated_at: sql`case when (${next}) is distinct from next_action_at then ${new Date(now)}::timestamptz else updated_at end`,
          claimed_by: sql`case when claimed_by = ${workerId} then null else claimed_by end`,
          claim_expires_at: sql`case when claimed_by = ${workerId} then null else claim_expires_at end`,
        })
        .where('id', '=', subscriptionId)
        .$if(workspace !== null, (qb) => qb.where('workspace_id', '=', workspace))
        .returning('next_action_at')
        .executeTakeFirst();
      return row?.next_action_at === null || row?.next_action_at === undefined ? null : toEpochMs(row.next_action_at);
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
