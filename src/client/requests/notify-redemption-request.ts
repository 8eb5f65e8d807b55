import { z } from 'zod';
import { REDEMPTION_RETRY_STRATEGIES } from '../schemas/subscription-values.js';
import { metaInfoSchema } from './meta-info.js';
import {
  epochMsRequestSchema,
  MIN_NOTIFY_AMOUNT_PAISE,
  merchantIdSchema,
  paiseAmountSchema,
} from './request-fields.js';

/** The two notify flow types; each picks its family's endpoint (docs/phonepe-protocol.md#autopay). */
export const NOTIFY_FLOW_TYPES = ['SUBSCRIPTION_CHECKOUT_REDEMPTION', 'SUBSCRIPTION_REDEMPTION'] as const;

/** Notify body of both families (docs/phonepe-protocol.md#notify). */
export const notifyRedemptionRequestSchema = z.object({
  /** New id per billing cycle; the same id is later passed to executeRedemption. */
  merchantOrderId: merchantIdSchema,
  /** Paise to debit; must not exceed the mandate's maxAmount. */
  amount: paiseAmountSchema(MIN_NOTIFY_AMOUNT_PAISE),
  /** When the redemption order expires, epoch ms (PhonePe's default applies when absent). */
  expireAt: epochMsRequestSchema.optional(),
  metaInfo: metaInfoSchema.optional(),
  paymentFlow: z.object({
    /**
     * `SUBSCRIPTION_CHECKOUT_REDEMPTION` → `/checkout/v2/subscriptions/notify` (default when left
     * out); `SUBSCRIPTION_REDEMPTION` → `/subscriptions/v2/notify`.
     */
    type: z.enum(NOTIFY_FLOW_TYPES).optional(),
    merchantSubscriptionId: merchantIdSchema,
    /** `STANDARD` (PhonePe retries failed debits) or `CUSTOM` (you do). */
    redemptionRetryStrategy: z.enum(REDEMPTION_RETRY_STRATEGIES).optional(),
    /** `true`: PhonePe debits by itself after the notice window; do not call executeRedemption. */
    autoDebit: z.boolean().optional(),
  }),
});

/**
 * A pre-debit notification for one billing cycle of an ACTIVE mandate. Debit it at least 24 h
 * later with `executeRedemption` (unless `autoDebit`).
 *
 * @example
 * const request: NotifyRedemptionRequest = {
 *   merchantOrderId: 'cycle_2026_02', amount: 49900,
 *   paymentFlow: { type: 'SUBSCRIPTION_CHECKOUT_REDEMPTION', merchantSubscriptionId: 'sub_1', redemptionRetryStrategy: 'STANDARD', autoDebit: false },
 * };
 */
export type NotifyRedemptionRequest = z.input<typeof notifyRedemptionRequestSchema>;
