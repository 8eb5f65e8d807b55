import { z } from 'zod';

// Field rules shared by every request. Messages are phrases that follow the field name
// ("amount must be at least 100 paise"), see validate-request.ts.

/** PhonePe's merchant id rule: at most 63 of `[A-Za-z0-9_-]` (docs/phonepe-protocol.md#conventions). */
export const MERCHANT_ID_PATTERN = /^[A-Za-z0-9_-]{1,63}$/;

/** A merchantOrderId / merchantRefundId / merchantSubscriptionId / transactionId. */
export const merchantIdSchema = z
  .string({ error: 'must be a string' })
  .regex(MERCHANT_ID_PATTERN, 'must be 1 to 63 characters of A-Z, a-z, 0-9, _ or -');

/** Smallest order amount PhonePe accepts, in paise (₹1; docs/phonepe-protocol.md#checkout-pay). */
export const MIN_AMOUNT_PAISE = 100;

/**
 * Smallest refund we let through, in paise. The minimum is unsettled (most pages say 100, two say 1;
 * docs/phonepe-protocol.md#unsettled-refund-minimum); we choose 100, the stricter reading, so a refund
 * never fails at PhonePe for this reason. Change this constant if PhonePe confirms 1.
 */
export const MIN_REFUND_AMOUNT_PAISE = 100;

/** The amount of a PENNY_DROP mandate set-up: exactly ₹2 (docs/phonepe-protocol.md#unsettled-penny-drop). */
export const PENNY_DROP_AMOUNT_PAISE = 200;

/** The smallest pre-debit notice (docs/phonepe-protocol.md#unsettled-notify-minimum). */
export const MIN_NOTIFY_AMOUNT_PAISE = 1;

/** Paise: a safe integer of at least `min`. */
export function paiseAmountSchema(min: number) {
  return z
    .number({ error: 'must be a number of paise' })
    .refine(Number.isSafeInteger, {
      message: 'must be a whole number of paise (a safe integer, never a float)',
      abort: true,
    })
    .refine((value) => value >= min, `must be at least ${min} paise`);
}

/** Standard-checkout `expireAfter`: seconds from now, 300–3600 (docs/phonepe-protocol.md#conventions, #checkout-pay). */
export const expireAfterSchema = z
  .number({ error: 'must be a number of seconds' })
  .refine(
    (value) => Number.isInteger(value) && value >= 300 && value <= 3600,
    'must be a whole number of seconds from 300 to 3600',
  );

/** An epoch-ms timestamp in a request (`expireAt`; docs/phonepe-protocol.md#conventions). */
export const epochMsRequestSchema = z
  .number({ error: 'must be epoch milliseconds' })
  .refine((value) => Number.isSafeInteger(value) && value > 0, 'must be epoch milliseconds (a positive safe integer)');

/** An absolute http(s) URL (redirect targets). */
/**
 * A URL PhonePe sends the payer's browser to: absolute `https`, or `http` on this machine only
 * (localhost, 127.0.0.1, [::1]) for local development against the emulator
 * (docs/phonepe-protocol.md#unsettled-redirect-https).
 */
export const httpUrlSchema = z
  .string({ error: 'must be a string' })
  .refine(isRedirectableUrl, 'must be an absolute https URL (http only for localhost)');

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function isRedirectableUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname));
  } catch {
    return false;
  }
}

/** `paymentFlow.paymentModeConfig` (docs/phonepe-protocol.md#checkout-pay): items kept as given, but never both lists. */
export const paymentModeConfigSchema = z
  .object({
    version: z.string().optional(),
    enabledPaymentModes: z.array(z.looseObject({ type: z.string().min(1) })).optional(),
    disabledPaymentModes: z.array(z.looseObject({ type: z.string().min(1) })).optional(),
  })
  .refine((config) => config.enabledPaymentModes === undefined || config.disabledPaymentModes === undefined, {
    message: 'must not be set together with enabledPaymentModes (PhonePe rejects both)',
    path: ['disabledPaymentModes'],
  });
