import type { z } from 'zod';
import type {
  AuditEntryInput,
  AuditLog,
  MetricsQueries,
  PaymentRepository,
  PlanRepository,
  RefundRepository,
  RenewalClaims,
  SubscriptionRepository,
  UsageMeterRequest,
  UsageMeterResult,
  UsageRepository,
  WebhookEventRepository,
} from '../billing-store.js';
import { conflictMessage, StoreConflictError } from '../errors.js';
import {
  type AuditRecord,
  isLive,
  type PaymentRecord,
  type PaymentState,
  type RefundRecord,
  type RefundRecordState,
  SUBSCRIPTION_STATUSES,
  type SubscriptionRecord,
  type SubscriptionRecordStatus,
  type WebhookEventRecord,
} from '../records.js';
import { assertMayWrite, isVisible } from '../scope-rules.js';
import {
  auditEntrySchema,
  auditListQuerySchema,
  auditOptionSchema,
  claimQuerySchema,
  dueQuerySchema,
  epochMsSchema,
  limitQuerySchema,
  parsePatch,
  parseStoreInput,
  paymentPatchSchema,
  paymentRecordSchema,
  paymentsBySubscriptionQuerySchema,
  paymentStaleQuerySchema,
  paymentTransitionSchema,
  planRecordSchema,
  rangeSchema,
  refundPatchSchema,
  refundRecordSchema,
  refundStaleQuerySchema,
  refundTransitionSchema,
  renewalFinishSchema,
  subscriptionPatchSchema,
  subscriptionRecordSchema,
  usageIncrementSchema,
  versionSchema,
  webhookFailedSchema,
  webhookProcessedSchema,
  webhookRecordInputSchema,
  webhookUnappliedSchema,
} from '../validation.js';
import {
  compareText,
  copyOut,
  leastRecentlyChecked,
  type MemoryContext,
  type MemoryTable,
  newestFirst,
  oldestFirst,
  soonestDue,
  usageCounterKey,
  usageKeyKey,
} from './memory-tables.js';

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

/**
 * `PlanRepository` of the memory store: readable under every scope, written under the system scope.
 *
 * @example
 * const plans = createMemoryPlans(context);
 */
export function createMemoryPlans({ tables: { plans }, journal, workspace }: MemoryContext): PlanRepository {
  return {
    async upsert(input) {
      const plan = parseStoreInput(planRecordSchema, input, 'plans.upsert');
      assertMayWrite(workspace, null, 'plans.upsert');
      const createdAt = plans.get(plan.id)?.createdAt ?? plan.createdAt;
      return copyOut(plans.put({ ...plan, createdAt }, journal, 'plans.upsert'));
    },
    async get(id) {
      const row = plans.get(id);
      return row ? copyOut(row) : null;
    },
    async listActive() {
      return plans
        .rows()
        .filter((row) => row.active)
        .sort((a, b) => a.sortOrder - b.sortOrder || a.pricePaise - b.pricePaise || compareText(a.id, b.id))
        .map(copyOut);
    },
  };
}

/**
 * `PaymentRepository` of the memory store. Transactions run one at a time, so a read already
 * holds the row for the rest of the transaction (that is `getForUpdate`).
 *
 * @example
 * const payments = createMemoryPayments(context);
 */
