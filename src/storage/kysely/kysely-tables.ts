import type { ColumnType, Kysely } from 'kysely';
import type { IdGenerator } from '../../common/id-generator.js';
import type {
  AuditRecord,
  OutboxEventRecord,
  PaymentRecord,
  PlanRecord,
  RefundRecord,
  SubscriptionRecord,
  WebhookEventRecord,
} from '../records.js';

// How a record field becomes a SQL parameter and how a column value read back becomes a field
// again. Reading is lenient on purpose: a store over a host's own pool sees pg's defaults (int8 as
// a string, timestamptz as a Date), a store made by createPgStore/createPgliteStore sees numbers
// (see createPgTypeParsers below); both end up as the same record.

/** One field <-> column conversion. `null` passes through both ways. */
export interface ColumnCodec {
  toDb(value: unknown): unknown;
  fromDb(value: unknown): unknown;
}

/** Text, booleans: passed as they are. */
export const plainCodec: ColumnCodec = {
  toDb: (value) => value,
  fromDb: (value) => value,
};

/** integer / bigint -> a safe JavaScript integer; refuses to lose precision. */
export const integerCodec: ColumnCodec = {
  toDb: (value) => value,
  fromDb: (value) => (value === null ? null : toSafeInteger(value)),
};

/** timestamptz <-> epoch milliseconds. */
export const epochMsCodec: ColumnCodec = {
  toDb: (value) => (value === null ? null : new Date(value as number)),
  fromDb: (value) => (value === null ? null : toEpochMs(value)),
};

/** jsonb: sent as JSON text (so arrays stay JSON arrays, not PostgreSQL arrays). */
export const jsonCodec: ColumnCodec = {
  toDb: (value) => JSON.stringify(value ?? null),
  fromDb: (value) => (typeof value === 'string' ? JSON.parse(value) : value),
};

/**
 * A bigint/integer column value as a safe integer.
 *
 * @example
 * toSafeInteger('42'); // 42
 */
export function toSafeInteger(value: unknown): number {
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'bigint' || typeof value === 'string'
        ? Number(value)
        : Number.NaN;
  if (!Number.isSafeInteger(number)) {
    throw new RangeError(
      `A database integer (${String(value)}) is not a safe JavaScript integer; amounts and counters must stay below 2^53.`,
    );
  }
  return number;
}

/**
 * A timestamptz column value (number, Date or pg text) as epoch milliseconds.
 *
 * @example
 * toEpochMs(new Date(0)); // 0
 */
