import { brandError, hasErrorBrand } from '../../common/error-brand.js';
import {
  conflictMessage,
  StoreConflictError,
  type StoreConstraint,
  StoreScopeError,
  StoreUnavailableError,
} from '../errors.js';

/**
 * SQL unique constraint / index name (migrations/001) -> the port's constraint name. A unique
 * violation on any name listed here becomes a `StoreConflictError`; the tables written by upsert
 * (plans, webhook_events, subscription_usage, subscription_usage_events) never raise one.
 */
export const SQL_CONSTRAINTS: Readonly<Record<string, StoreConstraint>> = {
  payment_transactions_pkey: 'primary_key',
  payment_refunds_pkey: 'primary_key',
  subscriptions_pkey: 'primary_key',
  billing_audit_log_pkey: 'primary_key',
  billing_outbox_pkey: 'primary_key',
  payment_transactions_merchant_order_id_key: 'payment_merchant_order_id',
  payment_transactions_idempotency_key_idx: 'payment_idempotency_key',
  payment_refunds_merchant_refund_id_key: 'refund_merchant_refund_id',
  payment_refunds_open_per_payment_idx: 'refund_open_per_payment',
  subscriptions_live_per_workspace_idx: 'subscription_live_per_workspace',
  subscriptions_merchant_subscription_id_key: 'subscription_merchant_subscription_id',
};

/**
 * A `{ system: true }` transaction ran on a connection whose role may not use system mode: it is
 * not a member of `phonepe_billing_system` (nor a superuser or `BYPASSRLS` role), or that group
 * role does not exist yet (migration 003 creates it). Row-level security would have hidden every
 * other workspace's rows, so the store refuses instead of returning a silently partial answer.
 * `grant` is the statement a superuser (or the group's admin) runs to fix it.
 *
 * @example
 * try { await store.transaction({ system: true }, fn); } catch (e) { if (isStorePrivilegeError(e)) logger.error({ grant: e.grant }, e.message); }
 */
export class StorePrivilegeError extends Error {
  override readonly name = 'StorePrivilegeError' as const;
  readonly code = 'STORE_PRIVILEGE' as const;
  constructor(
    /** The role the connection runs as (`current_user`). */
    readonly role: string,
    /** What fixes it, as SQL. */
    readonly grant: string,
    message: string,
  ) {
    super(message);
    brandError(this, 'StorePrivilegeError');
  }
}

/** True when `error` is a {@link StorePrivilegeError}, from whichever copy of the library threw it (the class carries a registry-wide brand). */
export function isStorePrivilegeError(error: unknown): error is StorePrivilegeError {
  return hasErrorBrand(error, 'StorePrivilegeError');
}

/**
 * The database is not set up for the store: the billing tables do not exist (the migrations were not
 * run), or the connection's role lacks the grants on them. `fix` says what to run; the driver's error
 * is the `cause`.
 *
 * @example
 * try { await store.transaction({ workspaceId: 'ws_1' }, fn); } catch (e) { if (isStoreSetupError(e)) logger.error({ fix: e.fix }, e.message); }
 */
export class StoreSetupError extends Error {
  override readonly name = 'StoreSetupError' as const;
  readonly code = 'STORE_SETUP' as const;
  constructor(
    message: string,
    /** What fixes it: the command or SQL to run. */
    readonly fix: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    brandError(this, 'StoreSetupError');
  }
}

/** True when `error` is a {@link StoreSetupError}. */
export function isStoreSetupError(error: unknown): error is StoreSetupError {
  return hasErrorBrand(error, 'StoreSetupError');
}

interface DriverError {
  code?: unknown;
  constraint?: unknown;
  table?: unknown;
  message?: unknown;
  errors?: unknown;
}

// Socket errors from Node and pg's own connection messages (they carry no SQLSTATE).
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const NETWORK_MESSAGES =
  /connection terminated|timeout exceeded when trying to connect|connection timeout|server closed the connection|connection ended|client has encountered a connection error|cannot use a pool after calling end/i;
// SQLSTATEs: 08xxx connection exceptions; 57P01-57P03 admin/crash shutdown, cannot connect now;
// 53300 too many connections. Each means "try again later", not "your query is wrong".
const UNAVAILABLE_STATES = /^(08...|57P0[123]|53300)$/;

/**
 * Turns a pg (or PGlite) error into the port's error, or returns it unchanged:
 * unique violation (23505) on a known constraint -> `StoreConflictError` with the port's name;
 * row-level-security refusal (42501 "…row-level security…") -> `StoreScopeError`;
 * connection refused / terminated / timed out -> `StoreUnavailableError`.
 * other 42501s (a missing GRANT) and 42P01 (no such table: the migrations were not run) ->
 * `StoreSetupError`, naming what to run.
 *
 * @example
 * try { await query(); } catch (error) { throw mapPgError(error); }
 */
export function mapPgError(error: unknown): unknown {
  if (
    error instanceof StoreConflictError ||
    error instanceof StoreScopeError ||
    error instanceof StoreUnavailableError ||
    error instanceof StorePrivilegeError ||
    error instanceof StoreSetupError
  ) {
    return error;
  }
  if (!error || typeof error !== 'object') return error;
  const { code, constraint, table, message } = error as DriverError;
  const text = typeof message === 'string' ? message : '';
  if (code === '23505' && typeof constraint === 'string') {
    const name = SQL_CONSTRAINTS[constraint];
    if (name)
      return new StoreConflictError(
        name,
        conflictMessage(`insert or update of ${String(table ?? 'a billing table')}`, name, constraint),
        { cause: error },
      );
  }
  if (code === '42501' && /row-level security/i.test(text)) {
    return new StoreScopeError(
      `PostgreSQL row-level security refused a write to ${String(table ?? 'a billing table')}; the row belongs to another workspace than the transaction's scope.`,
      { cause: error },
    );
  }
  if (code === '42P01') {
    const fix = 'npx phonepe-billing migrate --database-url <owner URL> (or migrateToLatest(db) at start-up)';
    return new StoreSetupError(`The billing tables are missing (${text}); run the migrations first: ${fix}.`, fix, {
      cause: error,
    });
  }
  if (code === '42501') {
    const fix =
      'the grants of docs/storage.md (row-level security and roles): grant select on plans, and select, insert, update, delete on the tenant tables, to the app role';
    return new StoreSetupError(`The database role lacks a grant on the billing tables (${text}); run ${fix}.`, fix, {
      cause: error,
    });
  }
  if (isUnavailable(error as DriverError)) {
    return new StoreUnavailableError(
      `The billing database could not be reached (${typeof code === 'string' ? code : text || 'connection error'}); check that PostgreSQL is up and retry.`,
      { cause: error },
    );
  }
  return error;
}

function isUnavailable({ code, message, errors }: DriverError): boolean {
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_STATES.test(code))) return true;
  if (typeof message === 'string' && NETWORK_MESSAGES.test(message)) return true;
  // Node reports a refused dual-stack connect as an AggregateError of per-address errors.
  return (
    Array.isArray(errors) &&
    errors.some((inner) => inner && typeof inner === 'object' && isUnavailable(inner as DriverError))
  );
}
