import type { OutboxRepository } from '../billing-store.js';
import type { OutboxEventRecord } from '../records.js';
import { assertMayWrite, isVisible } from '../scope-rules.js';
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
import { copyOut, type MemoryContext } from './memory-tables.js';

const bySequence = (a: OutboxEventRecord, b: OutboxEventRecord) => a.sequence - b.sequence;

/**
 * `OutboxRepository` of the memory store. Transactions run one at a time, so a claim needs no row
 * locks: the rule "never past an older pending event of the workspace that this claim does not take"
 * is checked against every row, as the SQL claim checks it.
 *
 * @example
 * const outbox = createMemoryOutbox(context);
 */
export function createMemoryOutbox({ tables, journal, workspace }: MemoryContext): OutboxRepository {
  const { outbox } = tables;
  const visible = () => outbox.rows().filter((row) => isVisible(workspace, row.workspaceId));
  const purgeable = (before: number) =>
    visible().filter((row) => row.status === 'delivered' && row.deliveredAt !== null && row.deliveredAt < before);
  const leaseFree = (row: OutboxEventRecord, now: number) => row.lockedUntil === null || row.lockedUntil <= now;
  return {
    async append(events) {
      const parsed = parseStoreInput(outboxAppendSchema, events, 'outbox.append');
      const written: OutboxEventRecord[] = [];
      for (const event of parsed) {
        assertMayWrite(workspace, event.workspaceId, 'outbox.append');
        const row: OutboxEventRecord = {
          id: event.id,
          workspaceId: event.workspaceId,
          event: event.event,
          payload: event.payload,
          sequence: tables.outboxSequence.next++,
          status: 'pending',
          attempts: 0,
          nextAttemptAt: event.now,
          lastError: null,
          lockedBy: null,
          lockedUntil: null,
          createdAt: event.now,
          deliveredAt: null,
        };
        written.push(copyOut(outbox.insert(row, journal, 'outbox.append')));
      }
      return written;
    },
    async claim(query) {
      const { now, limit, workerId, leaseMs, ids, workspaceIds } = parseStoreInput(
        outboxClaimSchema,
        query,
        'outbox.claim',
      );
      const restricted = ids !== undefined || workspaceIds !== undefined;
      const wantedIds = new Set(ids ?? []);
      const wantedWorkspaces = new Set(workspaceIds ?? []);
      const wanted = (row: OutboxEventRecord) =>
        !restricted || wantedIds.has(row.id) || (row.workspaceId !== null && wantedWorkspaces.has(row.workspaceId));
      const pending = visible()
        .filter((row) => row.status === 'pending')
        .sort(bySequence);
      const ready = (row: OutboxEventRecord) => row.nextAttemptAt <= now && leaseFree(row, now);
      // Events behind an older one that cannot be taken now (not due, or leased) do not use up the limit.
      const candidates = pending
        .filter(
          (row) =>
            ready(row) &&
            wanted(row) &&
            (row.workspaceId === null ||
              !pending.some(
                (older) => older.workspaceId === row.workspaceId && older.sequence < row.sequence && !ready(older),
              )),
        )
        .slice(0, limit);
      const taken = new Set(candidates.map((row) => row.id));
      const claimable = candidates.filter(
        (row) =>
          row.workspaceId === null ||
          !pending.some(
            (older) => older.workspaceId === row.workspaceId && older.sequence < row.sequence && !taken.has(older.id),
          ),
      );
      return claimable.map((row) =>
        copyOut(
          outbox.put(
            { ...row, attempts: row.attempts + 1, lockedBy: workerId, lockedUntil: now + leaseMs },
            journal,
            'outbox.claim',
          ),
        ),
      );
    },
    async finish(input) {
      const { id, workerId, now, outcome } = parseStoreInput(outboxFinishSchema, input, 'outbox.finish');
      const row = outbox.get(id);
      if (!row || !isVisible(workspace, row.workspaceId) || row.status !== 'pending' || row.lockedBy !== workerId)
        return null;
      const ended = outcome.delivered
        ? { status: 'delivered' as const, deliveredAt: now }
        : outcome.retryAt === null
          ? { status: 'dead' as const, lastError: outcome.error }
          : { nextAttemptAt: outcome.retryAt, lastError: outcome.error };
      return copyOut(outbox.put({ ...row, ...ended, lockedBy: null, lockedUntil: null }, journal, 'outbox.finish'));
    },
    async release(id, workerId) {
      const row = outbox.get(id);
      if (!row || !isVisible(workspace, row.workspaceId) || row.status !== 'pending' || row.lockedBy !== workerId)
        return;
      outbox.put(
        { ...row, attempts: Math.max(row.attempts - 1, 0), lockedBy: null, lockedUntil: null },
        journal,
        'outbox.release',
      );
    },
    async renew(query) {
      const { ids, workerId, lockedUntil } = parseStoreInput(outboxRenewSchema, query, 'outbox.renew');
      let renewed = 0;
      for (const id of new Set(ids)) {
        const row = outbox.get(id);
        if (!row || !isVisible(workspace, row.workspaceId) || row.status !== 'pending' || row.lockedBy !== workerId)
          continue;
        outbox.put({ ...row, lockedUntil }, journal, 'outbox.renew');
        renewed += 1;
      }
      return renewed;
    },
    async get(id) {
      const row = outbox.get(id);
      return row && isVisible(workspace, row.workspaceId) ? copyOut(row) : null;
    },
    async listDead(query) {
      const { limit } = parseStoreInput(limitQuerySchema, query, 'outbox.listDead');
      return visible()
        .filter((row) => row.status === 'dead')
        .sort((a, b) => b.sequence - a.sequence)
        .slice(0, limit)
        .map(copyOut);
    },
    async replay(id, now) {
      const at = parseStoreInput(epochMsSchema, now, 'outbox.replay');
      const row = outbox.get(id);
      if (!row || !isVisible(workspace, row.workspaceId) || row.status !== 'dead') return null;
      return copyOut(
        outbox.put(
          { ...row, status: 'pending', attempts: 0, nextAttemptAt: at, lockedBy: null, lockedUntil: null },
          journal,
          'outbox.replay',
        ),
      );
    },
    async countPurgeable(before) {
      return purgeable(before).length;
    },
    async purgeDelivered(before, limit) {
      const batch = purgeable(before)
        .sort((a, b) => a.sequence - b.sequence)
        .slice(0, limit);
      for (const row of batch) outbox.delete(row.id, journal);
      return batch.length;
    },
    async counts(query) {
      const { now } = parseStoreInput(outboxCountsSchema, query, 'outbox.counts');
      const rows = visible();
      const pending = rows.filter((row) => row.status === 'pending');
      return {
        pending: pending.length,
        due: pending.filter((row) => row.nextAttemptAt <= now).length,
        dead: rows.filter((row) => row.status === 'dead').length,
        delivered: rows.filter((row) => row.status === 'delivered').length,
        oldestPendingAt: pending.length === 0 ? null : Math.min(...pending.map((row) => row.createdAt)),
      };
    },
  };
}