export function toEpochMs(value: unknown): number {
  const ms =
    typeof value === 'number'
      ? value
      : value instanceof Date
        ? value.getTime()
        : typeof value === 'string'
          ? Date.parse(value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'))
          : Number.NaN;
  if (!Number.isFinite(ms))
    throw new RangeError(`A database timestamp (${String(value)}) is not a finite point in time.`);
  return ms;
}

/** Field -> [column, codec] for every field of a record. */
export type ColumnMap<R> = { readonly [K in keyof R]-?: readonly [column: string, codec: ColumnCodec] };

export const planColumns = {
  id: ['id', plainCodec],
  name: ['name', plainCodec],
  description: ['description', plainCodec],
  pricePaise: ['price_paise', integerCodec],
  currency: ['currency', plainCodec],
  interval: ['billing_interval', plainCodec],
  limits: ['limits', jsonCodec],
  features: ['features', jsonCodec],
  autopay: ['autopay', plainCodec],
  trialDays: ['trial_days', integerCodec],
  active: ['active', plainCodec],
  sortOrder: ['sort_order', integerCodec],
  createdAt: ['created_at', epochMsCodec],
  updatedAt: ['updated_at', epochMsCodec],
} as const satisfies ColumnMap<PlanRecord>;

export const paymentColumns = {
  id: ['id', plainCodec],
  workspaceId: ['workspace_id', plainCodec],
  userId: ['user_id', plainCodec],
  planId: ['plan_id', plainCodec],
  subscriptionId: ['subscription_id', plainCodec],
  merchantOrderId: ['merchant_order_id', plainCodec],
  gateway: ['gateway', plainCodec],
  gatewayAccount: ['gateway_account', plainCodec],
  phonepeOrderId: ['phonepe_order_id', plainCodec],
  method: ['method', plainCodec],
  purpose: ['purpose', plainCodec],
  amountPaise: ['amount_paise', integerCodec],
  currency: ['currency', plainCodec],
  state: ['state', plainCodec],
  returnUrl: ['return_url', plainCodec],
  paymentUrl: ['payment_url', plainCodec],
  idempotencyKey: ['idempotency_key', plainCodec],
  merchantSubscriptionId: ['merchant_subscription_id', plainCodec],
  periodStart: ['period_start', epochMsCodec],
  periodEnd: ['period_end', epochMsCodec],
  errorCode: ['error_code', plainCodec],
  detailedErrorCode: ['detailed_error_code', plainCodec],
  phonepeTransactionId: ['phonepe_transaction_id', plainCodec],
  paymentMode: ['payment_mode', plainCodec],
  expiresAt: ['expires_at', epochMsCodec],
  notifiedAt: ['notified_at', epochMsCodec],
  redeemAfter: ['redeem_after', epochMsCodec],
  redeemBefore: ['redeem_before', epochMsCodec],
  attempts: ['attempts', integerCodec],
  lastCheckedAt: ['last_checked_at', epochMsCodec],
  firstSignalAt: ['first_signal_at', epochMsCodec],
  settledAt: ['settled_at', epochMsCodec],
  metadata: ['metadata', jsonCodec],
  createdAt: ['created_at', epochMsCodec],
  updatedAt: ['updated_at', epochMsCodec],
} as const satisfies ColumnMap<PaymentRecord>;

export const refundColumns = {
  id: ['id', plainCodec],
  workspaceId: ['workspace_id', plainCodec],
  paymentId: ['payment_id', plainCodec],
  merchantRefundId: ['merchant_refund_id', plainCodec],
  gateway: ['gateway', plainCodec],
  gatewayAccount: ['gateway_account', plainCodec],
  phonepeRefundId: ['phonepe_refund_id', plainCodec],
  amountPaise: ['amount_paise', integerCodec],
  state: ['state', plainCodec],
  reason: ['reason', plainCodec],
  errorCode: ['error_code', plainCodec],
  requestedBy: ['requested_by', plainCodec],
  lastCheckedAt: ['last_checked_at', epochMsCodec],
  settledAt: ['settled_at', epochMsCodec],
  createdAt: ['created_at', epochMsCodec],
  updatedAt: ['updated_at', epochMsCodec],
} as const satisfies ColumnMap<RefundRecord>;

export const subscriptionColumns = {
  id: ['id', plainCodec],
  workspaceId: ['workspace_id', plainCodec],
  planId: ['plan_id', plainCodec],
  status: ['status', plainCodec],
  renewalMode: ['renewal_mode', plainCodec],
  currentPeriodStart: ['current_period_start', epochMsCodec],
  currentPeriodEnd: ['current_period_end', epochMsCodec],
  cancelAtPeriodEnd: ['cancel_at_period_end', plainCodec],
  cancelledAt: ['cancelled_at', epochMsCodec],
  cancellationReason: ['cancellation_reason', plainCodec],
  endedAt: ['ended_at', epochMsCodec],
  pendingPlanId: ['pending_plan_id', plainCodec],
  merchantSubscriptionId: ['merchant_subscription_id', plainCodec],
  phonepeSubscriptionId: ['phonepe_subscription_id', plainCodec],
  mandateState: ['mandate_state', plainCodec],
  mandateMaxAmountPaise: ['mandate_max_amount_paise', integerCodec],
  mandateGateway: ['mandate_gateway', plainCodec],
  mandateGatewayAccount: ['mandate_gateway_account', plainCodec],
  nextActionAt: ['next_action_at', epochMsCodec],
  graceEndsAt: ['grace_ends_at', epochMsCodec],
  renewalAttempts: ['renewal_attempts', integerCodec],
  claimedBy: ['claimed_by', plainCodec],
  claimExpiresAt: ['claim_expires_at', epochMsCodec],
  createdBy: ['created_by', plainCodec],
  metadata: ['metadata', jsonCodec],
  version: ['version', integerCodec],
  createdAt: ['created_at', epochMsCodec],
  updatedAt: ['updated_at', epochMsCodec],
} as const satisfies ColumnMap<SubscriptionRecord>;

export const webhookEventColumns = {
  dedupeKey: ['dedupe_key', plainCodec],
  event: ['event', plainCodec],
  workspaceId: ['workspace_id', plainCodec],
  subjectId: ['subject_id', plainCodec],
  gateway: ['gateway', plainCodec],
  payload: ['payload', jsonCodec],
  status: ['status', plainCodec],
  duplicateCount: ['duplicate_count', integerCodec],
  attempts: ['attempts', integerCodec],
  error: ['error', plainCodec],
  outcome: ['outcome', plainCodec],
  receivedAt: ['received_at', epochMsCodec],
  processedAt: ['processed_at', epochMsCodec],
} as const satisfies ColumnMap<WebhookEventRecord>;

export const auditColumns = {
  id: ['id', plainCodec],
  workspaceId: ['workspace_id', plainCodec],
  actor: ['actor', plainCodec],
  action: ['action', plainCodec],
  entityType: ['entity_type', plainCodec],
  entityId: ['entity_id', plainCodec],
  data: ['data', jsonCodec],
  createdAt: ['created_at', epochMsCodec],
} as const satisfies ColumnMap<AuditRecord>;

export const outboxColumns = {
  id: ['id', plainCodec],
  workspaceId: ['workspace_id', plainCodec],
  event: ['event', plainCodec],
  payload: ['payload', jsonCodec],
  sequence: ['sequence', integerCodec],
  status: ['status', plainCodec],
  attempts: ['attempts', integerCodec],
  nextAttemptAt: ['next_attempt_at', epochMsCodec],
  lastError: ['last_error', plainCodec],
  lockedBy: ['locked_by', plainCodec],
  lockedUntil: ['locked_until', epochMsCodec],
  createdAt: ['created_at', epochMsCodec],
  deliveredAt: ['delivered_at', epochMsCodec],
} as const satisfies ColumnMap<OutboxEventRecord>;

/**
 * A row read from the database as a record.
 *
 * @example
 * const payment = toRecord(paymentColumns, row);
 */
export function toRecord<R>(columns: ColumnMap<R>, row: Record<string, unknown>): R {
  const record: Record<string, unknown> = {};
  for (const [field, [column, codec]] of Object.entries(columns) as Array<[string, readonly [string, ColumnCodec]]>) {
    record[field] = codec.fromDb(row[column] ?? null);
  }
  return record as R;
}

/**
 * The given fields of a record (or patch) as column values; fields absent from `values` are left out.
 *
 * @example
 * await trx.updateTable('payment_transactions').set(toColumns(paymentColumns, patch)).where('id', '=', id).execute();
 */
export function toColumns<R>(columns: ColumnMap<R>, values: Partial<R>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(values)) {
    const entry = columns[field as keyof R];
    if (entry && value !== undefined) row[entry[0]] = entry[1].toDb(value);
  }
  return row;
}

