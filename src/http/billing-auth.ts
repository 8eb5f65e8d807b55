import type { BillingRole } from './billing-roles.js';

/**
 * The caller, as the host's `authenticate` identified it.
 *
 * @example
 * const identity: BillingIdentity = { userId: claims.sub };
 */
export interface BillingIdentity {
  userId: string;
}

/**
 * The host's authentication, plugged into `createBillingHandler`. The library never sees a password
 * or a JWT secret: the host checks its own session or token and answers two questions.
 *
 * - `authenticate(request)`: who is calling? Return `null` (or throw) for a missing or invalid
 *   credential — the handler answers 401 either way (a throw is logged at `warn`).
 * - `getRole(userId, workspaceId)`: the caller's role in the workspace named by `X-Tenant-ID`, or
 *   `null` when they are not a member (403). A throw here is a server error (500, or 503 for
 *   `StoreUnavailableError`).
 *
 * @example
 * const auth: BillingAuth = {
 *   authenticate: async (request) => {
 *     const token = request.headers.get('authorization')?.replace(/^Bearer /, '');
 *     const claims = token ? await verifyMyJwt(token) : null;   // the host's own check
 *     return claims ? { userId: claims.sub } : null;
 *   },
 *   getRole: (userId, workspaceId) => db.memberships.role(userId, workspaceId), // 'owner' | 'admin' | 'member' | null
 * };
 */
export interface BillingAuth {
  authenticate(request: Request): BillingIdentity | null | Promise<BillingIdentity | null>;
  getRole(userId: string, workspaceId: string): BillingRole | null | Promise<BillingRole | null>;
}
