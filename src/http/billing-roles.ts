/**
 * Workspace roles the host's `auth.getRole` answers with.
 *
 * @example
 * const role: BillingRole = BILLING_ROLES.includes(row.role) ? row.role : 'member';
 */
export const BILLING_ROLES = ['owner', 'admin', 'member'] as const;
export type BillingRole = (typeof BILLING_ROLES)[number];

/**
 * Who may do what. `manage`: create payments, cancel, change plan, resume, refund. `read`: payment
 * status, subscription, usage. `GET /plans` needs no identity at all (a pricing page).
 *
 * @example
 * const roles: BillingRolePolicy = { manage: ['owner', 'admin'], read: ['owner', 'admin', 'member'] };
 */
export interface BillingRolePolicy {
  /** @default ['owner'] */
  manage: readonly BillingRole[];
  /** @default ['owner', 'admin', 'member'] */
  read: readonly BillingRole[];
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
});
