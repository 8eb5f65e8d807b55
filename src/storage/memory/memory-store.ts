import { createMemoryReports } from './memory-reports.js';
import { type AssertTrue, parseOptions, type SchemaMatches } from '../../common/invalid-options.js';
import { z } from 'zod';
import { defaultIdGenerator, type IdGenerator } from '../../common/id-generator.js';
import type {
  BillingStore,
  BillingTransaction,
  StoreScope,
  UsageMeterRequest,
  UsageMeterResult,
} from '../billing-store.js';
import { scopeWorkspaceId } from '../scope-rules.js';
import { TransactionGuard } from '../transaction-guard.js';
import { checkStorableArguments, parseStoreInput, usageMeterRequestSchema } from '../validation.js';
import {
  createMemoryAudit,
  createMemoryMetrics,
  createMemoryPayments,
  createMemoryPlans,
  createMemoryRefunds,
  createMemoryRenewals,
  createMemorySubscriptions,
  createMemoryUsage,
  createMemoryWebhookEvents,
  meterMemoryUsage,
} from './memory-repositories.js';
import { createMemoryOutbox } from './memory-outbox.js';
import { createMemoryTables, type MemoryContext, MemoryJournal } from './memory-tables.js';

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /** Makes ids for audit entries appended without one. @default defaultIdGenerator */
  ids?: IdGenerator;
}

const optionsSchema = z.strictObject({
  ids: z
    .custom<IdGenerator>((value) => typeof value === 'function', 'expected a function (prefix) => string')
    .optional(),
});

/**
 * A `BillingStore` that keeps everything in this process's memory: the embedded default for quick
 * starts and unit tests. It gives every guarantee of the port within one process — transactions
 * run one at a time (a promise-chain mutex), a throw rolls back every write (an undo log), the
 * unique rules and their constraint names match the SQL schema, and the scope rules match
 * PostgreSQL's row-level security. Records are copied in and out, so callers cannot change stored
 * state by mutating an object. Data is lost when the process exits.
 *
 * @example
 * import { MemoryStore } from 'phonepe-billing';
 * const store = new MemoryStore();
 * await store.transaction({ system: true }, (tx) => tx.plans.upsert(plan));
 * const live = await store.transaction({ workspaceId: 'ws_1' }, (tx) => tx.subscriptions.getLive('ws_1'));
 */
export class MemoryStore implements BillingStore {
  readonly #tables = createMemoryTables();
  readonly #ids: IdGenerator;
  #tail: Promise<unknown> = Promise.resolve();

  constructor(options: MemoryStoreOptions = {}) {
    this.#ids = parseOptions(optionsSchema, options, 'MemoryStore').ids ?? defaultIdGenerator;
  }

  async transaction<T>(scope: StoreScope, fn: (tx: BillingTransaction) => Promise<T>): Promise<T> {
    return this.#queue(scopeWorkspaceId(scope), (context, guard) => fn(createMemoryTransaction(context, guard)));
  }

  async meterUsage(request: UsageMeterRequest): Promise<UsageMeterResult> {
    checkStorableArguments('meterUsage', [request]);
    const parsed = parseStoreInput(usageMeterRequestSchema, request, 'meterUsage');
    return this.#queue(scopeWorkspaceId({ workspaceId: parsed.workspaceId }), (context) =>
      meterMemoryUsage(context, parsed),
    );
  }

  #queue<T>(workspace: string | null, fn: (context: MemoryContext, guard: TransactionGuard) => Promise<T>): Promise<T> {
    // Queued synchronously (before any await), so transactions run in call order.
    const run = this.#tail.then(() => this.#run(workspace, fn));
    this.#tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Nothing to release: the data lives as long as this object. */
  async close(): Promise<void> {}

  async #run<T>(
    workspace: string | null,
    fn: (context: MemoryContext, guard: TransactionGuard) => Promise<T>,
  ): Promise<T> {
    const journal = new MemoryJournal();
    const guard = new TransactionGuard();
    const context: MemoryContext = { tables: this.#tables, journal, workspace, ids: this.#ids };
    try {
      const result = await fn(context, guard);
      guard.throwIfDoomed();
      return result;
    } catch (error) {
      journal.rollback();
      throw error;
    } finally {
      guard.end();
    }
  }
}

function createMemoryTransaction(context: MemoryContext, guard: TransactionGuard): BillingTransaction {
  return guard.wrapTransaction({
    plans: createMemoryPlans(context),
    payments: createMemoryPayments(context),
    refunds: createMemoryRefunds(context),
    subscriptions: createMemorySubscriptions(context),
    usage: createMemoryUsage(context),
    webhookEvents: createMemoryWebhookEvents(context),
    renewals: createMemoryRenewals(context),
    audit: createMemoryAudit(context),
    metrics: createMemoryMetrics(context),
    outbox: createMemoryOutbox(context),
    reports: createMemoryReports(context),
  });
}

// The compiler keeps the interface and its schema in step (an option added to one only fails the build).
// biome-ignore lint/correctness/noUnusedVariables: a compile-time check, never used at runtime
type OptionsTiedToSchema = AssertTrue<SchemaMatches<typeof optionsSchema, MemoryStoreOptions>>;
