import { sql, type Kysely } from 'kysely';
import { DEFERRED_BEGIN, sqlLiteral } from './statement-batches.js';
import { StorePrivilegeError } from './errors.js';

/** The NOLOGIN group role whose members may use system mode (migrations/003). */
export const SYSTEM_ROLE = 'phonepe_billing_system';

type SystemAccess = 'bypass' | 'member' | 'not_member' | 'no_role';

/** What the error of a refused deferred system scope names (see {@link isDeferredPrivilegeError}). */
const PRIVILEGE_MARKER = `${SYSTEM_ROLE} membership required`;

/** How every store transaction starts (see KyselyStore.transaction for why READ COMMITTED). */
const BEGIN = 'start transaction isolation level read committed';

// Functions only (no pg_roles view): about 0.02 ms on the server. row_security_active is false for
// a superuser or BYPASSRLS role; pg_has_role(…, 'USAGE') is the membership the policies' TO clause
// honours (inherited privileges); to_regrole is NULL, not an error, before migration 003 ran.
const SYSTEM_SCOPE_SQL = `select set_config('app.workspace_id', '', true), set_config('app.billing_system', 'on', true), current_user as role,
  case when not row_security_active('payment_transactions') then 'bypass'
       when to_regrole('${SYSTEM_ROLE}') is null then 'no_role'
       when pg_has_role(to_regrole('${SYSTEM_ROLE}')::oid, 'USAGE') then 'member'
       else 'not_member' end as access`;

// The system scope for a deferred BEGIN, whose result nobody reads: without the privilege it fails
// instead of reporting (a quoted relation name that cannot exist, so the error names what is missing).
const SYSTEM_SCOPE_CHECKED_SQL = `select set_config('app.workspace_id', '', true), set_config('app.billing_system',
  case when not row_security_active('payment_transactions') or coalesce(pg_has_role(to_regrole('${SYSTEM_ROLE}')::oid, 'USAGE'), false) then 'on'
       else ('"${PRIVILEGE_MARKER} for ' || replace(current_user, '"', '') || '"')::regclass::text end, true)`;

/**
 * The statement that sets a scope, as text with its value inlined (for a statement batch, which
 * cannot bind parameters): `SET LOCAL` through `set_config(…, true)`. The system scope's statement
 * also reports whether the role may use system mode (`role`, `access`).
 *
 * @example
 * scopeStatement('ws_1'); // select set_config('app.workspace_id', 'ws_1', true), …
 */
export function scopeStatement(workspace: string | null): string {
  if (workspace === null) return SYSTEM_SCOPE_SQL;
  return `select set_config('app.workspace_id', ${sqlLiteral(workspace)}, true), set_config('app.billing_system', 'off', true)`;
}

/**
 * Opens a READ COMMITTED transaction on `conn` and sets its scope for the row-level-security
 * policies. With `batched`, both go to the server as one statement batch (one round trip);
 * otherwise as two statements, the scope with bound parameters. A system scope on a role without
 * the privilege throws `StorePrivilegeError` rather than let row-level security hide other
 * workspaces silently; the check rides on the same statement, so it costs no extra round trip and
 * follows any `SET ROLE` or grant change at once. The caller rolls back when this throws.
 *
 * @example
 * await beginScoped(conn, null, true); // system scope, or throws StorePrivilegeError
 */
export async function beginScoped(conn: Kysely<any>, workspace: string | null, batched: boolean): Promise<void> {
  if (batched) {
    const { rows } = await sql
      .raw<{ role: string; access: SystemAccess }>(`${BEGIN}; ${scopeStatement(workspace)}`)
      .execute(conn);
    if (workspace === null) assertSystemAccess(rows[0]);
    return;
  }
  await sql.raw(BEGIN).execute(conn);
  await applyScope(conn, workspace);
}

/**
 * Opens the transaction and sets its scope with the connection's next statement (one round trip for
 * both; see `lastResultPool`). For the system scope the privilege is checked in the same batch, and
 * a role without it makes that statement fail with an error {@link isDeferredPrivilegeError} knows.
 *
 * @example
 * await beginDeferred(conn, 'ws_1');
 */
export async function beginDeferred(conn: Kysely<any>, workspace: string | null): Promise<void> {
  await sql
    .raw(`${DEFERRED_BEGIN}${BEGIN}; ${workspace === null ? SYSTEM_SCOPE_CHECKED_SQL : scopeStatement(workspace)}`)
    .execute(conn);
}

/**
 * Whether `error` is a deferred system scope refused for want of the privilege (see {@link beginDeferred}).
 * The driver's error may arrive wrapped (a repository maps it to a store error with it as `cause`),
 * so the `cause` chain is searched too.
 */
export function isDeferredPrivilegeError(error: unknown): boolean {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (code === '42P01' && typeof message === 'string' && message.includes(PRIVILEGE_MARKER)) return true;
    current = cause;
  }
  return false;
}

/**
 * Sets the transaction's scope with one statement and bound parameters (see {@link beginScoped}).
 *
 * @example
 * await applyScope(trx, null); // system scope, or throws StorePrivilegeError
 */
export async function applyScope(trx: Kysely<any>, workspace: string | null): Promise<void> {
  if (workspace !== null) {
    await sql`select set_config('app.workspace_id', ${workspace}, true), set_config('app.billing_system', 'off', true)`.execute(
      trx,
    );
    return;
  }
  const { rows } = await sql.raw<{ role: string; access: SystemAccess }>(SYSTEM_SCOPE_SQL).execute(trx);
  assertSystemAccess(rows[0]);
}

function assertSystemAccess(row: { role: string; access: SystemAccess } | undefined): void {
  if (row && (row.access === 'bypass' || row.access === 'member')) return;
  throw privilegeError(row?.role ?? 'current_user', row?.access ?? 'not_member');
}

function privilegeError(role: string, access: SystemAccess): StorePrivilegeError {
  const grant = `grant ${SYSTEM_ROLE} to ${quoteIdent(role)}`;
  const cause =
    access === 'no_role'
      ? `the role ${SYSTEM_ROLE} does not exist in this cluster; run phonepe-billing migrate (migration 003 creates it), then ${grant}`
      : `role ${role} is not a member of ${SYSTEM_ROLE}; run ${grant} as a superuser`;
  return new StorePrivilegeError(
    role,
    grant,
    `A system-scope billing transaction (webhooks, reconciliation, renewals) was refused because ${cause}, or give the store a systemConnectionString / systemDb for a role that is a member.`,
  );
}

function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}
