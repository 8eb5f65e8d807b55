/**
 * Subscription statuses. `trialing`, `active` and `past_due` are "live": a workspace has at most one
 * live subscription. `cancelled` (ended by cancellation) and `expired` (ended by non-payment or
 * mandate loss) are final. A subscription cancelled "at period end" stays `active` with
 * `cancelAtPeriodEnd = true` until the period ends.
 */
export const SUBSCRIPTION_STATUSES = ['trialing', 'active', 'past_due', 'cancelled', 'expired'] as const;
/** One of {@link SUBSCRIPTION_STATUSES} (PhonePe's mandate states are `SubscriptionState` in phonepe-billing/client). */
export type SubscriptionRecordStatus = (typeof SUBSCRIPTION_STATUSES)[number];
/** The statuses of a live subscription (see {@link isLive}); the stores filter on this list. */
export const LIVE_SUBSCRIPTION_STATUSES = [
  'trialing',
  'active',
  'past_due',
] as const satisfies readonly SubscriptionRecordStatus[];

/**
 * Whether a subscription is live: `trialing`, `active` or `past_due` (one of
 * {@link LIVE_SUBSCRIPTION_STATUSES}). A workspace has at most one live subscription; only a live one is
 * renewed, charged, changed or ended. A subscription cancelled at period end is still live until then.
 *
 * @example
 * isLive({ status: 'past_due' }); // true
 * isLive({ status: 'cancelled' }); // false
 */
export function isLive(subscription: { readonly status: SubscriptionRecordStatus }): boolean {
  return (LIVE_SUBSCRIPTION_STATUSES as readonly SubscriptionRecordStatus[]).includes(subscription.status);
}

/** How a subscription is renewed: a checkout the payer completes each period, or a UPI autopay mandate. */
export const RENEWAL_MODES = ['manual', 'autopay'] as const;
/** One of {@link RENEWAL_MODES}. */
export type RenewalMode = (typeof RENEWAL_MODES)[number];

/**
 * A workspace's subscription (`subscriptions` table). Times are epoch milliseconds. `version`
 * increments on every update (optimistic concurrency).
 */
export interface SubscriptionRecord {
  id: string;
  workspaceId: string;
  planId: string;
  status: SubscriptionRecordStatus;
  renewalMode: RenewalMode;
  currentPeriodStart: number;
  currentPeriodEnd: number;
  cancelAtPeriodEnd: boolean;
  cancelledAt: number | null;
  cancellationReason: string | null;
  endedAt: number | null;
  /** A downgrade waiting for the period end. */
  pendingPlanId: string | null;
  /** The UPI autopay mandate, when `renewalMode` is `autopay`. */
  merchantSubscriptionId: string | null;
  phonepeSubscriptionId: string | null;
  /** The mandate's state as PhonePe last reported it (e.g. `ACTIVE`, `PAUSED`, `REVOKED`). */
  mandateState: string | null;
  mandateMaxAmountPaise: number | null;
  /** When renewal work (reminder, notify, redeem, retry, expiry) is next due; `null` = nothing scheduled. */
  nextActionAt: number | null;
  /** End of the grace period after failed renewals. */
  graceEndsAt: number | null;
  /** Failed renewal attempts in the current cycle. */
  renewalAttempts: number;
  /** The renewal worker holding this row, and until when (see `RenewalClaims`). */
  claimedBy: string | null;
  claimExpiresAt: number | null;
  createdBy: string | null;
  metadata: Record<string, unknown>;
  version: number;
  createdAt: number;
  updatedAt: number;
}
