import { brandError, hasErrorBrand } from '../../common/error-brand.js';
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
