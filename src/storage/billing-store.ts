import type {
  AuditRecord,
  OutboxEventRecord,
  OPEN_PAYMENT_STATES,
  PaymentRecord,
  PaymentState,
  PlanRecord,
  RefundRecord,
  RefundRecordState,
  SubscriptionRecord,
  SubscriptionRecordStatus,
  WebhookEventRecord,
} from './records.js';

/**
 * Whose rows a transaction may see and change. A workspace scope sees only that workspace's rows
 * (on PostgreSQL enforced by row-level security through `app.workspace_id`); the system scope
 * (`app.billing_system = 'on'`) crosses tenants and is for webhooks, reconciliation and renewals.
 *
 * @example
 * await store.transaction({ workspaceId: 'ws_1' }, (tx) => tx.subscriptions.getLive('ws_1'));
 * await store.transaction({ system: true }, (tx) => tx.payments.listStale({ states: ['pending'], olderThan: t, limit: 50 }));
 */
export type StoreScope = { readonly workspaceId: string } | { readonly system: true };

/**
 * The storage port of the billing layer. Implementations: `MemoryStore` (one process) and
 * `KyselyStore` (PostgreSQL, PGlite). Every implementation MUST give every guarantee stated here;
 * one conformance suite checks them on each.
 *
 * All times are epoch milliseconds; all money is integer paise.
 *
 * @example
 * const store: BillingStore = new MemoryStore();
 * await store.transaction({ system: true }, (tx) => tx.plans.upsert(plan));
 */
export interface BillingStore {
  /**
   * Runs `fn` in one transaction under `scope`. Everything `fn` writes commits together when it
   * resolves, or nothing does when it throws (the error is rethrown unchanged). Rows of other
   * workspaces are invisible under a workspace scope: reads return nothing and updates do not find
   * them (as if absent, which is all PostgreSQL row-level security can say); writing a row that names
   * another workspace (an insert, an increment, a plan) throws `StoreScopeError`.
   * An operation given a malformed record or argument (a fractional or negative amount, an unknown
   * state, a patch of a fixed field) throws a `TypeError` and writes nothing.
   * When an operation inside `fn` throws, the transaction is doomed: it rolls back even if `fn`
   * catches the error and resolves (then `transaction` rejects with that error), and later
   * operations in it throw that error again (on PostgreSQL the failed statement aborts it anyway).
   * Transactions MUST NOT be nested: calling `transaction` inside `fn` is a programming error
   * (it waits for the outer one forever on a single connection). Using `tx` after `fn` has
   * settled throws.
   * When the database cannot be reached, it throws `StoreUnavailableError`.
   */
  transaction<T>(scope: StoreScope, fn: (tx: BillingTransaction) => Promise<T>): Promise<T>;
  /**
   * One metered call, atomically and on its own (not inside `transaction`), under the scope of
   * `request.workspaceId`: finds the workspace's live subscription (its plan and current period), the
   * plan's limit for `metric` — from `request.planLimits` when the plan is listed there, else from the
   * stored plan — and then, with `mode: 'record'`, adds `by` to the period's counter unless that would
   * pass the limit (the rules of `UsageRepository.increment`, usage key included: counted at most once,
   * not spent when refused); with `mode: 'check'` it only reads whether `by` more would fit. On
   * PostgreSQL this is one round trip where the pool takes statement batches (a usage key adds a
   * transaction around it).
   */
  meterUsage(request: UsageMeterRequest): Promise<UsageMeterResult>;
  /** Releases connections the store opened itself (never a host-supplied pool or Kysely). */
  close(): Promise<void>;
}

