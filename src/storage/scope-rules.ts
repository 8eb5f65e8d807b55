import type { StoreScope } from './billing-store.js';
import { textProblem } from '../common/unstorable-text.js';
import { StoreInputError, StoreScopeError } from './errors.js';

// The scope rules both stores apply in code. On PostgreSQL, row-level security (migrations/002)
// enforces the same rules again for any role without BYPASSRLS (system mode only for members of
// phonepe_billing_system, migrations/003); in code they also hold for a
// superuser connection and for PGlite, which always runs as a superuser.

/**
 * The workspace a scope is limited to, or `null` for the system scope. Throws a `TypeError` for a
 * malformed scope (a store must never guess which tenant it is acting for).
 *
 * @example
 * scopeWorkspaceId({ workspaceId: 'ws_1' }); // 'ws_1'
 */
export function scopeWorkspaceId(scope: StoreScope): string | null {
  const value = scope as { workspaceId?: unknown; system?: unknown } | null;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && value.system === true) return null;
    if (keys.length === 1 && typeof value.workspaceId === 'string' && value.workspaceId.length > 0) {
      const problem = textProblem(value.workspaceId);
      if (problem)
        throw new StoreInputError(
          'transaction',
          'scope.workspaceId',
          problem,
          `Invalid store scope: the workspaceId contains a ${problem === 'nul_character' ? 'NUL character (U+0000)' : 'lone UTF-16 surrogate'}, which no workspace id can hold.`,
        );
      return value.workspaceId;
    }
  }
  throw new TypeError('Invalid store scope: pass { workspaceId: "<non-empty id>" } or { system: true }.');
}

/**
 * Throws `StoreScopeError` unless a transaction limited to `scopeWorkspace` (null = system) may
 * write a row of `rowWorkspace` (null = a row not yet matched to a workspace: system only).
 *
 * @example
 * assertMayWrite('ws_1', payment.workspaceId, 'payments.insert');
 */
export function assertMayWrite(scopeWorkspace: string | null, rowWorkspace: string | null, operation: string): void {
  if (scopeWorkspace === null || rowWorkspace === scopeWorkspace) return;
  const target = rowWorkspace === null ? 'a row not tied to a workspace' : `a row of workspace ${rowWorkspace}`;
  throw new StoreScopeError(
    `${operation} tried to write ${target} inside a transaction scoped to workspace ${scopeWorkspace}; use that workspace's scope or the system scope.`,
  );
}

/**
 * Whether a row of `rowWorkspace` is visible to a transaction limited to `scopeWorkspace`.
 *
 * @example
 * rows.filter((row) => isVisible(scopeWorkspace, row.workspaceId));
 */
export function isVisible(scopeWorkspace: string | null, rowWorkspace: string | null): boolean {
  return scopeWorkspace === null || rowWorkspace === scopeWorkspace;
}