export function createMemoryPayments(context: MemoryContext): PaymentRepository {
  const {
    tables: { payments },
    journal,
    workspace,
  } = context;
  const visible = (row: PaymentRecord | undefined): PaymentRecord | undefined =>
    row && isVisible(workspace, row.workspaceId) ? row : undefined;
  const found = (row: PaymentRecord | undefined): PaymentRecord | null => {
    const shown = visible(row);
    return shown ? copyOut(shown) : null;
  };
  const list = (filter: (row: PaymentRecord) => boolean, limit: number) =>
    payments
      .rows()
      .filter((row) => visible(row) && filter(row))
      .sort(newestFirst)
      .slice(0, limit)
      .map(copyOut);

  const stateful = memoryStatefulRows<PaymentState, PaymentRecord>(payments, context, {
    label: 'payments',
    transitionSchema: paymentTransitionSchema,
    patchSchema: paymentPatchSchema,
    staleQuerySchema: paymentStaleQuerySchema,
  });

  return {
    transition: stateful.transition,
    update: stateful.update,
    listStale: stateful.listStale,
    async insert(input, options) {
      const payment = parseStoreInput(paymentRecordSchema, input, 'payments.insert');
      assertMayWrite(workspace, payment.workspaceId, 'payments.insert');
      const { audit } = parseStoreInput(auditOptionSchema, options ?? {}, 'payments.insert');
      if (audit) assertMayWrite(workspace, audit.workspaceId, 'payments.insert');
      const inserted = payments.insert(payment, journal, 'payments.insert');
      if (audit) appendAudit(context, audit, 'payments.insert');
      return copyOut(inserted);
    },
    async getById(id) {
      return found(payments.get(id));
    },
    async getByMerchantOrderId(merchantOrderId) {
      return found(payments.findUnique('payment_merchant_order_id', merchantOrderId));
    },
    async getByGatewayOrderId(gateway, gatewayOrderId) {
      const rows = payments
        .rows()
        .filter(
          (row) =>
            row.gateway === gateway && row.phonepeOrderId === gatewayOrderId && isVisible(workspace, row.workspaceId),
        );
      return found(rows.sort((a, b) => b.createdAt - a.createdAt)[0]);
    },
    async getByIdempotencyKey(workspaceId, idempotencyKey) {
      return found(payments.findUnique('payment_idempotency_key', JSON.stringify([workspaceId, idempotencyKey])));
    },
    async getForUpdate(id) {
      return found(payments.get(id));
    },
    async getForUpdateByMerchantOrderId(merchantOrderId) {
      return found(payments.findUnique('payment_merchant_order_id', merchantOrderId));
    },
    async listByWorkspace(workspaceId, query) {
      const { limit } = parseStoreInput(limitQuerySchema, query, 'payments.listByWorkspace');
      return list((row) => row.workspaceId === workspaceId, limit);
    },
    async listBySubscription(subscriptionId, query) {
      const { states, limit } = parseStoreInput(
        paymentsBySubscriptionQuerySchema,
        query,
        'payments.listBySubscription',
      );
      return list((row) => row.subscriptionId === subscriptionId && (!states || states.includes(row.state)), limit);
    },
  };
}

/**
 * `RefundRepository` of the memory store.
 *
 * @example
 * const refunds = createMemoryRefunds(context);
 */
export function createMemoryRefunds(context: MemoryContext): RefundRepository {
  const {
    tables: { refunds },
    journal,
    workspace,
  } = context;
  const visible = (row: RefundRecord | undefined): RefundRecord | undefined =>
    row && isVisible(workspace, row.workspaceId) ? row : undefined;
  const found = (row: RefundRecord | undefined): RefundRecord | null => {
    const shown = visible(row);
    return shown ? copyOut(shown) : null;
  };
  const ofPayment = (paymentId: string) => refunds.rows().filter((row) => visible(row) && row.paymentId === paymentId);

  const stateful = memoryStatefulRows<RefundRecordState, RefundRecord>(refunds, context, {
    label: 'refunds',
    transitionSchema: refundTransitionSchema,
    patchSchema: refundPatchSchema,
    staleQuerySchema: refundStaleQuerySchema,
  });

  return {
    transition: stateful.transition,
    update: stateful.update,
    listStale: stateful.listStale,
    async insert(input) {
      const refund = parseStoreInput(refundRecordSchema, input, 'refunds.insert');
      assertMayWrite(workspace, refund.workspaceId, 'refunds.insert');
      return copyOut(refunds.insert(refund, journal, 'refunds.insert'));
    },
    async getById(id) {
      return found(refunds.get(id));
    },
    async getByMerchantRefundId(merchantRefundId) {
      return found(refunds.findUnique('refund_merchant_refund_id', merchantRefundId));
    },
    async listByPayment(paymentId) {
      return ofPayment(paymentId).sort(oldestFirst).map(copyOut);
    },
    async sumRefunded(paymentId) {
      return ofPayment(paymentId)
        .filter((row) => row.state !== 'failed')
        .reduce((sum, row) => sum + row.amountPaise, 0);
    },
  };
}

