import { sql } from 'kysely';
import type { OutboxRepository } from '../billing-store.js';
import type { OutboxEventRecord } from '../records.js';
import { assertMayWrite } from '../scope-rules.js';
import {
  epochMsSchema,
  limitQuerySchema,
  outboxAppendSchema,
  outboxClaimSchema,
  outboxCountsSchema,
  outboxFinishSchema,
  outboxRenewSchema,
  parseStoreInput,
} from '../validation.js';
import { type KyselyContext, outboxColumns, toColumns, toEpochMs, toRecord, toSafeInteger } from './kysely-tables.js';

const toEvent = (row: Record<string, unknown>) => toRecord<OutboxEventRecord>(outboxColumns, row);
const bySequence = (a: OutboxEventRecord, b: OutboxEventRecord) => a.sequence - b.sequence;

/**
 * `OutboxRepository` over `billing_outbox` (migrations/007).
 *
 * The claim is one statement. Its first step picks the due, unleased pending events in `sequence`
 * order (leaving out those behind an older event of their workspace that is not due or leased, so that
 * they do not use up the limit) with `FOR UPDATE SKIP LOCKED`, so a concurrent claimer skips what another is taking instead of
 * waiting; a row another claimer leased and committed meanwhile is re-read by READ COMMITTED's re-check
 * and drops out because its lease now holds. Its second step keeps only the events that no older pending
 * event of their workspace precedes unless this claim takes it too: an older event locked by a
 * concurrent claimer was skipped, so it is not "taken here", and its successors wait.
 *
 * @example
 * const outbox = createKyselyOutbox(context);
 */
