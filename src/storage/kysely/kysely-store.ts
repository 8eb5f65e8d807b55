import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { defaultIdGenerator, type IdGenerator } from '../../common/id-generator.js';
import { type AssertTrue, parseOptions, type SchemaMatches } from '../../common/invalid-options.js';
import { type Logger, silentLogger } from '../../common/logger.js';
import type {
  BillingStore,
  BillingTransaction,
  StoreScope,
  UsageMeterRequest,
  UsageMeterResult,
} from '../billing-store.js';
import { StoreUnavailableError } from '../errors.js';
import { scopeWorkspaceId } from '../scope-rules.js';
import { TransactionGuard } from '../transaction-guard.js';
import { checkStorableArguments, parseStoreInput, usageMeterRequestSchema } from '../validation.js';
import { beginDeferred, beginScoped, isDeferredPrivilegeError, scopeStatement } from './apply-scope.js';
import { mapPgError } from './errors.js';
import { createKyselyAudit, createKyselyMetrics } from './kysely-audit.js';
import { createKyselyOutbox } from './kysely-outbox.js';
import { createKyselyReports } from './kysely-reports.js';
import { createKyselyPayments, createKyselyRefunds } from './kysely-payments.js';
import {
  createKyselyPlans,
  createKyselyRenewals,
  createKyselySubscriptions,
  createKyselyUsage,
  meterBatch,
  meterQuery,
  meterResult,
  type MeterRow,
  releaseUsageKey,
  usageCounterQuery,
} from './kysely-subscriptions.js';
import { type BillingDatabase, type KyselyContext, toSafeInteger } from './kysely-tables.js';
import { createKyselyWebhookEvents } from './kysely-webhook-events.js';
import { inlineParameters, isBatchRefused, runsStatementBatches } from './statement-batches.js';

/**
 * The `tx` handed to a `KyselyStore.transaction` callback: every repository on one database
 * transaction, each operation guarded (pg errors mapped, a failure dooms the transaction).
 *
 * @example
 * const tx = createKyselyTransaction({ trx, workspace: null, ids }, guard);
 */
export function createKyselyTransaction(context: KyselyContext, guard: TransactionGuard): BillingTransaction {
  return guard.wrapTransaction({
    plans: createKyselyPlans(context),
    payments: createKyselyPayments(context),
    refunds: createKyselyRefunds(context),
    subscriptions: createKyselySubscriptions(context),
    usage: createKyselyUsage(context),
    webhookEvents: createKyselyWebhookEvents(context),
    renewals: createKyselyRenewals(context),
    audit: createKyselyAudit(context),
    metrics: createKyselyMetrics(context),
    outbox: createKyselyOutbox(context),
    reports: createKyselyReports(context),
  });
}

/** Options of {@link KyselyStore}. */
export interface KyselyStoreOptions {
  /**
   * The host's Kysely instance over PostgreSQL (a `PostgresDialect` with a pg or PGlite pool), with
   * the schema of `migrateToLatest` applied. Its own type does not matter (`Kysely<any>`). The
   * tables are looked up on the connection's `search_path` (normally `public`).
   */
  db: Kysely<any>;
  /**
   * The Kysely instance for `{ system: true }` transactions (webhooks, reconciliation, renewals,
   * plan sync, metrics), connected as a member of the `phonepe_billing_system` role; `db` then
   * serves workspace scopes only and can use a role that may never see another workspace. Without
   * it, system scopes run on `db`, whose role must then be a member (or a superuser / BYPASSRLS).
   * A system-scope transaction on a role without that privilege throws `StorePrivilegeError`.
   * @default db
   */
  systemDb?: Kysely<any>;
  /** Receives connection and rollback diagnostics (never row data). @default silentLogger */
  logger?: Logger;
  /** Makes ids for audit entries appended without one. @default defaultIdGenerator */
  ids?: IdGenerator;
  /**
   * Runs once in `close()`. `createPgStore` / `createPgliteStore` use it to end the pools and
   * database they created; leave it out for a host-owned `db` / `systemDb` (then `close()` releases nothing).
   */
  onClose?: () => Promise<void>;
}

const isFunction = (value: unknown) => typeof value === 'function';
const isKysely = (value: unknown) => !!value && isFunction((value as { transaction?: unknown }).transaction);
const optionsSchema = z.strictObject({
  db: z.custom<Kysely<any>>(isKysely, 'expected a Kysely instance'),
  systemDb: z.custom<Kysely<any>>(isKysely, 'expected a Kysely instance').optional(),
  logger: z
    .custom<Logger>((value) => !!value && isFunction((value as Logger).error), 'expected a pino-shaped logger')
    .optional(),
  ids: z.custom<IdGenerator>(isFunction, 'expected a function (prefix) => string').optional(),
  onClose: z.custom<() => Promise<void>>(isFunction, 'expected a function').optional(),
});

