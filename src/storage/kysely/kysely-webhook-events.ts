import { sql } from 'kysely';
import type { WebhookEventRepository } from '../billing-store.js';
import type { WebhookEventRecord } from '../records.js';
import { assertMayWrite } from '../scope-rules.js';
import {
  parseStoreInput,
  webhookFailedSchema,
  webhookProcessedSchema,
  webhookRecordInputSchema,
  webhookUnappliedSchema,
} from '../validation.js';
import { type KyselyContext, toColumns, toRecord, webhookEventColumns } from './kysely-tables.js';

/**
 * `WebhookEventRepository` over `webhook_events`.
 *
 * `record` is one `INSERT … ON CONFLICT (dedupe_key) DO UPDATE … RETURNING (xmax = 0)`: the row
 * that a statement inserted has no deleting/locking transaction (xmax 0), an updated one has ours,
 * so exactly one of N concurrent callers sees `inserted`. The upsert also locks the row until
 * commit, which makes the `failed|unapplied -> received` takeover that follows it a plain conditional
 * UPDATE that only one caller can win.
 *
 * @example
 * const events = createKyselyWebhookEvents(context);
 */
export function createKyselyWebhookEvents({ trx, workspace }: KyselyContext): WebhookEventRepository {
  const toEvent = (row: Record<string, unknown>) => toRecord<WebhookEventRecord>(webhookEventColumns, row);
  // Finished events received before `before` that still hold a payload (retention, see purgePayloads).
  const purgeable = (before: number) =>
    trx
      .selectFrom('webhook_events')
      .where('received_at', '<', new Date(before))
      .where('status', '<>', 'received')
      .where(sql<boolean>`payload <> 'null'::jsonb`)
      .$if(workspace !== null, (qb) => qb.where('workspace_id', '=', workspace));
  const finish = async (
    dedupeKey: string,
    workspaceId: string | null,
    changes: Partial<WebhookEventRecord>,
    operation: string,
  ) => {
    assertMayWrite(workspace, workspaceId ?? workspace, operation);
    await trx
      .updateTable('webhook_events')
      .set({ ...toColumns(webhookEventColumns, changes), workspace_id: sql`coalesce(${workspaceId}, workspace_id)` })
      .where('dedupe_key', '=', dedupeKey)
      .$if(workspace !== null, (qb) => qb.where('workspace_id', '=', workspace))
      .execute();
  };

  return {
    async record(input) {
      const { dedupeKey, event, subjectId, gateway, payload, now } = parseStoreInput(
        webhookRecordInputSchema,
        input,
        'webhookEvents.record',
      );
      assertMayWrite(workspace, null, 'webhookEvents.record');
      const columns = toColumns(webhookEventColumns, {
        dedupeKey,
        event,
        subjectId,
        gateway: gateway ?? 'phonepe',
        payload: payload ?? null,
        status: 'received',
        duplicateCount: 0,
        attempts: 1,
        receivedAt: now,
      });
      const recorded = await trx
        .insertInto('webhook_events')
        .values(columns)
        .onConflict((oc) =>
          oc.column('dedupe_key').doUpdateSet({ duplicate_count: sql`webhook_events.duplicate_count + 1` }),
        )
        .returningAll()
        .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
        .executeTakeFirstOrThrow();
      if (recorded.inserted) return { firstSeen: true, retry: false, record: toEvent(recorded) };
      if (recorded.status !== 'failed' && recorded.status !== 'unapplied')
        return { firstSeen: false, retry: false, record: toEvent(recorded) };
      const takenOver = await trx
        .updateTable('webhook_events')
        .set({ status: 'received', attempts: sql`attempts + 1`, error: null, processed_at: null })
        .where('dedupe_key', '=', dedupeKey)
        .where('status', 'in', ['failed', 'unapplied'])
        .returningAll()
        .executeTakeFirst();
      return { firstSeen: false, retry: takenOver !== undefined, record: toEvent(takenOver ?? recorded) };
    },
    async markProcessed(dedupeKey, result) {
      const { workspaceId, outcome, now } = parseStoreInput(
        webhookProcessedSchema,
        result,
        'webhookEvents.markProcessed',
      );
      await finish(
        dedupeKey,
        workspaceId,
        { status: 'processed', outcome, error: null, processedAt: now },
        'webhookEvents.markProcessed',
      );
    },
    async markUnapplied(dedupeKey, result) {
      const { workspaceId, outcome, now } = parseStoreInput(
        webhookUnappliedSchema,
        result,
        'webhookEvents.markUnapplied',
      );
      await finish(
        dedupeKey,
        workspaceId,
        { status: 'unapplied', outcome, error: null, processedAt: now },
        'webhookEvents.markUnapplied',
      );
    },
    async markFailed(dedupeKey, result) {
      const { workspaceId, error, now } = parseStoreInput(webhookFailedSchema, result, 'webhookEvents.markFailed');
      await finish(dedupeKey, workspaceId, { status: 'failed', error, processedAt: now }, 'webhookEvents.markFailed');
    },
    async countPurgeablePayloads(before) {
      const row = await purgeable(before)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    async purgePayloads(before, limit) {
      assertMayWrite(workspace, workspace, 'webhookEvents.purgePayloads');
      const batch = purgeable(before).select('dedupe_key').orderBy('received_at').limit(limit);
      const result = await trx
        .updateTable('webhook_events')
        .set({ payload: sql`'null'::jsonb` })
        .where('dedupe_key', 'in', batch)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
    async get(dedupeKey) {
      const row = await trx
        .selectFrom('webhook_events')
        .selectAll()
        .where('dedupe_key', '=', dedupeKey)
        .$if(workspace !== null, (qb) => qb.where('workspace_id', '=', workspace))
        .executeTakeFirst();
      return row ? toEvent(row) : null;
    },
  };
}