/** What `BillingStore.meterUsage` is asked. */
export interface UsageMeterRequest {
  workspaceId: string;
  /** A metric name: 1–64 of a-z, 0-9 and _. */
  metric: string;
  /** How much to add (`record`) or to check room for (`check`): a positive safe integer. */
  by: number;
  mode: 'record' | 'check';
  /** With `record`: count this usage at most once per workspace and key. */
  usageKey?: string;
  now: number;
  /**
   * The limits of the plans declared in code, by plan id (metric → limit, `null` = unlimited). A plan
   * listed here is taken as given; any other plan's limits are read from the stored plan.
   */
  planLimits: Readonly<Record<string, Readonly<Record<string, number | null>>>>;
}

/** What `BillingStore.meterUsage` found or did. */
export type UsageMeterResult =
  /** The workspace has no live subscription. */
  | { status: 'no_subscription' }
  /** The subscription's plan is neither in `planLimits` nor stored. */
  | { status: 'no_plan'; planId: string }
  /** The plan has no limit entry for the metric; `metrics` are the ones it has. */
  | { status: 'no_metric'; planId: string; metrics: string[] }
  /** Recorded (or a `duplicate` usage key, nothing added), or with `check`: `by` more fits. `used` is the counter now. */
  | { status: 'ok'; planId: string; periodStart: number; limit: number | null; used: number; duplicate: boolean }
  /** `by` more would pass the limit: nothing was recorded. `used` is the counter as read. */
  | { status: 'over_limit'; planId: string; periodStart: number; limit: number; used: number };

/** The operations available inside a transaction, grouped by table. */
export interface BillingTransaction {
  readonly plans: PlanRepository;
  readonly payments: PaymentRepository;
  readonly refunds: RefundRepository;
  readonly subscriptions: SubscriptionRepository;
  readonly usage: UsageRepository;
  readonly webhookEvents: WebhookEventRepository;
  readonly renewals: RenewalClaims;
  readonly audit: AuditLog;
  readonly metrics: MetricsQueries;
  readonly outbox: OutboxRepository;
  readonly reports: ReportQueries;
}

/** Plans (not tenant data: readable under every scope; written under the system scope). */
export interface PlanRepository {
  /**
   * Inserts or replaces the plan with this id (`createdAt` of an existing row is kept). Throws
   * `StoreScopeError` under a workspace scope.
   */
  upsert(plan: PlanRecord): Promise<PlanRecord>;
  get(id: string): Promise<PlanRecord | null>;
  /** Active plans ordered by `sortOrder`, then `pricePaise`. */
  listActive(): Promise<PlanRecord[]>;
}

/** Fields of a payment that may change after insert (the rest are fixed at creation). */
export type PaymentPatch = Partial<
  Pick<
    PaymentRecord,
    | 'phonepeOrderId'
    | 'paymentUrl'
    | 'subscriptionId'
    | 'merchantSubscriptionId'
    | 'periodStart'
    | 'periodEnd'
    | 'errorCode'
    | 'detailedErrorCode'
    | 'phonepeTransactionId'
    | 'paymentMode'
    | 'expiresAt'
    | 'notifiedAt'
    | 'redeemAfter'
    | 'redeemBefore'
    | 'attempts'
    | 'firstSignalAt'
    | 'lastCheckedAt'
    | 'settledAt'
    | 'metadata'
  >
>;

