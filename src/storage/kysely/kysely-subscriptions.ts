import { sql, type Compilable } from 'kysely';
import type { SubscriptionRepository } from '../billing-store.js';
import { conflictMessage, StoreConflictError } from '../errors.js';
import { type AuditRecord, LIVE_SUBSCRIPTION_STATUSES, type SubscriptionRecord } from '../records.js';
import { assertMayWrite } from '../scope-rules.js';
import {
  auditOptionSchema,
  dueQuerySchema,
  epochMsSchema,
  parsePatch,
  parseStoreInput,
  subscriptionPatchSchema,
  subscriptionRecordSchema,
  versionSchema,
} from '../validation.js';
import { auditInsertFrom, auditRecordOf } from './kysely-audit.js';
import type { KyselyContext } from './kysely-context.js';
import { subscriptionColumns, toColumns, toRecord } from './record-columns.js';

const byIdC = sql`id collate "C"`;
const LIVE = [...LIVE_SUBSCRIPTION_STATUSES];

/**
 * `SubscriptionRepository` over `subscriptions`. `update` is `UPDATE … WHERE version = expected`:
 * a concurrent second writer waits for the first's row lock, then finds the version moved on.
 *
 * @example
 * const subscriptions = createKyselySubscriptions(context);
 */
export function createKyselySubscriptions(context: KyselyContext): SubscriptionRepository {
  const { trx, workspace } = context;
  const auditOf = (options: unknown, operation: string) => {
    const { audit } = parseStoreInput(auditOptionSchema, options ?? {}, operation);
    return audit ? auditRecordOf(context, audit, operation) : null;
  };
  /** Runs a write `returning *`, with its audit row in the same statement when there is one. */
  const write = async (
    query: Compilable & { executeTakeFirst(): Promise<Record<string, unknown> | undefined> },
    audit: AuditRecord | null,
  ) => {
    if (!audit) return query.executeTakeFirst();
    const { rows } = await sql<
      Record<string, unknown>
    >`with written as (${query}), logged as (${auditInsertFrom('written', audit)}) select * from written`.execute(trx);
    return rows[0];
  };
  const select = () =>
    trx
      .selectFrom('subscriptions')
      .selectAll()
      .$if(workspace !== null, (qb) => qb.where('workspace_id', '=', workspace));
  const one = (row: Record<string, unknown> | undefined) =>
    row ? toRecord<SubscriptionRecord>(subscriptionColumns, row) : null;

  return {
    async getLive(workspaceId) {
      return one(await select().where('workspace_id', '=', workspaceId).where('status', 'in', LIVE).executeTakeFirst());
    },
    async getLatest(workspaceId) {
      return one(
        await select()
          .where('workspace_id', '=', workspaceId)
          .orderBy('created_at', 'desc')
          .orderBy(byIdC, 'desc')
          .limit(1)
          .executeTakeFirst(),
      );
    },
    async getById(id) {
      return one(await select().where('id', '=', id).executeTakeFirst());
    },
    async getByMerchantSubscriptionId(merchantSubscriptionId) {
      return one(await select().where('merchant_subscription_id', '=', merchantSubscriptionId).executeTakeFirst());
    },
    async insert(input, options) {
      const subscription = parseStoreInput(subscriptionRecordSchema, input, 'subscriptions.insert');
      assertMayWrite(workspace, subscription.workspaceId, 'subscriptions.insert');
      const audit = auditOf(options, 'subscriptions.insert');
      const row = await write(
        trx.insertInto('subscriptions').values(toColumns(subscriptionColumns, subscription)).returningAll(),
        audit,
      );
      if (!row) throw new Error('subscriptions.insert: PostgreSQL returned no row for the inserted subscription.');
      return toRecord<SubscriptionRecord>(subscriptionColumns, row);
    },
    async update(id, expectedVersion, patch, now, options) {
      const fields = parsePatch(subscriptionPatchSchema, patch, 'subscriptions.update');
      const at = parseStoreInput(epochMsSchema, now, 'subscriptions.update');
      parseStoreInput(versionSchema, expectedVersion, 'subscriptions.update');
      const audit = auditOf(options, 'subscriptions.update');
      const query = trx
        .updateTable('subscriptions')
        .set({ ...toColumns(subscriptionColumns, { ...fields, updatedAt: at }), version: sql`version + 1` })
        .where('id', '=', id)
        .where('version', '=', expectedVersion)
        .$if(workspace !== null, (qb) => qb.where('workspace_id', '=', workspace))
        .returningAll();
      const row = await write(query, audit);
      if (!row)
        throw new StoreConflictError(
          'subscription_version',
          conflictMessage('subscriptions.update', 'subscription_version', id),
        );
      return toRecord<SubscriptionRecord>(subscriptionColumns, row);
    },
    async listDue(query) {
      const { now, limit } = parseStoreInput(dueQuerySchema, query, 'subscriptions.listDue');
      const rows = await select()
        .where('status', 'in', LIVE)
        .where('next_action_at', '<=', new Date(now))
        .orderBy('next_action_at')
        .orderBy(byIdC)
        .limit(limit)
        .execute();
      return rows.map((row) => toRecord<SubscriptionRecord>(subscriptionColumns, row));
    },
  };
}