/** Whether the renewal work of `row` is due at `now` (shared with `claimDue`). */
export function isDue(row: SubscriptionRecord, now: number): boolean {
  return isLive(row) && row.nextActionAt !== null && row.nextActionAt <= now;
}

/**
 * `SubscriptionRepository` of the memory store.
 *
 * @example
 * const subscriptions = createMemorySubscriptions(context);
 */
export function createMemorySubscriptions(context: MemoryContext): SubscriptionRepository {
  const {
    tables: { subscriptions },
    journal,
    workspace,
  } = context;
  const withAudit = (options: unknown, operation: string) => {
    const { audit } = parseStoreInput(auditOptionSchema, options ?? {}, operation);
    if (audit) assertMayWrite(workspace, audit.workspaceId, operation);
    return (row: SubscriptionRecord) => {
      if (audit) appendAudit(context, audit, operation);
      return copyOut(row);
    };
  };
  const visible = (row: SubscriptionRecord | undefined): SubscriptionRecord | undefined =>
    row && isVisible(workspace, row.workspaceId) ? row : undefined;
  const found = (row: SubscriptionRecord | undefined): SubscriptionRecord | null => {
    const shown = visible(row);
    return shown ? copyOut(shown) : null;
  };

  return {
    async getLive(workspaceId) {
      return found(subscriptions.findUnique('subscription_live_per_workspace', workspaceId));
    },
    async getLatest(workspaceId) {
      const rows = subscriptions.rows().filter((row) => visible(row) && row.workspaceId === workspaceId);
      return found(rows.sort(newestFirst)[0]);
    },
    async getById(id) {
      return found(subscriptions.get(id));
    },
    async getByMerchantSubscriptionId(merchantSubscriptionId) {
      return found(subscriptions.findUnique('subscription_merchant_subscription_id', merchantSubscriptionId));
    },
    async getByGatewayMandateId(gateway, gatewayMandateId) {
      const rows = subscriptions
        .rows()
        .filter(
          (row) => visible(row) && row.mandateGateway === gateway && row.phonepeSubscriptionId === gatewayMandateId,
        );
      return found(rows.sort(newestFirst)[0]);
    },
    async insert(input, options) {
      const subscription = parseStoreInput(subscriptionRecordSchema, input, 'subscriptions.insert');
      assertMayWrite(workspace, subscription.workspaceId, 'subscriptions.insert');
      const written = withAudit(options, 'subscriptions.insert');
      return written(subscriptions.insert(subscription, journal, 'subscriptions.insert'));
    },
    async update(id, expectedVersion, patch, now, options) {
      const fields = parsePatch(subscriptionPatchSchema, patch, 'subscriptions.update');
      const at = parseStoreInput(epochMsSchema, now, 'subscriptions.update');
      parseStoreInput(versionSchema, expectedVersion, 'subscriptions.update');
      const written = withAudit(options, 'subscriptions.update');
      const row = visible(subscriptions.get(id));
      if (!row || row.version !== expectedVersion) {
        throw new StoreConflictError(
          'subscription_version',
          conflictMessage('subscriptions.update', 'subscription_version', id),
        );
      }
      const next = { ...row, ...fields, version: row.version + 1, updatedAt: at };
      return written(subscriptions.put(next, journal, 'subscriptions.update'));
    },
    async listDue(query) {
      const { now, limit } = parseStoreInput(dueQuerySchema, query, 'subscriptions.listDue');
      return subscriptions
        .rows()
        .filter((row) => visible(row) && isDue(row, now))
        .sort(soonestDue)
        .slice(0, limit)
        .map(copyOut);
    },
  };
}

