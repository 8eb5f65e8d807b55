import { z } from 'zod';

const id = (what: string) => z.string().min(1, `${what} is required`).max(128, `${what} is at most 128 characters`);

/**
 * Input of `SubscriptionManager.createCheckout`.
 *
 * @example
 * const input: CreateCheckoutInput = { workspaceId: 'ws_1', userId: 'u_1', planId: 'pro', amount: 299900,
 *   currency: 'INR', returnUrl: 'https://app.example.com/billing', idempotencyKey: 'checkout-ws_1-2026-11' };
 */
export const createCheckoutInputSchema = z.strictObject({
  workspaceId: id('workspaceId'),
  userId: id('userId').nullable().default(null),
  planId: id('planId'),
  /** Integer paise; must equal the plan price exactly (parse rupee strings with `parseRupeeAmount`). */
  amount: z.number().refine(Number.isSafeInteger, 'amount must be a whole number of paise'),
  currency: z.string().default('INR'),
  /** Where the payer lands after paying; must match the redirect allowlist. */
  returnUrl: z.string(),
  /** The same key returns the same checkout (per workspace). */
  idempotencyKey: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[\x21-\x7e]+$/, 'idempotencyKey must be printable ASCII without spaces')
    .optional(),
  /** Set up a UPI autopay mandate with the first payment, so renewals are debited automatically. */
  autopay: z.boolean().default(false),
});

/** The input of `billing.createCheckout()`: workspace, user, plan and the return URL. */
export type CreateCheckoutInput = z.input<typeof createCheckoutInputSchema>;

/** What `createCheckout` returns: send the payer to `paymentUrl`. */
export interface CheckoutSession {
  /** Our transaction id (the payment row). */
  transactionId: string;
  /** The merchant order id: use it with `refreshPayment`, `GET /payments/status/{order_id}`. */
  orderId: string;
  /** PhonePe's hosted payment page. `null` only if PhonePe accepted the order but its answer was lost. */
  paymentUrl: string | null;
  amount: number;
  currency: 'INR';
  planId: string;
  autopay: boolean;
  state: string;
  /** When PhonePe expires the order (epoch ms), if known. */
  expiresAt: number | null;
  /** True when an earlier call with the same idempotency key created this checkout. */
  replayed: boolean;
}