/** Payment rows (checkouts, autopay set-ups and debits): insert, read, lock and move through the payment state machine. */
export interface PaymentRepository {
  /**
   * Inserts a new payment. Throws `StoreConflictError` with `constraint: 'payment_merchant_order_id'`
   * when the merchant order id exists (in any workspace), or `'payment_idempotency_key'` when the
   * workspace already has a payment with this idempotency key. Of two concurrent inserts with the
   * same merchant order id, exactly one succeeds. With `audit`, that entry is appended with the row,
   * in the same step.
   */
  insert(payment: PaymentRecord, options?: { audit?: AuditEntryInput }): Promise<PaymentRecord>;
  getById(id: string): Promise<PaymentRecord | null>;
  getByMerchantOrderId(merchantOrderId: string): Promise<PaymentRecord | null>;
  /**
   * The payment whose order the gateway `gateway` knows as `gatewayOrderId` (`phonepeOrderId`), for events
   * that name only the gateway's id (Razorpay's `payment.failed`). The newest when several match.
   */
  getByGatewayOrderId(gateway: string, gatewayOrderId: string): Promise<PaymentRecord | null>;
  getByIdempotencyKey(workspaceId: string, idempotencyKey: string): Promise<PaymentRecord | null>;
  /**
   * Reads the row and locks it until the transaction ends: of two transactions calling this for
   * the same id, the second waits until the first commits or rolls back, then sees its writes.
   */
  getForUpdate(id: string): Promise<PaymentRecord | null>;
  /** Like `getForUpdate`, by merchant order id: the row is read once and locked (settlement starts here). */
  getForUpdateByMerchantOrderId(merchantOrderId: string): Promise<PaymentRecord | null>;
  /**
   * Compare-and-set: moves the payment to `to` (applying `patch`, setting `updatedAt = now`) only
   * if its current state is one of `from`. Returns the updated row, or `null` when the state was
   * not in `from` (or the row does not exist). Of N concurrent calls with the same `from` and a
   * `to` outside `from`, exactly one gets a row back. With `audit`, that entry is appended (as by
   * `AuditLog.append`) if and only if the row moved, in the same step (one statement on PostgreSQL).
   */
  transition(
    id: string,
    change: {
      from: readonly PaymentState[];
      to: PaymentState;
      patch?: PaymentPatch;
      now: number;
      audit?: AuditEntryInput;
    },
  ): Promise<PaymentRecord | null>;
  /** Updates non-state fields; returns the row or `null` if it does not exist. */
  update(id: string, patch: PaymentPatch, now: number): Promise<PaymentRecord | null>;
  /**
   * Payments in `states` created at or before `olderThan`, least recently checked first (never-checked
   * first, then by `lastCheckedAt`, then `createdAt`), at most `limit`.
   */
  listStale(query: { states: readonly PaymentState[]; olderThan: number; limit: number }): Promise<PaymentRecord[]>;
  /** Payments of a workspace, newest first. */
  listByWorkspace(workspaceId: string, query: { limit: number }): Promise<PaymentRecord[]>;
  /** Payments of a subscription in the given states, newest first. */
  listBySubscription(
    subscriptionId: string,
    query: { states?: readonly PaymentState[]; limit: number },
  ): Promise<PaymentRecord[]>;
}

/** The refund fields a transition may set besides the state. */
export type RefundPatch = Partial<Pick<RefundRecord, 'phonepeRefundId' | 'errorCode' | 'lastCheckedAt' | 'settledAt'>>;

/** Refund rows: insert, read and move between refund states. */
export interface RefundRepository {
  /**
   * Inserts a refund. Throws `StoreConflictError` with `constraint: 'refund_merchant_refund_id'` on a
   * reused merchant refund id, or `'refund_open_per_payment'` when the payment already has a refund in
   * `pending` or `confirmed` (of two concurrent inserts for one payment, exactly one succeeds).
   */
  insert(refund: RefundRecord): Promise<RefundRecord>;
  getById(id: string): Promise<RefundRecord | null>;
  getByMerchantRefundId(merchantRefundId: string): Promise<RefundRecord | null>;
  /** Compare-and-set on `state`, like `PaymentRepository.transition` (`audit` too). */
  transition(
    id: string,
    change: {
      from: readonly RefundRecordState[];
      to: RefundRecordState;
      patch?: RefundPatch;
      now: number;
      audit?: AuditEntryInput;
    },
  ): Promise<RefundRecord | null>;
  update(id: string, patch: RefundPatch, now: number): Promise<RefundRecord | null>;
  /** Refunds of one payment, oldest first. */
  listByPayment(paymentId: string): Promise<RefundRecord[]>;
  /** Sum of `amountPaise` of the payment's refunds that are not `failed` (what is refunded or may still be). */
  sumRefunded(paymentId: string): Promise<number>;
  /** Refunds in `states` created at or before `olderThan`, least recently checked first (as `PaymentRepository.listStale`). */
  listStale(query: { states: readonly RefundRecordState[]; olderThan: number; limit: number }): Promise<RefundRecord[]>;
}