/**
 * `RenewalClaims` of the memory store. Claims live on the subscription row (`claimedBy`,
 * `claimExpiresAt`) exactly as in PostgreSQL; they change neither `version` nor `updatedAt`.
 *
 * @example
 * const renewals = createMemoryRenewals(context);
 */
export function createMemoryRenewals({ tables: { subscriptions }, journal, workspace }: MemoryContext): RenewalClaims {
  return {
    async claimDue(query) {
      const { now, limit, workerId, leaseMs } = parseStoreInput(claimQuerySchema, query, 'renewals.claimDue');
      const claimable = subscriptions
        .rows()
        .filter((row) => isVisible(workspace, row.workspaceId) && isDue(row, now))
        .filter((row) => row.claimedBy === null || row.claimExpiresAt === null || row.claimExpiresAt <= now)
        .sort(soonestDue)
        .slice(0, limit);
      return claimable.map((row) =>
        copyOut(
          subscriptions.put(
            { ...row, claimedBy: workerId, claimExpiresAt: now + leaseMs },
            journal,
            'renewals.claimDue',
          ),
        ),
      );
    },
    async finish(input) {
      const { subscriptionId, workerId, nextActionAt, claimedAt, now } = parseStoreInput(
        renewalFinishSchema,
        input,
        'renewals.finish',
      );
      const row = subscriptions.get(subscriptionId);
      if (!row || !isVisible(workspace, row.workspaceId)) return null;
      const live = isLive(row);
      const rescheduled = row.nextActionAt !== null && row.nextActionAt !== claimedAt;
      const next =
        !live || nextActionAt === null
          ? row.nextActionAt
          : rescheduled
            ? Math.min(nextActionAt, row.nextActionAt as number)
            : nextActionAt;
      const changed = next !== row.nextActionAt ? { nextActionAt: next, version: row.version + 1, updatedAt: now } : {};
      const released = row.claimedBy === workerId ? { claimedBy: null, claimExpiresAt: null } : {};
      if (Object.keys(changed).length + Object.keys(released).length > 0)
        subscriptions.put({ ...row, ...changed, ...released }, journal, 'renewals.finish');
      return next;
    },
    async release(subscriptionId, workerId) {
      const row = subscriptions.get(subscriptionId);
      if (!row || !isVisible(workspace, row.workspaceId) || row.claimedBy !== workerId) return;
      subscriptions.put({ ...row, claimedBy: null, claimExpiresAt: null }, journal, 'renewals.release');
    },
  };
}

/**
 * `UsageRepository` of the memory store: the limit check and the write happen in one serialised
 * transaction, so no two increments can both see room for one more.
 *
 * @example
 * const usage = createMemoryUsage(context);
 */
export function createMemoryUsage({ tables, journal, workspace }: MemoryContext): UsageRepository {
  return {
    async increment(input) {
      const { workspaceId, metric, periodStart, by, limit, usageKey, now } = parseStoreInput(
        usageIncrementSchema,
        input,
        'usage.increment',
      );
      assertMayWrite(workspace, workspaceId, 'usage.increment');
      const used = tables.usage.get(usageCounterKey(workspaceId, metric, periodStart))?.used ?? 0;
      if (usageKey !== undefined && tables.usageKeys.get(usageKeyKey(workspaceId, usageKey))) {
        return { ok: true, used, duplicate: true };
      }
      if (limit !== null && used + by > limit) return { ok: false, used, limit };
      const next = used + by;
      if (!Number.isSafeInteger(next))
        throw new RangeError(`usage.increment: ${metric} of workspace ${workspaceId} would exceed a safe integer.`);
      tables.usage.put({ workspaceId, metric, periodStart, used: next, updatedAt: now }, journal, 'usage.increment');
      if (usageKey !== undefined) {
        tables.usageKeys.insert(
          { workspaceId, usageKey, metric, periodStart, amount: by, createdAt: now },
          journal,
          'usage.increment',
        );
      }
      return { ok: true, used: next, duplicate: false };
    },
    async get(workspaceId, periodStart) {
      const counters: Record<string, number> = {};
      if (!isVisible(workspace, workspaceId)) return counters;
      for (const row of tables.usage.rows()) {
        if (row.workspaceId === workspaceId && row.periodStart === periodStart) counters[row.metric] = row.used;
      }
      return counters;
    },
  };
}

