import { sql, type Transaction } from 'kysely';
import { StorePrivilegeError } from './store-privilege-error.js';

/** The NOLOGIN group role whose members may use system mode (migrations/003). */
export const SYSTEM_ROLE = 'phonepe_billing_system';

type SystemAccess = 'bypass' | 'member' | 'not_member' | 'no_role';

/**
 * Sets the transaction's scope for the row-level-security policies (`SET LOCAL` through
 * `set_config(…, true)`, bound parameters). For the system scope the same statement reports
 * whether the connection's role may use system mode, so the check costs no extra round trip and
 * follows any `SET ROLE` or grant change at once; without the privilege it throws
 * `StorePrivilegeError` rather than let row-level security hide other workspaces silently.
 *
 * @example
 * await applyScope(trx, null); // system scope, or throws StorePrivilegeError
 */
export async function applyScope(trx: Transaction<any>, workspace: string | null): Promise<void> {
  if (workspace !== null) {
    await sql`select set_config('app.workspace_id', ${workspace}, true), set_config('app.billing_system', 'off', true)`.execute(trx);
    return;
  }
  // Functions only (no pg_roles view): about 0.02 ms on the server. row_security_active is false for
  // a superuser or BYPASSRLS role; pg_has_role(…, 'USAGE') is the membership the policies' TO clause
  // honours (inherited privileges); to_regrole is NULL, not an error, before migration 003 ran.
  const { rows } = await sql<{ role: string; access: SystemAccess }>`
    select set_config('app.workspace_id', '', true), set_config('app.billing_system', 'on', true), current_user as role,
      case when not row_security_active('payment_transactions') then 'bypass'
           when to_regrole(${SYSTEM_ROLE}) is null then 'no_role'
           when pg_has_role(to_regrole(${SYSTEM_ROLE})::oid, 'USAGE') then 'member'
           else 'not_member' end as access`.execute(trx);
  const row = rows[0];
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
