/**
 * Where the crash scenarios kill the app (`CRASH_AT`): before / after PhonePe's checkout create, in the
 * middle of webhook settlement, and inside an autopay renewal between the pre-debit notice and the debit.
 */
export const CRASH_POINTS = [
  /** The payment row is written (`created`), PhonePe has not been called. */
  'checkout-before-phonepe',
  /** PhonePe created the order; its answer never got stored. */
  'checkout-after-phonepe',
  /** The webhook delivery is recorded (committed); nothing is settled yet. */
  'webhook-recorded',
  /** Settlement committed; the event is not yet marked processed. */
  'webhook-settled',
  /** PhonePe accepted the pre-debit notice; its answer never got stored. */
  'renewal-after-notice',
  /** The debit (redeem) is counted as tried here, but not sent to PhonePe. */
  'renewal-before-redeem',
  /** PhonePe executed the debit; its answer never got stored. */
  'renewal-after-redeem',
] as const;

export type CrashPoint = (typeof CRASH_POINTS)[number];
