/**
 * Payment states (docs/architecture.md "Payment state machine"): `created -> pending -> completed | failed | expired`.
 * `created`: our row exists, PhonePe not (yet) asked. `pending`: PhonePe has the order.
 * The last three are terminal and never regress.
 */
export const PAYMENT_STATES = ['created', 'pending', 'completed', 'failed', 'expired'] as const;
/** One of {@link PAYMENT_STATES}. */
export type PaymentState = (typeof PAYMENT_STATES)[number];
/**
 * The terminal states: never left, except `failed`/`expired` → `completed` when PhonePe's order-status API
 * says the order was paid (docs/architecture.md#payment-state-machine).
 */
export const TERMINAL_PAYMENT_STATES = ['completed', 'failed', 'expired'] as const satisfies readonly PaymentState[];
/** The states of a payment still in flight (see {@link isOpen}): the complement of {@link TERMINAL_PAYMENT_STATES}. */
export const OPEN_PAYMENT_STATES = ['created', 'pending'] as const satisfies readonly PaymentState[];

/**
 * Whether a payment is still open: `created` (PhonePe not yet asked) or `pending` (PhonePe has the order),
 * one of {@link OPEN_PAYMENT_STATES}. An open payment may still be paid, fail or expire; reconciliation
 * keeps asking PhonePe about it.
 *
 * @example
 * isOpen({ state: 'pending' }); // true
 * isOpen({ state: 'expired' }); // false
 */
export function isOpen(payment: { readonly state: PaymentState }): boolean {
  return (OPEN_PAYMENT_STATES as readonly PaymentState[]).includes(payment.state);
}

/**
 * How PhonePe is asked for the money: a one-off hosted checkout, a hosted checkout that also sets up a
 * UPI autopay mandate (`SUBSCRIPTION_CHECKOUT_SETUP`), or a debit on an existing mandate (notify + redeem).
 */
export const PAYMENT_METHODS = ['checkout', 'autopay_setup', 'autopay_redemption'] as const;
/** One of {@link PAYMENT_METHODS}. */
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** What the payment is for. */
export const PAYMENT_PURPOSES = ['new_subscription', 'renewal', 'upgrade'] as const;
/** One of {@link PAYMENT_PURPOSES}. */
export type PaymentPurpose = (typeof PAYMENT_PURPOSES)[number];

/**
 * One attempt to collect money (`payment_transactions` table). `id` is our transaction id;
 * `merchantOrderId` is the id PhonePe knows the order by (unique across all workspaces).
 * Times are epoch milliseconds.
 */
