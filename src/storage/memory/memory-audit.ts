import type { AuditEntryInput, AuditLog } from '../billing-store.js';
import type { AuditRecord } from '../records/audit-record.js';
import { assertMayWrite, isVisible } from '../scope-rules.js';
import { parseStoreInput } from '../validation/parse-store-input.js';
import { auditListQuerySchema } from '../validation/operation-schemas.js';
import { auditEntrySchema } from '../validation/record-schemas.js';
import { copyOut, type MemoryContext } from './memory-context.js';
import { newestFirst } from './memory-ordering.js';

/**
 * `AuditLog` of the memory store. An entry without `id` gets one from the store's id generator.
 *
 * @example
 * const audit = createMemoryAudit(context);
 */
export function createMemoryAudit(context: MemoryContext): AuditLog {
  const {
    tables: { audit },
    workspace,
  } = context;
  return {
    async append(input) {
      return copyOut(appendAudit(context, parseStoreInput(auditEntrySchema, input, 'audit.append'), 'audit.append'));
    },
    async listByWorkspace(workspaceId, query) {
      const { limit, before } = parseStoreInput(auditListQuerySchema, query, 'audit.listByWorkspace');
      if (!isVisible(workspace, workspaceId)) return [];
      return audit
        .rows()
        .filter((row) => row.workspaceId === workspaceId && (before === undefined || row.createdAt < before))
        .sort(newestFirst)
        .slice(0, limit)
        .map(copyOut);
    },
  };
}

/**
 * Appends an already-validated audit entry (for `append` and for the writes that take an `audit`
 * option); throws `StoreScopeError` for an entry of another workspace.
 *
 * @example
 * appendAudit(context, entry, 'payments.transition');
 */
export function appendAudit(
  { tables: { audit }, journal, workspace, ids }: MemoryContext,
  entry: AuditEntryInput,
  operation: string,
): AuditRecord {
  const { id, ...rest } = entry;
  assertMayWrite(workspace, rest.workspaceId, operation);
  return audit.insert({ id: id ?? ids('aud'), ...rest }, journal, operation);
}
