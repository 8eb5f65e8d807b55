import type { z } from 'zod';
import { assertMayWrite, isVisible } from '../scope-rules.js';
import { parsePatch, parseStoreInput } from '../validation/parse-store-input.js';
import { epochMsSchema } from '../validation/record-schemas.js';
import type { AuditEntryInput } from '../billing-store.js';
import { appendAudit } from './memory-audit.js';
import { copyOut, type MemoryContext } from './memory-context.js';
import { leastRecentlyChecked } from './memory-ordering.js';
import type { MemoryTable } from './memory-table.js';

/** A row with a state machine, checked by reconciliation: payments and refunds. */
interface StatefulRow<S extends string> {
  id: string;
  workspaceId: string;
  state: S;
  createdAt: number;
  updatedAt: number;
  lastCheckedAt: number | null;
}

interface Spec {
  /** Operation prefix for messages: `payments` or `refunds`. */
  label: string;
  transitionSchema: z.ZodType;
  patchSchema: z.ZodType;
  staleQuerySchema: z.ZodType;
}

/**
 * `transition` (compare-and-set on `state`), `update` and `listStale` for a memory table of stateful rows,
 * shared by the payments and refunds repositories. Transactions run one at a time, so checking `from`
 * and writing cannot be interleaved.
 *
 * @example
 * const { transition, update, listStale } = memoryStatefulRows(refunds, context, { label: 'refunds', … });
 */
export function memoryStatefulRows<S extends string, R extends StatefulRow<S>>(
  table: MemoryTable<R>,
  context: MemoryContext,
  spec: Spec,
) {
  const { journal, workspace } = context;
  const visible = (id: string): R | undefined => {
    const row = table.get(id);
    return row && isVisible(workspace, row.workspaceId) ? row : undefined;
  };
  return {
    async transition(id: string, change: unknown): Promise<R | null> {
      const operation = `${spec.label}.transition`;
      const { from, to, patch, now, audit } = parseStoreInput(spec.transitionSchema, change, operation) as {
        from: readonly S[];
        to: S;
        patch?: unknown;
        now: number;
        audit?: AuditEntryInput;
      };
      const fields = parsePatch(spec.patchSchema, patch ?? {}, operation) as Partial<R>;
      const row = visible(id);
      if (audit) assertMayWrite(workspace, audit.workspaceId, operation);
      if (!row || !from.includes(row.state)) return null;
      const moved = table.put({ ...row, ...fields, state: to, updatedAt: now }, journal, operation);
      if (audit) appendAudit(context, audit, operation);
      return copyOut(moved);
    },
    async update(id: string, patch: unknown, now: number): Promise<R | null> {
      const operation = `${spec.label}.update`;
      const fields = parsePatch(spec.patchSchema, patch, operation) as Partial<R>;
      const at = parseStoreInput(epochMsSchema, now, operation);
      const row = visible(id);
      return row ? copyOut(table.put({ ...row, ...fields, updatedAt: at }, journal, operation)) : null;
    },
    async listStale(query: unknown): Promise<R[]> {
      const { states, olderThan, limit } = parseStoreInput(spec.staleQuerySchema, query, `${spec.label}.listStale`) as {
        states: readonly S[];
        olderThan: number;
        limit: number;
      };
      return table
        .rows()
        .filter(
          (row) => isVisible(workspace, row.workspaceId) && states.includes(row.state) && row.createdAt <= olderThan,
        )
        .sort(leastRecentlyChecked)
        .slice(0, limit)
        .map(copyOut);
    },
  };
}
