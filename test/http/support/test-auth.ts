import type { BillingAuth, BillingRole } from '../../../src/http/index.js';

/** The users of the test host app and their role in every workspace whose id starts with `ws_`. */
export const USERS = { owner: 'u_owner', admin: 'u_admin', member: 'u_member', stranger: 'u_stranger' } as const;
export type TestUser = keyof typeof USERS;

const ROLE_OF: Record<string, BillingRole> = { u_owner: 'owner', u_admin: 'admin', u_member: 'member' };

/**
 * A small real host auth: `Authorization: Bearer <userId>` identifies the caller (a host would verify
 * a JWT here); members belong to every `ws_*` workspace and to nothing else (`foreign_*` workspaces
 * have no members from this app). `Bearer throw` makes authenticate throw, as token libraries do.
 */
export const testAuth: BillingAuth = {
  authenticate(request) {
    const token = /^Bearer (\S+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
    if (token === 'throw') throw new Error('jwt malformed');
    return token ? { userId: token } : null;
  },
  async getRole(userId, workspaceId) {
    if (!workspaceId.startsWith('ws_')) return null;
    return ROLE_OF[userId] ?? null;
  },
};

/** Headers of a request made by `user` for `workspaceId`. */
export function authHeaders(user: TestUser | null, workspaceId: string | null): Record<string, string> {
  const headers: Record<string, string> = {};
  if (user) headers.authorization = `Bearer ${USERS[user]}`;
  if (workspaceId) headers['x-tenant-id'] = workspaceId;
  return headers;
}