/** Fields of a subscription that may change after insert. */
export type SubscriptionPatch = Partial<
  Omit<SubscriptionRecord, 'id' | 'workspaceId' | 'version' | 'createdAt' | 'updatedAt' | 'createdBy'>
>;

/** Subscription rows: one live subscription per workspace, read, insert and update with compare-and-set. */
export interface SubscriptionRepository {
  /** The workspace's live (`trialing`/`active`/`past_due`) subscription, if any. */
  getLive(workspaceId: string): Promise<SubscriptionRecord | null>;
  /** The workspace's most recent subscription in any status (live or ended), if any. */
  getLatest(workspaceId: string): Promise<SubscriptionRecord | null>;
  getById(id: string): Promise<SubscriptionRecord | null>;
  getByMerchantSubscriptionId(merchantSubscriptionId: string): Promise<SubscriptionRecord | null>;
  /**
   * The subscription whose mandate the gateway `gateway` knows as `gatewayMandateId` (`phonepeSubscriptionId`),
   * for events that name only the gateway's reference (Razorpay's `token.*`). The newest when several match.
   */
  getByGatewayMandateId(gateway: string, gatewayMandateId: string): Promise<SubscriptionRecord | null>;
  /**
   * Inserts a subscription (its `version` is stored as given, normally 1). Throws
   * `StoreConflictError` with `constraint: 'subscription_live_per_workspace'` when it is live and the
   * workspace already has a live one: of two concurrent inserts of live subscriptions for one
   * workspace, exactly one succeeds. `'subscription_merchant_subscription_id'` on a reused mandate id.
   * With `audit`, that entry is appended with the row, in the same step.
   */
  insert(subscription: SubscriptionRecord, options?: { audit?: AuditEntryInput }): Promise<SubscriptionRecord>;
  /**
   * Optimistic update: applies `patch` only if the stored `version` equals `expectedVersion`, then
   * increments `version` and sets `updatedAt = now`. Throws `StoreConflictError` with
   * `constraint: 'subscription_version'` otherwise (of two concurrent updates from the same version,
   * exactly one succeeds; also when no visible row has this id), or `'subscription_live_per_workspace'`
   * if the patch would make a second live subscription. With `audit`, that entry is appended with
   * the change, in the same step (nothing is appended when the update throws).
   */
  update(
    id: string,
    expectedVersion: number,
    patch: SubscriptionPatch,
    now: number,
    options?: { audit?: AuditEntryInput },
  ): Promise<SubscriptionRecord>;
  /** Live subscriptions with `nextActionAt <= now`, soonest first, at most `limit` (no claiming). */
  listDue(query: { now: number; limit: number }): Promise<SubscriptionRecord[]>;
}

/** Result of a usage increment. */
export type UsageIncrementResult =
  | { ok: true; used: number; duplicate: boolean }
  | { ok: false; used: number; limit: number };

/** Usage counters per workspace, metric and billing period. */
export interface UsageRepository {
  /**
   * Atomically adds `by` (a positive safe integer) to the workspace's counter for `metric` in the period
   * starting at `periodStart`, unless that would take it above `limit` (`null` = no limit); then it
   * changes nothing and returns `{ ok: false }` with the current value. Of concurrent callers, never
   * more succeed than the limit allows (50 increments of 1 against a limit of 30 → exactly 30 succeed).
   * With `usageKey`, the increment happens at most once per workspace and key: a repeat returns
   * `{ ok: true, duplicate: true }` with the current value and adds nothing.
   */
  increment(input: {
    workspaceId: string;
    metric: string;
    periodStart: number;
    by: number;
    limit: number | null;
    usageKey?: string;
    now: number;
  }): Promise<UsageIncrementResult>;
  /** Counters of one workspace for one period: metric → used (metrics never incremented are absent). */
  get(workspaceId: string, periodStart: number): Promise<Record<string, number>>;
}

