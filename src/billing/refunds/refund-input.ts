import { z } from 'zod';

/**
 * Input of `SubscriptionManager.refund`.
 *
 * @example
 * await billing.refund('ord_1', { amount: 50000, reason: 'duplicate charge', requestedBy: 'u_1' });
 */
export const refundInputSchema = z.strictObject({
  /** Paise to refund; defaults to everything not yet refunded. At least 100 paise. */
  amount: z
    .number()
    .refine(Number.isSafeInteger, 'amount must be a whole number of paise')
    .refine((v) => v >= 100, 'amount must be at least 100 paise')
    .optional(),
  reason: z.string().max(500).nullable().default(null),
  requestedBy: z.string().max(128).nullable().default(null),
  /** Restrict to one workspace (the HTTP layer passes the caller's). */
  workspaceId: z.string().min(1).optional(),
});

/** The input of `billing.refund()`: the payment, the amount in paise and the reason. */
export type RefundInput = z.input<typeof refundInputSchema>;
