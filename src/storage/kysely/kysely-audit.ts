import { sql } from 'kysely';
import type { AuditLog } from '../billing-store.js';
import type { AuditRecord } from '../records/audit-record.js';
import { assertMayWrite } from '../scope-rules.js';
import { parseStoreInput } from '../validation/parse-store-input.js';
import { auditListQuerySchema } from '../validation/operation-schemas.js';
import { auditEntrySchema } from '../validation/record-schemas.js';
import type { KyselyContext } from './kysely-context.js';
import { auditColumns, toColumns, toRecord } from './record-columns.js';

/**
 * `AuditLog` over `billing_audit_log`. An entry without `id` gets one from the store's id generator.
 *
 * @example
 * const audit = createKyselyAudit(context);
 */
export function createKyselyAudit({ trx, workspace, ids }: KyselyContext): AuditLog {
  return {
    async append(input) {
      const { id, ...entry } = parseStoreInput(auditEntrySchema, input, 'audit.append');
      assertMayWrite(workspace, entry.workspaceId, 'audit.append');
      const record: AuditRecord = { id: id ?? ids('aud'), ...entry };
      const row = await trx.insertInto('billing_audit_log').values(toColumns(auditColumns, record)).returningAll().executeTakeFirstOrThrow();
      return toRecord<AuditRecord>(auditColumns, row);
    },
    async listByWorkspace(workspaceId, query) {
      const { limit, before } = parseStoreInput(auditListQuerySchema, query, 'audit.listByWorkspace');
      const rows = await trx
        .selectFrom('billing_audit_log')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .$if(workspace !== null, (qb) => qb.where('workspace_id', '=', workspace))
        .$if(before !== undefined, (qb) => qb.where('created_at', '<', new Date(before ?? 0)))
        .orderBy('created_at', 'desc')
        .orderBy(sql`id collate "C"`, 'desc')
        .limit(limit)
        .execute();
      return rows.map((row) => toRecord<AuditRecord>(auditColumns, row));
    },
  };
}