/** Result of recording a webhook delivery. */
export interface WebhookRecordResult {
  /** True for exactly one of N concurrent calls with a new key. */
  firstSeen: boolean;
  /**
   * True when the key was seen before and its processing had `failed`: this call takes it over
   * (the row is set back to `received`; of N concurrent callers exactly one gets `retry: true`).
   */
  retry: boolean;
  record: WebhookEventRecord;
}

/**
 * Webhook deliveries. A delivery is recorded before its workspace is known (`workspaceId` null), so
 * `record` needs the system scope (`StoreScopeError` otherwise); under a workspace scope only events
 * already matched to that workspace are visible.
 */
export interface WebhookEventRepository {
  /**
   * Records a delivery under its dedupe key. The first call for a key inserts it (`firstSeen: true`,
   * `attempts: 1`); later calls increment `duplicateCount` and return `firstSeen: false`. A stored
   * `failed` or `unapplied` event is taken over by exactly one later call (`retry: true`, status back to
   * `received`, `attempts` incremented).
   */
  record(input: {
    dedupeKey: string;
    event: string;
    subjectId: string | null;
    /** The gateway that sent it. @default 'phonepe' */
    gateway?: string;
    payload: unknown;
    now: number;
  }): Promise<WebhookRecordResult>;
  /**
   * Sets the status (`processed` with `outcome`, or `failed` with `error`) and `processedAt = now`, and
   * fills `workspaceId` when given (null keeps the stored one). Does nothing for an unknown key.
   */
  markProcessed(dedupeKey: string, result: { workspaceId: string | null; outcome: string; now: number }): Promise<void>;
  markFailed(dedupeKey: string, result: { workspaceId: string | null; error: string; now: number }): Promise<void>;
  /**
   * Sets the status `unapplied` with `outcome` (why it changed nothing) and `processedAt = now`. Like a
   * `failed` event, the next delivery of the key takes it over (`retry: true`): an event that was
   * refused, contradicted or premature must not make the genuine one that comes later a duplicate.
   */
  markUnapplied(dedupeKey: string, result: { workspaceId: string | null; outcome: string; now: number }): Promise<void>;
  get(dedupeKey: string): Promise<WebhookEventRecord | null>;
  /**
   * Retention: how many finished events (not `received`, i.e. not being processed) received before `before`
   * still hold their raw payload.
   */
  countPurgeablePayloads(before: number): Promise<number>;
  /**
   * Retention: drops the raw payload (to JSON `null`) of up to `limit` of those events, oldest first, and
   * answers how many. The rows stay: their dedupe key, status and outcome still answer late redeliveries.
   */
  purgePayloads(before: number, limit: number): Promise<number>;
}

/** Claims on due subscriptions, so concurrent renewal workers never take the same one. */
export interface RenewalClaims {
  /**
   * Claims up to `limit` live subscriptions with `nextActionAt <= now` that are unclaimed or whose
   * claim expired, for `workerId`, until `now + leaseMs`. Of several workers (on several
   * connections or machines) claiming at once, no subscription is claimed by two while a lease
   * holds. On PostgreSQL this is `FOR UPDATE SKIP LOCKED`.
   */
  claimDue(query: { now: number; limit: number; workerId: string; leaseMs: number }): Promise<SubscriptionRecord[]>;
  /** Drops the claim if `workerId` still holds it. */
  release(subscriptionId: string, workerId: string): Promise<void>;
  /**
   * Ends a worker's step on a subscription in one step: stores when it is due next and drops the
   * claim if `workerId` still holds it (as `release`). `nextActionAt` is stored only while the
   * subscription is live; when its stored time is no longer the `claimedAt` the worker saw (settlement
   * rescheduled it meanwhile), the earlier of the two wins; `null` leaves it as it is. A changed time
   * bumps `version` and sets `updatedAt = now`, like `SubscriptionRepository.update`. Returns the
   * stored time (`null` also for a row that is not there).
   */
  finish(input: {
    subscriptionId: string;
    workerId: string;
    nextActionAt: number | null;
    claimedAt: number | null;
    now: number;
  }): Promise<number | null>;
}