/**
 * `BillingStore.meterUsage` on the memory tables, inside the memory store's serialised transaction:
 * the live subscription, its plan's limit (from `planLimits`, else the stored plan), then the
 * increment of {@link createMemoryUsage} or, for a check, a read.
 *
 * @example
 * const result = await meterMemoryUsage(context, request);
 */
export async function meterMemoryUsage(context: MemoryContext, request: UsageMeterRequest): Promise<UsageMeterResult> {
  const { tables, workspace } = context;
  const { workspaceId, metric, by, mode, usageKey, now, planLimits } = request;
  const sub = tables.subscriptions.findUnique('subscription_live_per_workspace', workspaceId);
  if (!sub || !isVisible(workspace, sub.workspaceId)) return { status: 'no_subscription' };
  const planId = sub.planId;
  const limits = Object.hasOwn(planLimits, planId) ? planLimits[planId] : tables.plans.get(planId)?.limits;
  if (!limits) return { status: 'no_plan', planId };
  if (!Object.hasOwn(limits, metric)) return { status: 'no_metric', planId, metrics: Object.keys(limits) };
  const limit = limits[metric] ?? null;
  const periodStart = sub.currentPeriodStart;
  if (mode === 'check') {
    const used = tables.usage.get(usageCounterKey(workspaceId, metric, periodStart))?.used ?? 0;
    if (limit !== null && used + by > limit) return { status: 'over_limit', planId, periodStart, limit, used };
    return { status: 'ok', planId, periodStart, limit, used, duplicate: false };
  }
  const counted = await createMemoryUsage(context).increment({
    workspaceId,
    metric,
    periodStart,
    by,
    limit,
    now,
    ...(usageKey ? { usageKey } : {}),
  });
  if (!counted.ok) return { status: 'over_limit', planId, periodStart, limit: counted.limit, used: counted.used };
  return { status: 'ok', planId, periodStart, limit, used: counted.used, duplicate: counted.duplicate };
}

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
  const purgeable = (before: number) =>
    webhookEvents
      .rows()
      .filter(
        (row) =>
          isVisible(workspace, row.workspaceId) &&
          row.receivedAt < before &&
          row.status !== 'received' &&
          row.payload !== null,
      );
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
      const { dedupeKey, event, subjectId, gateway, payload, now } = parseStoreInput(
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
          gateway: gateway ?? 'phonepe',
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
    async countPurgeablePayloads(before) {
      return purgeable(before).length;
    },
    async purgePayloads(before, limit) {
      assertMayWrite(workspace, workspace, 'webhookEvents.purgePayloads');
      const batch = purgeable(before)
        .sort((a, b) => a.receivedAt - b.receivedAt)
        .slice(0, limit);
      for (const row of batch) webhookEvents.put({ ...row, payload: null }, journal, 'webhookEvents.purgePayloads');
      return batch.length;
    },
  };
}

const within = (at: number | null, { from, to }: { from: number; to: number }): boolean =>
  at !== null && at >= from && at < to;

/**
 * `MetricsQueries` of the memory store (same definitions as the SQL in the Kysely store).
 *
 * @example
 * const metrics = createMemoryMetrics(context);
 */
