import type { Logger } from '../common/logger.js';
import { BillingHttpError } from './errors.js';

/**
 * Workspace roles the host's `auth.getRole` answers with.
 *
 * @example
 * const role: BillingRole = BILLING_ROLES.includes(row.role) ? row.role : 'member';
 */
export const BILLING_ROLES = ['owner', 'admin', 'member'] as const;
/** A member's role in a workspace, as the host's `auth.getRole` reports it. */
export type BillingRole = (typeof BILLING_ROLES)[number];

/**
 * Who may do what. `manage`: create payments, cancel, change plan, resume. `read`: payment status,
 * subscription, usage. `refund`: `POST /payments/{order_id}/refund` — nobody by default, because a
 * workspace's own roles are the paying customer's (an owner could refund a payment and keep what it
 * bought); grant it to a role only your staff hold, or refund from your back office with `billing.refund`.
 * `GET /plans` needs no identity at all (a pricing page).
 *
 * @example
 * const roles: Partial<BillingRolePolicy> = { manage: ['owner', 'admin'], refund: ['admin'] };
 */
export interface BillingRolePolicy {
  /** @default ['owner'] */
  manage: readonly BillingRole[];
  /** @default ['owner', 'admin', 'member'] */
  read: readonly BillingRole[];
  /** @default [] (refunds over HTTP are off) */
  refund: readonly BillingRole[];
}

/**
 * The policy used when `roles` is not given: only owners touch billing, every member may look.
 *
 * @example
 * createBillingHandler({ ...options, roles: { ...DEFAULT_BILLING_ROLE_POLICY, manage: ['owner', 'admin'] } });
 */
export const DEFAULT_BILLING_ROLE_POLICY: Readonly<BillingRolePolicy> = Object.freeze({
  manage: Object.freeze(['owner'] as const),
  read: Object.freeze(['owner', 'admin', 'member'] as const),
  refund: Object.freeze([] as const),
});

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

/**
 * Who counts as the host's staff, for the operator dashboard (`GET /dashboard/data`): every workspace's
 * revenue and the past-due and failed lists, so never a workspace role. Without it the dashboard routes do
 * not exist (404). `isStaff` gets the identity `auth.authenticate` returned (and the request); `false` → 403.
 * A throw is a server error (500).
 *
 * @example
 * const staff: BillingStaffCheck = { isStaff: ({ userId }) => db.staff.has(userId) };
 */
export interface BillingStaffCheck {
  isStaff(identity: BillingIdentity, request: Request): boolean | Promise<boolean>;
}

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

/**
 * Authenticates the caller (401) and asks the host whether they are staff (403); the identity when they are.
 */
export async function authorizeStaff(
  request: Request,
  deps: { auth: BillingAuth; staff: BillingStaffCheck; logger: Logger },
): Promise<BillingIdentity> {
  const userId = await authenticate(request, deps.auth, deps.logger);
  const identity = { userId };
  if ((await deps.staff.isStaff(identity, request)) !== true) {
    throw new BillingHttpError('FORBIDDEN', 'The operator dashboard is for staff only; your account is not staff.');
  }
  return identity;
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
