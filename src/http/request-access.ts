import type { Logger } from '../common/logger.js';
import type { BillingAuth } from './billing-auth.js';
import { BillingHttpError } from './billing-http-error.js';
import type { BillingRole, BillingRolePolicy } from './billing-roles.js';

/** Who is calling, for which workspace, in which role. */
export interface RequestActor {
  userId: string;
  workspaceId: string;
  role: BillingRole;
}

const ACTIONS: Record<keyof BillingRolePolicy, string> = {
  manage: 'change billing',
  read: 'see billing',
  refund: 'refund payments',
};

// X-Tenant-ID: a workspace id as hosts usually mint them (uuids, slugs, prefixed ids).
const TENANT_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * Authenticates the caller (401), reads the workspace from `X-Tenant-ID` (400) and checks the
 * caller's role there against the route's access level (403).
 */
export async function authorizeRequest(
  request: Request,
  access: keyof BillingRolePolicy,
  deps: { auth: BillingAuth; roles: BillingRolePolicy; logger: Logger },
): Promise<RequestActor> {
  const userId = await authenticate(request, deps.auth, deps.logger);
  const workspaceId = tenantOf(request);
  const role = await deps.auth.getRole(userId, workspaceId);
  if (role === null || role === undefined) {
    throw new BillingHttpError(
      'FORBIDDEN',
      `You are not a member of workspace ${workspaceId}; check the X-Tenant-ID header.`,
    );
  }
  if (!deps.roles[access].includes(role)) {
    const needed = deps.roles[access].join(' or ');
    const message =
      access === 'refund' && needed === ''
        ? 'Refunds over HTTP are turned off (roles.refund is empty); refund from your back office with billing.refund(), or grant roles.refund to a staff role.'
        : `Your role "${role}" in workspace ${workspaceId} cannot ${ACTIONS[access]}; this needs ${needed}.`;
    throw new BillingHttpError('FORBIDDEN', message, {
      details: { role, required: [...deps.roles[access]] },
    });
  }
  return { userId, workspaceId, role };
}

async function authenticate(request: Request, auth: BillingAuth, logger: Logger): Promise<string> {
  let identity: Awaited<ReturnType<BillingAuth['authenticate']>>;
  try {
    identity = await auth.authenticate(request);
  } catch (error) {
    // Token libraries throw on a bad token: that is the caller's mistake, not a server error.
    logger.warn(
      { err: error instanceof Error ? error.message : String(error) },
      'auth.authenticate threw; answering 401',
    );
    identity = null;
  }
  if (!identity)
    throw new BillingHttpError('UNAUTHENTICATED', 'Sign in first: this billing route needs an authenticated user.');
  if (typeof identity.userId !== 'string' || identity.userId.length === 0) {
    throw new TypeError('auth.authenticate must return { userId: string } (a non-empty string) or null.');
  }
  return identity.userId;
}

function tenantOf(request: Request): string {
  const header = request.headers.get('x-tenant-id');
  if (header === null || header.trim() === '') {
    throw new BillingHttpError(
      'INVALID_TENANT',
      'The X-Tenant-ID header is missing; send the id of the workspace whose billing this is.',
    );
  }
  if (!TENANT_ID.test(header)) {
    throw new BillingHttpError(
      'INVALID_TENANT',
      'The X-Tenant-ID header must be 1–128 characters of letters, digits, _ . : and -.',
    );
  }
  return header;
}
