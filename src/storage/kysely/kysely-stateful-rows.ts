import { sql } from 'kysely';
import type { AuditEntryInput } from '../billing-store.js';
import { auditInsertFrom, auditRecordOf } from './kysely-audit.js';
import type { z } from 'zod';
import { epochMsSchema, parsePatch, parseStoreInput } from '../validation.js';
import type { KyselyContext } from './kysely-context.js';
import { toColumns, toRecord, type ColumnMap } from './record-columns.js';

interface Spec<R> {
  table: 'payment_transactions' | 'payment_refunds';
  columns: ColumnMap<R>;
  /** Operation prefix for messages: `payments` or `refunds`. */
  label: string;
  transitionSchema: z.ZodType;
  patchSchema: z.ZodType;
  staleQuerySchema: z.ZodType;
}

/**
 * `transition`, `update` and `listStale` for a table of stateful rows (payments, refunds), shared by both
 * repositories. `transition` is one conditional UPDATE, so of concurrent callers only the first to lock
 * the row still finds it in a `from` state.
 *
 * @example
 * const { transition, update, listStale } = kyselyStatefulRows(context, { table: 'payment_refunds', … });
 */
export function kyselyStatefulRows<R>(context: KyselyContext, spec: Spec<R>) {
  const { trx, workspace } = context;
  const update = () =>
    trx.updateTable(spec.table).$if(workspace !== null, (qb) => qb.where('workspace_id', '=', workspace));
  const one = (row: Record<string, unknown> | undefined): R | null => (row ? toRecord<R>(spec.columns, row) : null);
  return {
    async transition(id: string, change: unknown): Promise<R | null> {
      const operation = `${spec.label}.transition`;
      const { from, to, patch, now, audit } = parseStoreInput(spec.transitionSchema, change, operation) as {
        from: readonly string[];
        to: string;
        patch?: unknown;
        now: number;
        audit?: AuditEntryInput;
      };
      const fields = parsePatch(spec.patchSchema, patch ?? {}, operation) as Partial<R>;
      const record = audit ? auditRecordOf(context, audit, operation) : null;
      if (from.length === 0) return null;
      const columns = toColumns(spec.columns, { ...fields, state: to, updatedAt: now } as Partial<R>);
      const moved = update()
        .set(columns)
        .where('id', '=', id)
        .where('state', 'in', [...from])
        .returningAll();
      if (!record) return one(await moved.executeTakeFirst());
      // The audit row only when the row moved, in the same statement.
      const { rows } = await sql<
        Record<string, unknown>
      >`with moved as (${moved}), logged as (${auditInsertFrom('moved', record)}) select * from moved`.execute(trx);
      return one(rows[0]);
    },
    async update(id: string, patch: unknown, now: number): Promise<R | null> {
      const operation = `${spec.label}.update`;
      const fields = parsePatch(spec.patchSchema, patch, operation) as Partial<R>;
      const at = parseStoreInput(epochMsSchema, now, operation);
      const columns = toColumns(spec.columns, { ...fields, updatedAt: at } as Partial<R>);
      return one(await update().set(columns).where('id', '=', id).returningAll().executeTakeFirst());
    },
    async listStale(query: unknown): Promise<R[]> {
      const { states, olderThan, limit } = parseStoreInput(spec.staleQuerySchema, query, `${spec.label}.listStale`) as {
        states: readonly string[];
        olderThan: number;
        limit: number;
      };
      if (states.length === 0) return [];
      const rows = await trx
        .selectFrom(spec.table)
        .selectAll()
        .$if(workspace !== null, (qb) => qb.where('workspace_id', '=', workspace))
        .where('state', 'in', [...states])
        .where('created_at', '<=', new Date(olderThan))
        .orderBy(sql`last_checked_at asc nulls first`)
        .orderBy('created_at')
        .orderBy(sql`id collate "C"`)
        .limit(limit)
        .execute();
      return rows.map((row) => toRecord<R>(spec.columns, row));
    },
  };
}