export interface PaymentRecord {
  id: string;
  workspaceId: string;
  userId: string | null;
  planId: string;
  subscriptionId: string | null;
  merchantOrderId: string;
  /** The payment gateway that holds the order (`phonepe`): a payment stays on the gateway that created it. */
  gateway: string;
  /** The account at that gateway (for PhonePe, the API client id); null on rows made before it was recorded. */
  gatewayAccount: string | null;
  /** PhonePe's `orderId` (e.g. `OMO…`), once PhonePe has answered. */
  phonepeOrderId: string | null;
  method: PaymentMethod;
  purpose: PaymentPurpose;
  amountPaise: number;
  currency: 'INR';
  state: PaymentState;
  /** Where the payer's browser goes after the callback (validated against the allowlist before storing). */
  returnUrl: string | null;
  /** PhonePe's hosted-page URL for this order. */
  paymentUrl: string | null;
  /** Unique per workspace when set. */
  idempotencyKey: string | null;
  /** The mandate this payment sets up or debits. */
  merchantSubscriptionId: string | null;
  /** The billing period this payment pays for, once known. */
  periodStart: number | null;
  periodEnd: number | null;
  errorCode: string | null;
  detailedErrorCode: string | null;
  phonepeTransactionId: string | null;
  paymentMode: string | null;
  /** PhonePe's `expireAt` for the order. */
  expiresAt: number | null;
  /** Autopay redemption: when PhonePe confirmed the pre-debit notice, and the redeem window. */
  notifiedAt: number | null;
  redeemAfter: number | null;
  redeemBefore: number | null;
  /** Redemption execution attempts made so far. */
  attempts: number;
  /** When reconciliation last asked PhonePe about this payment. */
  lastCheckedAt: number | null;
  /** When the first settlement signal (redirect callback or webhook) arrived. */
  firstSignalAt: number | null;
  /** When the row reached a terminal state. */
  settledAt: number | null;
  metadata: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

/** Billing intervals a plan can renew on. */
export const PLAN_INTERVALS = ['month', 'year'] as const;
/** How often a plan bills: monthly or yearly. */
export type PlanInterval = (typeof PLAN_INTERVALS)[number];

/**
 * A plan as stored (`plans` table). Plans are declared in code and synced to the store;
 * `limits` maps a usage metric to its per-period limit (`null` = unlimited).
 *
 * @example
 * const pro: PlanRecord = { id: 'pro', name: 'Pro', description: null, pricePaise: 299900, currency: 'INR',
 *   interval: 'month', limits: { projects: 50, api_calls: 100_000 }, features: ['sso'], autopay: true,
 *   trialDays: 0, active: true, sortOrder: 1, createdAt: 0, updatedAt: 0 };
 */
export interface PlanRecord {
  id: string;
  name: string;
  description: string | null;
  /** Price per interval in paise (integer). */
  pricePaise: number;
  currency: 'INR';
  interval: PlanInterval;
  limits: Record<string, number | null>;
  features: string[];
  /** Whether the plan may be paid by a UPI autopay mandate. */
  autopay: boolean;
  trialDays: number;
  active: boolean;
  /** Display order (ascending). */
  sortOrder: number;
  createdAt: number;
  updatedAt: number;
}

/** Refund states as PhonePe reports them (docs/phonepe-protocol.md#refund-states), lowercased. `completed` and `failed` are terminal. */
export const REFUND_RECORD_STATES = ['pending', 'confirmed', 'completed', 'failed'] as const;
/** A stored refund's state (PhonePe's wire values are `RefundState` in phonepe-billing/client). */
export type RefundRecordState = (typeof REFUND_RECORD_STATES)[number];

/** One refund of a payment (`payment_refunds` table). At most one `pending`/`confirmed` refund per payment. */
export interface RefundRecord {
  id: string;
  workspaceId: string;
  paymentId: string;
  /** Our id for the refund at PhonePe (unique, never reused, ≤ 63 chars). */
  merchantRefundId: string;
  /** The gateway and account of the refunded payment (see {@link PaymentRecord.gateway}). */
  gateway: string;
  gatewayAccount: string | null;
  /** PhonePe's `refundId` (e.g. `OMR…`). */
  phonepeRefundId: string | null;
  amountPaise: number;
  state: RefundRecordState;
  reason: string | null;
  errorCode: string | null;
  requestedBy: string | null;
  /** When reconciliation last asked PhonePe about this refund. */
  lastCheckedAt: number | null;
  settledAt: number | null;
  createdAt: number;
  updatedAt: number;
}

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
  /** The gateway and account that hold the mandate (null while there is none); it stays on them for good. */
  mandateGateway: string | null;
  mandateGatewayAccount: string | null;
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

/**
 * Processing status of a received webhook: `received` while it is being processed, `processed` once
 * applied (or a no-op on an already-settled row), `failed` when processing broke (a dependency was down),
 * `unapplied` when it changed nothing (refused, contradicted by PhonePe's status API, not ours). A
 * delivery of a `failed` or `unapplied` event is processed again: only a processed event is a duplicate.
 */
export const WEBHOOK_EVENT_STATUSES = ['received', 'processed', 'failed', 'unapplied'] as const;
/** Where a received webhook stands: received (being processed), processed (applied), failed, or unapplied (it changed nothing; the next delivery is processed again). */
export type WebhookEventStatus = (typeof WEBHOOK_EVENT_STATUSES)[number];

/** A received PhonePe webhook (`webhook_events` table), keyed by its dedupe key (event + id + state). */
export interface WebhookEventRecord {
  dedupeKey: string;
  event: string;
  /** Filled once the event is matched to a workspace; `null` before that. */
  workspaceId: string | null;
  /** The merchant order / refund / subscription id the event is about. */
  subjectId: string | null;
  /** The gateway that sent it (`phonepe`). */
  gateway: string;
  payload: unknown;
  status: WebhookEventStatus;
  /** How many further times the same event arrived after the first. */
  duplicateCount: number;
  /** Processing attempts (a `failed` event is processed again when PhonePe redelivers it). */
  attempts: number;
  error: string | null;
  outcome: string | null;
  receivedAt: number;
  processedAt: number | null;
}

/** Where a billing event of the outbox stands: `pending` (to deliver, or to retry), `delivered`, or `dead` (gave up after the last attempt; an operator may replay it). */
export const OUTBOX_STATUSES = ['pending', 'delivered', 'dead'] as const;
/** Where an outbox event stands: pending, delivered, or dead. */
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * One billing event of the transactional outbox (`billing_outbox` table): a hook event written in the
 * same transaction as the change it reports, delivered to the host's hook at least once.
 */
export interface OutboxEventRecord {
  /** The event id hosts dedupe on (the hook receives it as `eventId`). */
  id: string;
  /** The workspace the event is about; `null` for a system event (some anomalies). */
  workspaceId: string | null;
  /** The hook's name (`paymentCompleted`, …). */
  event: string;
  /** The hook's event as JSON (without `eventId`). */
  payload: Record<string, unknown>;
  /** Order of writing, across the table: events of a workspace are delivered in this order. */
  sequence: number;
  status: OutboxStatus;
  /** Delivery attempts started (a claim counts one). */
  attempts: number;
  /** Not claimed before this time (the backoff of a failed attempt). */
  nextAttemptAt: number;
  /** The last failed attempt's error message. */
  lastError: string | null;
  /** The dispatcher holding the lease, and until when. */
  lockedBy: string | null;
  lockedUntil: number | null;
  createdAt: number;
  deliveredAt: number | null;
}

/**
 * One audit-log row (`billing_audit_log`): who changed what. `actor` is e.g. `user:<id>`, `phonepe:webhook`,
 * `phonepe:redirect`, `system:reconcile`, `worker:<id>`.
 */
export interface AuditRecord {
  id: string;
  workspaceId: string;
  actor: string;
  action: string;
  entityType: 'payment' | 'refund' | 'subscription' | 'usage' | 'webhook' | 'plan';
  entityId: string;
  data: Record<string, unknown>;
  createdAt: number;
}
