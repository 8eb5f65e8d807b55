import { sql, type RawBuilder } from 'kysely';
import type { AuditEntryInput, AuditLog } from '../billing-store.js';
import type { AuditRecord } from '../records.js';
import { assertMayWrite } from '../scope-rules.js';
import { auditEntrySchema, auditListQuerySchema, parseStoreInput } from '../validation.js';
import type { KyselyContext } from './kysely-context.js';
import { auditColumns, toColumns, toRecord } from './record-columns.js';

/**
 * `AuditLog` over `billing_audit_log`. An entry without `id` gets one from the store's id generator.
 *
 * @example
 * const audit = createKyselyAudit(context);
 */
export function createKyselyAudit(context: KyselyContext): AuditLog {
  const { trx, workspace } = context;
  return {
    async append(input) {
      const record = auditRecordOf(context, parseStoreInput(auditEntrySchema, input, 'audit.append'), 'audit.append');
      const row = await trx
        .insertInto('billing_audit_log')
        .values(toColumns(auditColumns, record))
        .returningAll()
        .executeTakeFirstOrThrow();
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

/**
 * A validated audit entry as the row to write (an id made when it has none); throws
 * `StoreScopeError` for an entry of another workspace than the scope's.
 *
 * @example
 * const record = auditRecordOf(context, entry, 'payments.transition');
 */
export function auditRecordOf(
  { workspace, ids }: KyselyContext,
  entry: AuditEntryInput,
  operation: string,
): AuditRecord {
  const { id, ...rest } = entry;
  assertMayWrite(workspace, rest.workspaceId, operation);
  return { id: id ?? ids('aud'), ...rest };
}

// Column types for INSERT … SELECT, where PostgreSQL does not infer a bound parameter's type from the target column.
const AUDIT_CASTS: Record<string, string> = { data: 'jsonb', created_at: 'timestamptz' };

/**
 * `insert into billing_audit_log … select … from <source>`: the audit row once per row of the CTE
 * `source`, for a data-modifying CTE that writes the change and its audit row in one statement
 * (no row changed, no audit row).
 *
 * @example
 * sql`with moved as (${update}), logged as (${auditInsertFrom('moved', record)}) select * from moved`;
 */
export function auditInsertFrom(source: string, record: AuditRecord): RawBuilder<unknown> {
  const columns = Object.entries(toColumns(auditColumns, record));
  const values = columns.map(([column, value]) =>
    AUDIT_CASTS[column] ? sql`${value}::${sql.raw(AUDIT_CASTS[column])}` : sql`${value}::text`,
  );
  return sql`insert into billing_audit_log (${sql.join(columns.map(([column]) => sql.ref(column)))}) select ${sql.join(values)} from ${sql.table(source)}`;
}
