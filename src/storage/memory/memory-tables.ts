import type { IdGenerator } from '../../common/id-generator.js';
import { conflictMessage, StoreConflictError, type StoreConstraint } from '../errors.js';
import {
  type AuditRecord,
  isLive,
  type OutboxEventRecord,
  type PaymentRecord,
  type PlanRecord,
  type RefundRecord,
  type SubscriptionRecord,
  type WebhookEventRecord,
} from '../records.js';

/**
 * The undo log of one memory-store transaction: every write records how to take itself back, and
 * a rollback replays those in reverse. Cost is proportional to what the transaction wrote, not to
 * the size of the store.
 *
 * @example
 * const journal = new MemoryJournal();
 * journal.record(() => rows.delete(id));
 * journal.rollback();
 */
export class MemoryJournal {
  readonly #undo: Array<() => void> = [];

  record(undo: () => void): void {
    this.#undo.push(undo);
  }

  rollback(): void {
    for (let i = this.#undo.length - 1; i >= 0; i -= 1) this.#undo[i]!();
    this.#undo.length = 0;
  }
}

/** A unique rule of a memory table; `key` returns null for rows the rule does not cover (a partial index). */
export interface UniqueIndex<T> {
  readonly constraint: StoreConstraint;
  key(row: T): string | null;
}

/**
 * One table of the memory store: rows by primary key plus unique indexes named like the SQL ones.
 * Stored rows are JSON copies (as PostgreSQL's jsonb would store them) and deeply frozen; callers
 * get copies, so nothing outside the store can change what is stored.
 *
 * @example
 * const table = new MemoryTable<PlanRecord>('plans', (plan) => plan.id);
 */
export class MemoryTable<T extends object> {
  readonly #rows = new Map<string, T>();
  readonly #indexes: Array<{ index: UniqueIndex<T>; holders: Map<string, string> }>;

  constructor(
    readonly name: string,
    private readonly primaryKey: (row: T) => string,
    indexes: readonly UniqueIndex<T>[] = [],
  ) {
    this.#indexes = indexes.map((index) => ({ index, holders: new Map() }));
  }

  get(id: string): T | undefined {
    return this.#rows.get(id);
  }

  findUnique(constraint: StoreConstraint, key: string): T | undefined {
    const id = this.#indexes.find(({ index }) => index.constraint === constraint)?.holders.get(key);
    return id === undefined ? undefined : this.#rows.get(id);
  }

