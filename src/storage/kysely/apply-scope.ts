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
  const { rows } = await sql<{ role: string; access: SystemAccess }>`
    select set_config('app.workspace_id', '', true), set_config('app.billing_system', 'on', true), me.rolname as role,
      case when me.rolsuper or me.rolbypassrls then 'bypass'
           when sys.oid is null then 'no_role'
           when pg_has_role(me.oid, sys.oid, 'USAGE') then 'member'
           else 'not_member' end as access
    from pg_roles me left join pg_roles sys on sys.rolname = ${SYSTEM_ROLE}
    where me.rolname = current_user`.execute(trx);
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