// The schema of migrations/*.sql as Kysely sees it. Only column names are checked: values pass
// through the codecs above, which know what each driver setting returns.
type AnyColumn = ColumnType<unknown, unknown, unknown>;
type TableOf<M extends Record<string, readonly [string, ColumnCodec]>> = { [K in keyof M as M[K][0]]: AnyColumn };

/** The billing tables (migrations/001, 007), for `Kysely<BillingDatabase>` inside the store. */
export interface BillingDatabase {
  plans: TableOf<typeof planColumns>;
  payment_transactions: TableOf<typeof paymentColumns>;
  payment_refunds: TableOf<typeof refundColumns>;
  subscriptions: TableOf<typeof subscriptionColumns>;
  webhook_events: TableOf<typeof webhookEventColumns>;
  billing_audit_log: TableOf<typeof auditColumns>;
  billing_outbox: TableOf<typeof outboxColumns>;
  subscription_usage: Record<'workspace_id' | 'metric' | 'period_start' | 'used' | 'updated_at', AnyColumn>;
  subscription_usage_events: Record<
    'workspace_id' | 'usage_key' | 'metric' | 'period_start' | 'amount' | 'created_at',
    AnyColumn
  >;
}

/** What each Kysely repository works on inside one transaction. */
export interface KyselyContext {
  /** The transaction's connection (BEGIN and COMMIT are the store's). */
  readonly trx: Kysely<BillingDatabase>;
  /** The scope's workspace; `null` under the system scope. */
  readonly workspace: string | null;
  readonly ids: IdGenerator;
}

/** The part of `pg.types` (or a pool's `types` option) this module reads or returns. */
export interface PgTypeParsers {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown;
}

const INT8_OID = 20;
const TIMESTAMPTZ_OID = 1184;

/**
 * Type parsers for one pool (`new pg.Pool({ types })`), never installed globally: a library must
 * not change how the host's other pg pools parse values. int8 (bigint, `count(*)`) becomes a number,
 * or the query fails rather than silently losing precision above 2^53; timestamptz becomes epoch
 * milliseconds. Everything else falls back to pg's defaults, read from `defaults` unchanged.
 *
 * @example
 * import pg from 'pg';
 * const pool = new pg.Pool({ connectionString, types: createPgTypeParsers(pg.types) });
 */
export function createPgTypeParsers(defaults: PgTypeParsers): PgTypeParsers {
  return {
    getTypeParser(oid, format = 'text') {
      if (format === 'text' && oid === INT8_OID) return (value) => toSafeInteger(value);
      if (format === 'text' && oid === TIMESTAMPTZ_OID) {
        const parseDate = defaults.getTypeParser(oid, format);
        return (value) => toEpochMs(parseDate(value));
      }
      return defaults.getTypeParser(oid, format);
    },
  };
}