/**
 * A `BillingStore` on PostgreSQL (or PGlite) through Kysely. Each `transaction` is one database
 * transaction that first sets its scope with `SET LOCAL` (`set_config(…, true)`, bound
 * parameters): `app.workspace_id` for a workspace scope, `app.billing_system = 'on'` for the system
 * scope, which the row-level-security policies of migrations/002-003 read. System mode is honoured
 * only for members of `phonepe_billing_system`, so system scopes run on `systemDb` when given (a
 * worker role that is a member) and workspace scopes on `db` (an app role that is not). The same
 * scope rules are applied in the queries too, so they also hold on a superuser connection and on
 * PGlite. Driver errors become `StoreConflictError` / `StoreScopeError` / `StoreUnavailableError`;
 * a system scope on a role without the privilege is a `StorePrivilegeError`.
 *
 * @example
 * import { Kysely, PostgresDialect } from 'kysely';
 * import pg from 'pg';
 * import { KyselyStore } from 'phonepe-billing/kysely';
 * const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: appUrl }) }) });
 * const systemDb = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: workerUrl }) }) });
 * const store = new KyselyStore({ db, systemDb });
 * await store.transaction({ workspaceId: 'ws_1' }, (tx) => tx.subscriptions.getLive('ws_1'));
 */
export class KyselyStore implements BillingStore {
  /** The Kysely instance the store runs on (for the host's own queries and for tests). */
  readonly db: Kysely<any>;
  /** The Kysely instance system-scope transactions run on (`db` unless `systemDb` was given). */
  readonly systemDb: Kysely<any>;
  readonly #logger: Logger;
  readonly #ids: IdGenerator;
  readonly #onClose: (() => Promise<void>) | undefined;
  #closing: Promise<void> | null = null;
  readonly #batchesRefused = new WeakSet<Kysely<any>>();
  readonly #batchesProven = new WeakSet<Kysely<any>>();
  readonly #systemVerified = new WeakSet<Kysely<any>>();

  constructor(options: KyselyStoreOptions) {
    const parsed = parseOptions(optionsSchema, options, 'KyselyStore');
    this.db = parsed.db;
    this.systemDb = parsed.systemDb ?? parsed.db;
    this.#logger = parsed.logger ?? silentLogger;
    this.#ids = parsed.ids ?? defaultIdGenerator;
    this.#onClose = parsed.onClose;
  }

  async transaction<T>(scope: StoreScope, fn: (tx: BillingTransaction) => Promise<T>): Promise<T> {
    const workspace = scopeWorkspaceId(scope);
    const guard = new TransactionGuard(mapPgError);
    try {
      return await this.#framed(workspace, async (conn) => {
        const result = await fn(createKyselyTransaction({ trx: conn, workspace, ids: this.#ids }, guard));
        guard.throwIfDoomed();
        return result;
      });
    } finally {
      guard.end();
    }
  }

  async meterUsage(input: UsageMeterRequest): Promise<UsageMeterResult> {
    checkStorableArguments('meterUsage', [input]);
    const request = parseStoreInput(usageMeterRequestSchema, input, 'meterUsage');
    // Checks the id as any scope is checked (a NUL or lone surrogate is a StoreInputError).
    const workspace = scopeWorkspaceId({ workspaceId: request.workspaceId }) as string;
    // Without a usage key: the scope and the statement as one statement batch, one implicit transaction.
    if ((request.mode === 'check' || request.usageKey === undefined) && this.#batches(this.db)) {
      if (this.#closing)
        throw new StoreUnavailableError('This KyselyStore was closed; create a new store to reach the database again.');
      const scope = scopeStatement(workspace);
      const run = async <R>(text: string): Promise<R | undefined> => (await sql.raw<R>(text).execute(this.db)).rows[0];
      try {
        const row = await run<MeterRow>(meterBatch(scope, request));
        return await meterResult(request, row, async (periodStart) => {
          const counter = usageCounterQuery(request, periodStart);
          return toCount(
            (await run<{ used: unknown }>(`${scope}; ${inlineParameters(counter.sql, counter.parameters) as string}`))
              ?.used,
          );
        });
      } catch (error) {
        if (!isBatchRefused(error)) throw this.#mapped(error);
        this.#batchesRefused.add(this.db);
      }
    }
    // A usage key whose increment the limit refused is given back in the same transaction.
    return this.#framed(workspace, async (conn) => {
      try {
        const row = (await conn.executeQuery(meterQuery(request))).rows[0];
        if (request.usageKey !== undefined && row?.claimed && row.used === null) await releaseUsageKey(conn, request);
        return await meterResult(request, row, async (periodStart) =>
          toCount((await conn.executeQuery(usageCounterQuery(request, periodStart))).rows[0]?.used),
        );
      } catch (error) {
        throw mapPgError(error);
      }
    });
  }