/** A billing event to write to the outbox (`OutboxRepository.append`). */
export interface OutboxAppendInput {
  /** The event id (unique; hosts dedupe on it). */
  id: string;
  /** The workspace the event is about; `null` (system events) needs the system scope. */
  workspaceId: string | null;
  /** The hook's name: 1–64 ASCII letters. */
  event: string;
  /** The hook's event as a JSON object. */
  payload: Record<string, unknown>;
  now: number;
}

/** How a delivery attempt ended (`OutboxRepository.finish`). */
export type OutboxAttemptOutcome =
  /** The hook returned: the event is `delivered`. */
  | { delivered: true }
  /** The hook failed: pending again from `retryAt`, or `dead` when `retryAt` is null. `error` is stored as `lastError`. */
  | { delivered: false; error: string; retryAt: number | null };

/** Counts of the outbox for operators (`phonepe-billing events`, metrics). */
export interface OutboxCounts {
  pending: number;
  /** Pending events whose next attempt is due at `now`. */
  due: number;
  dead: number;
  delivered: number;
  /** `createdAt` of the oldest pending event (the outbox's lag), or `null`. */
  oldestPendingAt: number | null;
}

/**
 * The transactional outbox of billing events (`billing_outbox`). Events are appended inside the
 * transaction of the change they report, so they commit or roll back with it. Delivery claims events
 * with a lease, so that several processes never deliver one event at once, in order per workspace.
 */
export interface OutboxRepository {
  /**
   * Appends events as `pending`, due at `now`, with `attempts: 0`, in the given order: each gets a
   * `sequence` greater than every event committed before (and than the earlier ones of this call).
   * An event of another workspace than the scope's, or of none under a workspace scope, throws
   * `StoreScopeError`; a reused id, `StoreConflictError` (`'primary_key'`).
   */
  append(events: readonly OutboxAppendInput[]): Promise<OutboxEventRecord[]>;
  /**
   * Claims up to `limit` pending events due at `now` (`nextAttemptAt <= now`) whose lease is free or
   * ended, for `workerId` until `now + leaseMs`, adding one to their `attempts`; returns them in
   * `sequence` order. With `ids` and/or `workspaceIds`, only those events and the events of those
   * workspaces are candidates. An event with a workspace is
   * claimed only together with (after, in the same claim) every older pending event of its workspace:
   * never while an older one of its workspace is pending and not claimed here (not due, leased by
   * another, or beyond `limit`). Events without a workspace are not ordered. Of several processes
   * claiming at once, no event is claimed by two while a lease holds; on PostgreSQL this is
   * `FOR UPDATE SKIP LOCKED`.
   */
  claim(query: {
    now: number;
    limit: number;
    workerId: string;
    leaseMs: number;
    ids?: readonly string[];
    workspaceIds?: readonly string[];
  }): Promise<OutboxEventRecord[]>;
  /**
   * Records how the attempt of `workerId` ended and drops its lease, if `workerId` still holds the
   * event's lease and the event is pending; returns the event as stored then, or `null` (nothing
   * changed: the lease was lost, or the id is unknown).
   */
  finish(input: {
    id: string;
    workerId: string;
    now: number;
    outcome: OutboxAttemptOutcome;
  }): Promise<OutboxEventRecord | null>;
  /**
   * Gives a claimed event back without counting its attempt (`attempts - 1`, lease dropped), if
   * `workerId` holds it: an event not tried because an older one of its workspace failed first.
   */
  release(id: string, workerId: string): Promise<void>;
  /**
   * Extends to `lockedUntil` the lease of those of `ids` that `workerId` still holds and that are
   * pending; returns how many. A dispatcher renews while a hook runs, so that a hook slower than the
   * lease is not claimed and delivered by another process at the same time.
   */
  renew(query: { ids: readonly string[]; workerId: string; lockedUntil: number }): Promise<number>;
  get(id: string): Promise<OutboxEventRecord | null>;
  /** Dead events, most recently written first, at most `limit`. */
  listDead(query: { limit: number }): Promise<OutboxEventRecord[]>;
  /**
   * Makes a dead event pending again (due at `now`, `attempts: 0`, no lease, `lastError` kept); returns
   * it, or `null` when there is no such event or it is not dead.
   */
  replay(id: string, now: number): Promise<OutboxEventRecord | null>;
  counts(query: { now: number }): Promise<OutboxCounts>;
  /** Retention: how many `delivered` events were delivered before `before`. */
  countPurgeable(before: number): Promise<number>;
  /** Retention: deletes up to `limit` of those, oldest first, and answers how many. Pending and dead events stay. */
  purgeDelivered(before: number, limit: number): Promise<number>;
}