  rows(): T[] {
    return [...this.#rows.values()];
  }

  /** Inserts a new row; `StoreConflictError` if its id or a unique key is taken. */
  insert(row: T, journal: MemoryJournal, operation: string): T {
    if (this.#rows.has(this.primaryKey(row))) this.#conflict(operation, 'primary_key', row);
    return this.#write(row, journal, operation);
  }

  /** Writes a new version of a row (or a new row); `StoreConflictError` if a unique key is taken by another row. */
  put(row: T, journal: MemoryJournal, operation: string): T {
    return this.#write(row, journal, operation);
  }

  #write(row: T, journal: MemoryJournal, operation: string): T {
    const id = this.primaryKey(row);
    for (const { index, holders } of this.#indexes) {
      const key = index.key(row);
      const holder = key === null ? undefined : holders.get(key);
      if (holder !== undefined && holder !== id) this.#conflict(operation, index.constraint, row);
    }
    const previous = this.#rows.get(id);
    const stored = deepFreeze(JSON.parse(JSON.stringify(row)) as T);
    journal.record(() => this.#set(id, previous));
    this.#set(id, stored);
    return stored;
  }

  /** Removes a row (undone with the transaction). */
  delete(id: string, journal: MemoryJournal): void {
    const previous = this.#rows.get(id);
    if (!previous) return;
    journal.record(() => this.#set(id, previous));
    this.#set(id, undefined);
  }

  #set(id: string, row: T | undefined): void {
    const old = this.#rows.get(id);
    if (old) {
      for (const { index, holders } of this.#indexes) {
        const key = index.key(old);
        if (key !== null && holders.get(key) === id) holders.delete(key);
      }
    }
    if (row === undefined) {
      this.#rows.delete(id);
      return;
    }
    this.#rows.set(id, row);
    for (const { index, holders } of this.#indexes) {
      const key = index.key(row);
      if (key !== null) holders.set(key, id);
    }
  }

  #conflict(operation: string, constraint: StoreConstraint, row: T): never {
    throw new StoreConflictError(constraint, conflictMessage(operation, constraint, this.primaryKey(row)));
  }
}

function deepFreeze<V>(value: V): V {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** A usage counter (`subscription_usage`). */
export interface UsageCounterRow {
  workspaceId: string;
  metric: string;
  periodStart: number;
  used: number;
  updatedAt: number;
}

/** A usage key already spent (`subscription_usage_events`). */
export interface UsageKeyRow {
  workspaceId: string;
  usageKey: string;
  metric: string;
  periodStart: number;
  amount: number;
  createdAt: number;
}

const key = (...parts: Array<string | number>): string => JSON.stringify(parts);

/**
 * The memory store's tables, with the same unique rules (and constraint names) as migrations/001.
 *
 * @example
 * const tables = createMemoryTables();
 */
export function createMemoryTables() {
  return {
    plans: new MemoryTable<PlanRecord>('plans', (plan) => plan.id),
    payments: new MemoryTable<PaymentRecord>('payment_transactions', (p) => p.id, [
      { constraint: 'payment_merchant_order_id', key: (p) => p.merchantOrderId },
      {
        constraint: 'payment_idempotency_key',
        key: (p) => (p.idempotencyKey === null ? null : key(p.workspaceId, p.idempotencyKey)),
      },
    ]),
    refunds: new MemoryTable<RefundRecord>('payment_refunds', (r) => r.id, [
      { constraint: 'refund_merchant_refund_id', key: (r) => r.merchantRefundId },
      {
        constraint: 'refund_open_per_payment',
        key: (r) => (r.state === 'pending' || r.state === 'confirmed' ? r.paymentId : null),
      },
    ]),
    subscriptions: new MemoryTable<SubscriptionRecord>('subscriptions', (s) => s.id, [
      { constraint: 'subscription_live_per_workspace', key: (s) => (isLive(s) ? s.workspaceId : null) },
      { constraint: 'subscription_merchant_subscription_id', key: (s) => s.merchantSubscriptionId },
    ]),
    usage: new MemoryTable<UsageCounterRow>('subscription_usage', (u) => key(u.workspaceId, u.metric, u.periodStart)),
    usageKeys: new MemoryTable<UsageKeyRow>('subscription_usage_events', (k) => key(k.workspaceId, k.usageKey)),
    webhookEvents: new MemoryTable<WebhookEventRecord>('webhook_events', (e) => e.dedupeKey),
    audit: new MemoryTable<AuditRecord>('billing_audit_log', (a) => a.id),
    outbox: new MemoryTable<OutboxEventRecord>('billing_outbox', (e) => e.id),
    /** The next `sequence` of the outbox (like PostgreSQL's, never given back on rollback). */
    outboxSequence: { next: 1 },
  };
}

/** The memory store's tables, as {@link createMemoryTables} makes them. */
export type MemoryTables = ReturnType<typeof createMemoryTables>;

/** Key of a usage counter row (for `MemoryTable.get`). */
export const usageCounterKey = (workspaceId: string, metric: string, periodStart: number): string =>
  key(workspaceId, metric, periodStart);

/** Key of a spent usage key (for `MemoryTable.get`). */
export const usageKeyKey = (workspaceId: string, usageKey: string): string => key(workspaceId, usageKey);

// The orderings of the list queries, written once so the memory store sorts exactly as the SQL
// does (`order by …, id collate "C"`: ties broken by id in code-unit order).

interface Timed {
  id: string;
  createdAt: number;
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Oldest first, ties by id. */
export function oldestFirst(a: Timed, b: Timed): number {
  return a.createdAt - b.createdAt || compareText(a.id, b.id);
}

/** Newest first, ties by id descending. */
export function newestFirst(a: Timed, b: Timed): number {
  return b.createdAt - a.createdAt || compareText(b.id, a.id);
}

/** Never checked first, then least recently checked, then oldest (`listStale`). */
export function leastRecentlyChecked(
  a: Timed & { lastCheckedAt: number | null },
  b: Timed & { lastCheckedAt: number | null },
): number {
  if (a.lastCheckedAt !== b.lastCheckedAt) {
    if (a.lastCheckedAt === null) return -1;
    if (b.lastCheckedAt === null) return 1;
    return a.lastCheckedAt - b.lastCheckedAt;
  }
  return oldestFirst(a, b);
}

/** Soonest `nextActionAt` first (`listDue`, `claimDue`). */
export function soonestDue(
  a: { id: string; nextActionAt: number | null },
  b: { id: string; nextActionAt: number | null },
): number {
  return (a.nextActionAt ?? 0) - (b.nextActionAt ?? 0) || compareText(a.id, b.id);
}

/** What each memory repository works on inside one transaction. */
export interface MemoryContext {
  readonly tables: MemoryTables;
  readonly journal: MemoryJournal;
  /** The scope's workspace; `null` under the system scope. */
  readonly workspace: string | null;
  readonly ids: IdGenerator;
}

/** A copy for the caller: stored rows are frozen and shared, callers get their own. */
export function copyOut<T>(row: T): T {
  return structuredClone(row);
}