  /**
   * Runs `body` in one READ COMMITTED transaction on one connection under the scope of `workspace`
   * (null: system), framed by hand rather than with db.transaction(): the BEGIN and the scope then
   * travel as one statement batch where the pool allows it (see statement-batches.ts). `body`'s own
   * error is rethrown unchanged; errors of BEGIN / set_config / COMMIT are mapped.
   */
  async #framed<T>(workspace: string | null, body: (conn: Kysely<BillingDatabase>) => Promise<T>): Promise<T> {
    if (this.#closing)
      throw new StoreUnavailableError('This KyselyStore was closed; create a new store to reach the database again.');
    let callbackError: { error: unknown } | null = null;
    try {
      const db = (workspace === null ? this.systemDb : this.db) as Kysely<BillingDatabase>;
      return await db.connection().execute(async (conn) => {
        try {
          await this.#begin(db, conn, workspace);
          let result: T;
          try {
            result = await body(conn);
          } catch (error) {
            callbackError = { error };
            throw error;
          }
          await commit(conn);
          return result;
        } catch (error) {
          // Also after a failed BEGIN batch: its scope statement may have failed inside an open transaction.
          await sql
            .raw('rollback')
            .execute(conn)
            .catch((rollbackError: unknown) => {
              this.#logger.warn(
                { code: (rollbackError as { code?: unknown }).code },
                'billing store rollback failed; the connection is dropped by the pool',
              );
            });
          throw error;
        }
      });
    } catch (error) {
      if (workspace === null && isDeferredPrivilegeError(error))
        throw await this.#privilegeError(workspace === null ? this.systemDb : this.db, error);
      // A StorePrivilegeError from the scope check passes through mapPgError unchanged.
      if ((callbackError as { error: unknown } | null)?.error === error) throw error;
      throw this.#mapped(error);
    }
  }

  /** A driver error as the port's error, logged when it means the database is unreachable. */
  #mapped(error: unknown): unknown {
    const mapped = mapPgError(error);
    if (mapped instanceof StoreUnavailableError)
      this.#logger.warn({ code: mapped.code }, 'billing store transaction failed: database unavailable');
    return mapped;
  }

  /**
   * Whether statements on `db` may go as statement batches: only on a pool of createPgStore /
   * createPgliteStore, and only until the connection refuses one.
   */
  #batches(db: Kysely<any>): boolean {
    return runsStatementBatches(db) && !this.#batchesRefused.has(db);
  }

  // READ COMMITTED whatever the database default: the upserts, conditional updates and SKIP LOCKED
  // claims rely on its re-check of the newest row version instead of serialization failures.
  async #begin(db: Kysely<any>, conn: Kysely<any>, workspace: string | null): Promise<void> {
    if (this.#batches(db)) {
      // Once this pool has run a batch (and, for the system scope, passed the privilege check up front),
      // BEGIN and the scope ride with the transaction's first statement.
      if (this.#batchesProven.has(db) && (workspace !== null || this.#systemVerified.has(db)))
        return beginDeferred(conn, workspace);
      try {
        await beginScoped(conn, workspace, true);
        this.#batchesProven.add(db);
        if (workspace === null) this.#systemVerified.add(db);
        return;
      } catch (error) {
        if (!isBatchRefused(error)) throw error;
        // A pool that always binds parameters (extended protocol) ran nothing: send them one by one from now on.
        this.#batchesRefused.add(db);
      }
    }
    await beginScoped(conn, workspace, false);
  }

  /**
   * The error for a deferred system scope the database refused: the role lost the privilege since it
   * was checked. The check runs again up front, which throws the `StorePrivilegeError` that names the grant.
   */
  async #privilegeError(db: Kysely<any>, error: unknown): Promise<unknown> {
    this.#systemVerified.delete(db);
    try {
      await this.#framed(null, async () => undefined);
      return error;
    } catch (refusal) {
      return refusal;
    }
  }

  /** Runs `onClose` once (ending what `createPgStore` / `createPgliteStore` created); later calls wait for it. */
  close(): Promise<void> {
    this.#closing ??= (this.#onClose ?? (async () => {}))();
    return this.#closing;
  }
}

/** COMMIT, and an error when PostgreSQL ended the transaction with a rollback instead. */
async function commit(conn: Kysely<any>): Promise<void> {
  const { rows } = await sql.raw<{ command?: string }>('commit').execute(conn);
  // PostgreSQL completes COMMIT with a ROLLBACK tag when an earlier statement left the transaction aborted.
  if (rows[0]?.command === 'ROLLBACK')
    throw new Error('PostgreSQL rolled the billing transaction back at COMMIT: a statement in it had failed.');
}

/** A counter value read back (none yet: 0). */
function toCount(value: unknown): number {
  return value === undefined || value === null ? 0 : toSafeInteger(value);
}

// The compiler keeps the interface and its schema in step (an option added to one only fails the build).
// biome-ignore lint/correctness/noUnusedVariables: a compile-time check, never used at runtime
type OptionsTiedToSchema = AssertTrue<SchemaMatches<typeof optionsSchema, KyselyStoreOptions>>;
