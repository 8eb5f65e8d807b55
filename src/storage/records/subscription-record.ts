/**
 * Subscription statuses. `trialing`, `active` and `past_due` are "live": a workspace has at most one
 * live subscription. `cancelled` (ended by cancellation) and `expired` (ended by non-payment or
 * mandate loss) are final. A subscription cancelled "at period end" stays `active` with
 * `cancelAtPeriodEnd = true` until the period ends.
 */
export const SUBSCRIPTION_STATUSES = ['trialing', 'active', 'past_due', 'cancelled', 'expired'] as const;
/** A stored subscription's status (PhonePe's mandate states are `SubscriptionState` in phonepe-billing/client). */
export type SubscriptionRecordStatus = (typeof SUBSCRIPTION_STATUSES)[number];
/** The statuses in which a subscription grants access (at most one per workspace). */
export const LIVE_SUBSCRIPTION_STATUSES = [
  'trialing',
  'active',
  'past_due',
] as const satisfies readonly SubscriptionRecordStatus[];

/** How a subscription is renewed: a checkout the payer completes each period, or a UPI autopay mandate. */
export const RENEWAL_MODES = ['manual', 'autopay'] as const;
/** How a subscription renews: by UPI autopay debit or by a manual payment link. */
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