export function createKyselyOutbox({ trx, workspace }: KyselyContext): OutboxRepository {
  const inScope = sql<boolean>`(${workspace}::text is null or workspace_id = ${workspace})`;
  // Delivered before `before` (retention, see purgeDelivered).
  const purgeable = (before: number) =>
    trx
      .selectFrom('billing_outbox')
      .where('status', '=', 'delivered')
      .where('delivered_at', '<', new Date(before))
      .where(inScope);
  return {
    async append(events) {
      const parsed = parseStoreInput(outboxAppendSchema, events, 'outbox.append');
      if (parsed.length === 0) return [];
      for (const event of parsed) assertMayWrite(workspace, event.workspaceId, 'outbox.append');
      const rows = parsed.map((event) =>
        toColumns(outboxColumns, {
          id: event.id,
          workspaceId: event.workspaceId,
          event: event.event,
          payload: event.payload,
          status: 'pending',
          attempts: 0,
          nextAttemptAt: event.now,
          createdAt: event.now,
        }),
      );
      // One statement; VALUES rows take their identity in the order given.
      const written = await trx.insertInto('billing_outbox').values(rows).returningAll().execute();
      return written.map(toEvent).sort(bySequence);
    },
    async claim(query) {
      const { now, limit, workerId, leaseMs, ids, workspaceIds } = parseStoreInput(
        outboxClaimSchema,
        query,
        'outbox.claim',
      );
      const at = new Date(now);
      const only =
        ids === undefined && workspaceIds === undefined
          ? sql`true`
          : sql`(id = any(${[...(ids ?? [])]}::text[]) or workspace_id = any(${[...(workspaceIds ?? [])]}::text[]))`;
      const result = await sql<Record<string, unknown>>`
        with candidates as (
          select id, workspace_id, "sequence" from billing_outbox
          where status = 'pending' and next_attempt_at <= ${at}
            and (locked_until is null or locked_until <= ${at})
            and ${only} and ${inScope}
            -- Events behind an older one that cannot be taken now (not due, or leased) do not use up the limit.
            and (workspace_id is null or not exists (
              select 1 from billing_outbox blocking
              where blocking.workspace_id = billing_outbox.workspace_id and blocking.status = 'pending'
                and blocking."sequence" < billing_outbox."sequence"
                and (blocking.next_attempt_at > ${at} or blocking.locked_until > ${at})
            ))
          order by "sequence"
          limit ${limit}
          for update skip locked
        ), claimable as (
          select c.id from candidates c
          where c.workspace_id is null or not exists (
            select 1 from billing_outbox older
            where older.workspace_id = c.workspace_id and older.status = 'pending'
              and older."sequence" < c."sequence"
              and older.id not in (select id from candidates)
          )
        )
        update billing_outbox o
        set attempts = o.attempts + 1, locked_by = ${workerId}, locked_until = ${new Date(now + leaseMs)}
        from claimable
        where o.id = claimable.id
        returning o.*`.execute(trx);
      return result.rows.map(toEvent).sort(bySequence);
    },
    async finish(input) {
      const { id, workerId, now, outcome } = parseStoreInput(outboxFinishSchema, input, 'outbox.finish');
      const ended: Partial<OutboxEventRecord> = outcome.delivered
        ? { status: 'delivered', deliveredAt: now }
        : outcome.retryAt === null
          ? { status: 'dead', lastError: outcome.error }
          : { nextAttemptAt: outcome.retryAt, lastError: outcome.error };
      const row = await trx
        .updateTable('billing_outbox')
        .set({ ...toColumns(outboxColumns, ended), locked_by: null, locked_until: null })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .where('locked_by', '=', workerId)
        .where(inScope)
        .returningAll()
        .executeTakeFirst();
      return row ? toEvent(row) : null;
    },
    async release(id, workerId) {
      await trx
        .updateTable('billing_outbox')
        .set({ attempts: sql`greatest(attempts - 1, 0)`, locked_by: null, locked_until: null })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .where('locked_by', '=', workerId)
        .where(inScope)
        .execute();
    },
    async renew(query) {
      const { ids, workerId, lockedUntil } = parseStoreInput(outboxRenewSchema, query, 'outbox.renew');
      if (ids.length === 0) return 0;
      const result = await trx
        .updateTable('billing_outbox')
        .set({ locked_until: new Date(lockedUntil) })
        .where('id', 'in', [...ids])
        .where('status', '=', 'pending')
        .where('locked_by', '=', workerId)
        .where(inScope)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
    async get(id) {
      const row = await trx
        .selectFrom('billing_outbox')
        .selectAll()
        .where('id', '=', id)
        .where(inScope)
        .executeTakeFirst();
      return row ? toEvent(row) : null;
    },
    async listDead(query) {
      const { limit } = parseStoreInput(limitQuerySchema, query, 'outbox.listDead');
      const rows = await trx
        .selectFrom('billing_outbox')
        .selectAll()
        .where('status', '=', 'dead')
        .where(inScope)
        .orderBy('sequence', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toEvent);
    },
    async replay(id, now) {
      const at = parseStoreInput(epochMsSchema, now, 'outbox.replay');
      const row = await trx
        .updateTable('billing_outbox')
        .set({ status: 'pending', attempts: 0, next_attempt_at: new Date(at), locked_by: null, locked_until: null })
        .where('id', '=', id)
        .where('status', '=', 'dead')
        .where(inScope)
        .returningAll()
        .executeTakeFirst();
      return row ? toEvent(row) : null;
    },
    async countPurgeable(before) {
      const row = await purgeable(before)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    async purgeDelivered(before, limit) {
      const batch = purgeable(before).select('id').orderBy('sequence').limit(limit);
      const result = await trx.deleteFrom('billing_outbox').where('id', 'in', batch).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async counts(query) {
      const { now } = parseStoreInput(outboxCountsSchema, query, 'outbox.counts');
      const { rows } = await sql<Record<string, unknown>>`
        select count(*) filter (where status = 'pending') as pending,
               count(*) filter (where status = 'pending' and next_attempt_at <= ${new Date(now)}) as due,
               count(*) filter (where status = 'dead') as dead,
               count(*) filter (where status = 'delivered') as delivered,
               min(created_at) filter (where status = 'pending') as oldest
        from billing_outbox where ${inScope}`.execute(trx);
      const row = rows[0] ?? {};
      return {
        pending: toSafeInteger(row.pending ?? 0),
        due: toSafeInteger(row.due ?? 0),
        dead: toSafeInteger(row.dead ?? 0),
        delivered: toSafeInteger(row.delivered ?? 0),
        oldestPendingAt: row.oldest === null || row.oldest === undefined ? null : toEpochMs(row.oldest),
      };
    },
  };
}
