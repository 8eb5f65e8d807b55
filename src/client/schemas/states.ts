import { z } from 'zod';

/**
 * Order states PhonePe documents (docs/phonepe-protocol.md#order-status, #notify). Only `COMPLETED` and `FAILED` are
 * terminal; treat any other value, including ones not listed, as still in progress.
 */
export const ORDER_STATES = [
  'PENDING',
  'COMPLETED',
  'FAILED',
  'CREATED',
  'NOTIFICATION_IN_PROGRESS',
  'NOTIFIED',
  'EXPIRED',
] as const;
/** One of {@link ORDER_STATES}. */
export type KnownOrderState = (typeof ORDER_STATES)[number];
/** An order state: a known one, or any string PhonePe adds later (kept as-is). */
export type OrderState = KnownOrderState | (string & {});

/** States of one payment attempt (`paymentDetails[i].state`, docs/phonepe-protocol.md#order-status). */
export const PAYMENT_ATTEMPT_STATES = ['PENDING', 'COMPLETED', 'FAILED'] as const;
/** A payment-attempt state, known or new. */
export type PaymentAttemptState = (typeof PAYMENT_ATTEMPT_STATES)[number] | (string & {});

/** Refund states: PENDING → CONFIRMED → COMPLETED | FAILED (docs/phonepe-protocol.md#refund-states). */
export const REFUND_STATES = ['PENDING', 'CONFIRMED', 'COMPLETED', 'FAILED'] as const;
/** A refund state, known or new. */
export type RefundState = (typeof REFUND_STATES)[number] | (string & {});

/** Subscription (mandate) states (docs/phonepe-protocol.md#subscription-states). */
export const SUBSCRIPTION_STATES = [
  'ACTIVATION_IN_PROGRESS',
  'ACTIVE',
  'EXPIRED',
  'FAILED',
  'CANCEL_IN_PROGRESS',
  'CANCELLED',
  'REVOKE_IN_PROGRESS',
  'REVOKED',
  'PAUSE_IN_PROGRESS',
  'PAUSED',
  'UNPAUSE_IN_PROGRESS',
] as const;
/** A subscription state, known or new. */
export type SubscriptionState = (typeof SUBSCRIPTION_STATES)[number] | (string & {});

/** `paymentDetails[i].paymentMode` values (docs/phonepe-protocol.md#order-status). */
export const PAYMENT_MODES = [
  'UPI_INTENT',
  'UPI_COLLECT',
  'UPI_QR',
  'CARD',
  'TOKEN',
  'NET_BANKING',
  'PPE_INTENT',
  'UPI_AUTO_PAY',
] as const;
/** A payment mode, known or new. */
export type PaymentMode = (typeof PAYMENT_MODES)[number] | (string & {});

/**
 * A non-empty string typed as a known union plus `string`: unknown values are kept, yet editors
 * still suggest the known ones. Used for every state and enum PhonePe sends.
 *
 * @example
 * const stateSchema = knownString(ORDER_STATES); // z.ZodType<OrderState>
 */
export function knownString<const T extends readonly string[]>(_known: T): z.ZodType<T[number] | (string & {})> {
  return z.string().min(1) as unknown as z.ZodType<T[number] | (string & {})>;
}