export function createMemoryMetrics({ tables, workspace }: MemoryContext): MetricsQueries {
  const mine = <T extends { workspaceId: string | null }>(rows: T[]): T[] =>
    rows.filter((row) => isVisible(workspace, row.workspaceId));
  return {
    async payments(input) {
      const range = parseStoreInput(rangeSchema, input, 'metrics.payments');
      const settled = mine(tables.payments.rows()).filter((row) => within(row.settledAt, range));
      const signalled = settled.filter((row) => row.firstSignalAt !== null);
      const completed = settled.filter((row) => row.state === 'completed');
      return {
        completed: completed.length,
        failed: settled.filter((row) => row.state === 'failed').length,
        expired: settled.filter((row) => row.state === 'expired').length,
        revenuePaise: completed.reduce((sum, row) => sum + row.amountPaise, 0),
        settleLatencyMsTotal: signalled.reduce((sum, row) => sum + (row.settledAt! - row.firstSignalAt!), 0),
        settleLatencyCount: signalled.length,
      };
    },
    async refunds(input) {
      const range = parseStoreInput(rangeSchema, input, 'metrics.refunds');
      const completed = mine(tables.refunds.rows()).filter(
        (row) => row.state === 'completed' && within(row.settledAt, range),
      );
      return { completed: completed.length, refundedPaise: completed.reduce((sum, row) => sum + row.amountPaise, 0) };
    },
    async subscriptions(input) {
      const range = parseStoreInput(rangeSchema, input, 'metrics.subscriptions');
      const rows = mine(tables.subscriptions.rows());
      const ended = rows.filter(
        (row) => (row.status === 'expired' || row.status === 'cancelled') && within(row.endedAt, range),
      );
      return {
        created: rows.filter((row) => within(row.createdAt, range)).length,
        cancelled: rows.filter((row) => within(row.cancelledAt, range)).length,
        ended: ended.length,
        expired: ended.filter((row) => row.status === 'expired').length,
      };
    },
    async webhooks(input) {
      const range = parseStoreInput(rangeSchema, input, 'metrics.webhooks');
      const received = mine(tables.webhookEvents.rows()).filter((row) => within(row.receivedAt, range));
      return {
        received: received.length,
        duplicates: received.reduce((sum, row) => sum + row.duplicateCount, 0),
        failed: received.filter((row) => row.status === 'failed').length,
      };
    },
    async snapshot() {
      const payments = mine(tables.payments.rows());
      const open = payments.filter((row) => row.state === 'created' || row.state === 'pending');
      const refunds = mine(tables.refunds.rows());
      const subscriptions = mine(tables.subscriptions.rows());
      const events = mine(tables.outbox.rows());
      const count = <T>(rows: T[], test: (row: T) => boolean) => rows.filter(test).length;
      return {
        payments: {
          created: count(open, (row) => row.state === 'created'),
          pending: count(open, (row) => row.state === 'pending'),
        },
        refunds: {
          pending: count(refunds, (row) => row.state === 'pending'),
          confirmed: count(refunds, (row) => row.state === 'confirmed'),
        },
        subscriptions: Object.fromEntries(
          SUBSCRIPTION_STATUSES.map((status) => [status, count(subscriptions, (row) => row.status === status)]),
        ) as Record<SubscriptionRecordStatus, number>,
        oldestOpenPaymentAt: open.reduce<number | null>(
          (min, row) => (min === null ? row.createdAt : Math.min(min, row.createdAt)),
          null,
        ),
        outbox: {
          pending: count(events, (row) => row.status === 'pending'),
          dead: count(events, (row) => row.status === 'dead'),
        },
        oldestPendingEventAt: events
          .filter((row) => row.status === 'pending')
          .reduce<number | null>((min, row) => (min === null ? row.createdAt : Math.min(min, row.createdAt)), null),
      };
    },
  };
}
