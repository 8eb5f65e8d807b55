import type { WebhookEventRepository } from '../billing-store.js';
import type { WebhookEventRecord } from '../records/webhook-event-record.js';
import { assertMayWrite, isVisible } from '../scope-rules.js';
import { parseStoreInput } from '../validation/parse-store-input.js';
import {
  webhookFailedSchema,
  webhookProcessedSchema,
  webhookRecordInputSchema,
  webhookUnappliedSchema,
} from '../validation/operation-schemas.js';
import { copyOut, type MemoryContext } from './memory-context.js';

/**
 * `WebhookEventRepository` of the memory store.
 *
 * @example
 * const events = createMemoryWebhookEvents(context);
 */
export function createMemoryWebhookEvents({
  tables: { webhookEvents },
  journal,
  workspace,
}: MemoryContext): WebhookEventRepository {
  const visible = (dedupeKey: string): WebhookEventRecord | undefined => {
    const row = webhookEvents.get(dedupeKey);
    return row && isVisible(workspace, row.workspaceId) ? row : undefined;
  };
  const finish = (
    dedupeKey: string,
    workspaceId: string | null,
    changes: Partial<WebhookEventRecord>,
    operation: string,
  ) => {
    assertMayWrite(workspace, workspaceId ?? workspace, operation);
    const row = visible(dedupeKey);
    if (row) webhookEvents.put({ ...row, ...changes, workspaceId: workspaceId ?? row.workspaceId }, journal, operation);
  };

  return {
    async record(input) {
      const { dedupeKey, event, subjectId, payload, now } = parseStoreInput(
        webhookRecordInputSchema,
        input,
        'webhookEvents.record',
      );
      assertMayWrite(workspace, null, 'webhookEvents.record');
      const existing = webhookEvents.get(dedupeKey);
      if (!existing) {
        const record: WebhookEventRecord = {
          dedupeKey,
          event,
          workspaceId: null,
          subjectId,
          payload: payload ?? null,
          status: 'received',
          duplicateCount: 0,
          attempts: 1,
          error: null,
          outcome: null,
          receivedAt: now,
          processedAt: null,
        };
        return {
          firstSeen: true,
          retry: false,
          record: copyOut(webhookEvents.insert(record, journal, 'webhookEvents.record')),
        };
      }
      const retry = existing.status === 'failed' || existing.status === 'unapplied';
      const takeover = retry
        ? { status: 'received' as const, attempts: existing.attempts + 1, error: null, processedAt: null }
        : {};
      const next = { ...existing, duplicateCount: existing.duplicateCount + 1, ...takeover };
      return { firstSeen: false, retry, record: copyOut(webhookEvents.put(next, journal, 'webhookEvents.record')) };
    },
    async markProcessed(dedupeKey, result) {
      const { workspaceId, outcome, now } = parseStoreInput(
        webhookProcessedSchema,
        result,
        'webhookEvents.markProcessed',
      );
      finish(
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
      finish(
        dedupeKey,
        workspaceId,
        { status: 'unapplied', outcome, error: null, processedAt: now },
        'webhookEvents.markUnapplied',
      );
    },
    async markFailed(dedupeKey, result) {
      const { workspaceId, error, now } = parseStoreInput(webhookFailedSchema, result, 'webhookEvents.markFailed');
      finish(dedupeKey, workspaceId, { status: 'failed', error, processedAt: now }, 'webhookEvents.markFailed');
    },
    async get(dedupeKey) {
      const row = visible(dedupeKey);
      return row ? copyOut(row) : null;
    },
  };
}
