import { conflictMessage, StoreConflictError, StoreScopeError, StoreUnavailableError } from '../errors.js';
import { SQL_CONSTRAINTS } from './constraint-names.js';
import { StorePrivilegeError } from './store-privilege-error.js';
import { StoreSetupError } from './store-setup-error.js';

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
