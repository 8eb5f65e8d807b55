import type { BillingRole } from 'phonepe-billing';

/**
 * Who belongs to which workspace, in which role — the examples' stand-in for the host's own
 * memberships table. `usr_owner` may buy and cancel; `usr_member` may only look (the billing routes
 * need the owner role for changes, any member for reads).
 *
 * @example
 * roleOf('usr_owner', 'ws_demo'); // 'owner'
 */
export const MEMBERSHIPS: Readonly<Record<string, Readonly<Record<string, BillingRole>>>> = {
  usr_owner: { ws_demo: 'owner' },
  usr_member: { ws_demo: 'member' },
};

/** The workspace every example user belongs to. */
export const DEMO_WORKSPACE = 'ws_demo';

/** The user's role in the workspace, or `null` when they are not a member. */
export function roleOf(userId: string, workspaceId: string): BillingRole | null {
  // Own keys only: an id such as "__proto__" must not find something on Object.prototype.
  const workspaces = Object.hasOwn(MEMBERSHIPS, userId) ? MEMBERSHIPS[userId] : undefined;
  return workspaces && Object.hasOwn(workspaces, workspaceId) ? (workspaces[workspaceId] ?? null) : null;
}
