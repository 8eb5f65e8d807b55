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
