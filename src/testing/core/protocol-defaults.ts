/**
 * PhonePe rules and defaults the emulator applies. Where public sources disagree
 * (docs/phonepe-protocol.md#unsettled), the choice is made here, once, so it is easy to change.
 */

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Standard checkout `expireAfter` bounds in seconds (docs/phonepe-protocol.md#checkout-pay). */
export const EXPIRE_AFTER_MIN_SECONDS = 300;
export const EXPIRE_AFTER_MAX_SECONDS = 3_600;
/** Default when `expireAfter` is absent: 600 s, per PhonePe's integration guide (docs/phonepe-protocol.md#unsettled-expiry-defaults). */
export const DEFAULT_EXPIRE_AFTER_SECONDS = 600;

/** `/subscriptions/v2/setup` order expiry when `expireAt` is absent: 10 min (docs and SDKs; docs/phonepe-protocol.md#unsettled-expiry-defaults). */
export const DEFAULT_SETUP_ORDER_TTL_MS = 10 * MINUTE;
/** Subscription end when `paymentFlow.expireAt` is absent: 30 years (docs/phonepe-protocol.md#autopay-api-setup). */
export const DEFAULT_SUBSCRIPTION_TTL_MS = 30 * 365 * DAY;

/** Smallest payment and refund amount in paise (docs/phonepe-protocol.md#checkout-pay; for refunds docs/phonepe-protocol.md#unsettled-refund-minimum). */
export const MIN_AMOUNT_PAISE = 100;
/** A `PENNY_DROP` mandate verifies with exactly ₹2 (docs/phonepe-protocol.md#unsettled-penny-drop). */
export const PENNY_DROP_AMOUNT_PAISE = 200;
/** Smallest notify amount: 1 paisa (docs/phonepe-protocol.md#unsettled-notify-minimum). */
export const MIN_NOTIFY_AMOUNT_PAISE = 1;
/** Mandate `maxAmount` cap: ₹15,000, per PhonePe's integration guide (docs/phonepe-protocol.md#unsettled-max-amount). */
export const MAX_MANDATE_AMOUNT_PAISE = 1_500_000;

/** Redeem opens 24 h after the pre-debit notice (docs/phonepe-protocol.md#redeem, RBI/NPCI rule). */
export const REDEMPTION_NOTICE_MS = 24 * HOUR;
/** Redeem window after `validAfter`: 72 h, as 2026 doc samples show (docs/phonepe-protocol.md#notify, observed, not a stated rule). */
export const REDEMPTION_WINDOW_MS = 72 * HOUR;

/** Refund timeline on the virtual clock (emulator choice; PhonePe publishes none): PENDING → CONFIRMED. */
export const DEFAULT_REFUND_CONFIRM_AFTER_MS = 10 * SECOND;
/** ... and CONFIRMED → COMPLETED, counted from creation. */
export const DEFAULT_REFUND_SETTLE_AFTER_MS = 60 * SECOND;

/**
 * Default token lifetime: PhonePe's documented sample token lives 624,600 s (`issued_at` 1706073005,
 * `expires_at` 1706697605); the production value is not published (docs/phonepe-protocol.md#unsettled-token-lifetime).
 */
export const DEFAULT_TOKEN_TTL_SECONDS = 624_600;

/** How long a merchant cancel stays `CANCEL_IN_PROGRESS` (emulator choice; PhonePe publishes no timing). */
export const DEFAULT_CANCEL_COMPLETES_AFTER_MS = 5 * SECOND;

/** How long a customer pause lasts when the test does not say (emulator choice). */
export const DEFAULT_PAUSE_MS = 30 * DAY;

/** ID charset and length for merchant ids (docs/phonepe-protocol.md#conventions). */
export const MERCHANT_ID_PATTERN = /^[A-Za-z0-9_-]{1,63}$/;