/** An audit entry to append; without `id` the store makes one. */
export type AuditEntryInput = Omit<AuditRecord, 'id'> & { id?: string };

/** The audit trail of a workspace: append-only entries of who changed what and why. */
export interface AuditLog {
  append(entry: AuditEntryInput): Promise<AuditRecord>;
  /** A workspace's audit rows, newest first. */
  listByWorkspace(workspaceId: string, query: { limit: number; before?: number }): Promise<AuditRecord[]>;
}

/** Aggregates for `SubscriptionManager.metrics`, over rows whose relevant time is in `[from, to)`. */
export interface MetricsQueries {
  /** Payments settled in the range (by `settledAt`): counts per terminal state, revenue, settle latency. */
  payments(range: { from: number; to: number }): Promise<{
    completed: number;
    failed: number;
    expired: number;
    revenuePaise: number;
    /** Sum and count of `settledAt - firstSignalAt` over settled payments that had a signal. */
    settleLatencyMsTotal: number;
    settleLatencyCount: number;
  }>;
  /** Refunds completed in the range (by `settledAt`). */
  refunds(range: { from: number; to: number }): Promise<{ completed: number; refundedPaise: number }>;
  /** Subscriptions created / cancelled (`cancelledAt`) / ended (`endedAt`, status `expired` or `cancelled`) in the range. */
  subscriptions(range: {
    from: number;
    to: number;
  }): Promise<{ created: number; cancelled: number; ended: number; expired: number }>;
  /** Webhooks received in the range (`receivedAt`), their duplicates, and those whose processing failed. */
  webhooks(range: { from: number; to: number }): Promise<{ received: number; duplicates: number; failed: number }>;
  /**
   * Rows counted now, for the gauges a metrics scrape reads: one statement, on indexed columns where the
   * table grows with traffic (open payments and refunds by state) and over the subscriptions table, which
   * has about one row per workspace.
   */
  snapshot(): Promise<StoreSnapshot>;
}

/** What `MetricsQueries.snapshot` counts: rows in each open state, subscriptions by status, the oldest open payment. */
export interface StoreSnapshot {
  payments: Record<(typeof OPEN_PAYMENT_STATES)[number], number>;
  refunds: { pending: number; confirmed: number };
  subscriptions: Record<SubscriptionRecordStatus, number>;
  /** When the oldest open payment was created (epoch ms); `null` when none is open. */
  oldestOpenPaymentAt: number | null;
  /** Outbox events waiting for delivery (`pending`) and given up (`dead`). */
  outbox: { pending: number; dead: number };
  /** When the oldest undelivered (`pending`) outbox event was written (epoch ms); `null` when none waits. */
  oldestPendingEventAt: number | null;
}

