import type { AuditLog } from '../billing-store.js';
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
export function createMemoryAudit({ tables: { audit }, journal, workspace, ids }: MemoryContext): AuditLog {
  return {
    async append(input) {
      const { id, ...entry } = parseStoreInput(auditEntrySchema, input, 'audit.append');
      assertMayWrite(workspace, entry.workspaceId, 'audit.append');
      return copyOut(audit.insert({ id: id ?? ids('aud'), ...entry }, journal, 'audit.append'));
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
