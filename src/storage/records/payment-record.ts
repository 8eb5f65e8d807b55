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