/**
 * A range of whole UTC days, as day numbers (days since 1970-01-01 UTC, `floor(epochMs / 86_400_000)`):
 * `fromDay` included, `toDay` excluded.
 */
export interface DayRange {
  fromDay: number;
  toDay: number;
}

/** Settle-time percentiles (`settledAt - firstSignalAt`, ms) over settled payments that had a signal. */
export interface SettleLatency {
  count: number;
  /** Nearest rank: the value at position ceil(p × count) of the sorted times; `null` when `count` is 0. */
  p50Ms: number | null;
  p95Ms: number | null;
}

/**
 * Aggregates per UTC day for `SubscriptionManager.report` / `usageReport` and the operator dashboard.
 * Every method returns only days (or periods) that have rows, ordered by day (then key); the caller
 * fills the rest with zeros. Rows of other workspaces are invisible under a workspace scope, as everywhere.
 */
export interface ReportQueries {
  /** Payments by the day they settled (`settledAt`): terminal states and completed revenue. */
  payments(
    days: DayRange,
  ): Promise<Array<{ day: number; completed: number; failed: number; expired: number; grossPaise: number }>>;
  /** Settle-time percentiles per settle day, and over the whole range. */
  settleLatency(days: DayRange): Promise<{ byDay: Array<SettleLatency & { day: number }>; total: SettleLatency }>;
  /** Completed refunds by the day they completed (`settledAt`). */
  refunds(days: DayRange): Promise<Array<{ day: number; completed: number; refundedPaise: number }>>;
  /**
   * Subscriptions created, cancelled (`cancelledAt`) and ended (`endedAt` of a `cancelled` or `expired` row)
   * per day.
   */
  subscriptions(days: DayRange): Promise<Array<{ day: number; created: number; cancelled: number; ended: number }>>;
  /**
   * Subscriptions paying at the end of each day, per plan: created before the day's end, not ended by then
   * (`endedAt`, or `updatedAt` of a `cancelled`/`expired` row without one), and not `trialing` now.
   * Reconstructed from the rows as they are now: the store keeps no status or plan history.
   */
  payingPlans(days: DayRange): Promise<Array<{ day: number; planId: string; subscriptions: number }>>;
  /**
   * Webhook deliveries by the day they were first received: `processed`, `failed`, still `received`,
   * and the `unapplied` ones split by their outcome (`ignored`, `refused`, `unconfirmed`); `duplicates`
   * is the sum of later copies of those deliveries.
   */
  webhooks(days: DayRange): Promise<
    Array<{
      day: number;
      received: number;
      processed: number;
      duplicates: number;
      ignored: number;
      refused: number;
      unconfirmed: number;
      failed: number;
      pending: number;
    }>
  >;
  /**
   * One workspace's keyed usage (`subscription_usage_events`: only increments recorded with a usage key
   * have a row and a time) per day it was recorded (`createdAt`) and metric.
   */
  usageByDay(workspaceId: string, days: DayRange): Promise<Array<{ day: number; metric: string; quantity: number }>>;
  /**
   * One workspace's usage counters for periods starting in `[from, to)` (epoch ms), per period and metric,
   * with `keyed`: the part of `used` recorded with a usage key (the rest has no recorded time).
   */
  usageByPeriod(
    workspaceId: string,
    range: { from: number; to: number },
  ): Promise<Array<{ periodStart: number; metric: string; used: number; keyed: number }>>;
  /** `past_due` subscriptions, the longest unpaid first (`currentPeriodEnd`, then id), at most `limit`. */
  pastDue(query: { limit: number }): Promise<SubscriptionRecord[]>;
  /** Webhook events whose processing `failed`, newest first (`receivedAt`), at most `limit`; `payload` left out (null). */
  failedWebhooks(query: { limit: number }): Promise<WebhookEventRecord[]>;
}
