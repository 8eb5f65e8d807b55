import { z } from 'zod';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

const origin = z.string().min(1);
const duration = (fallback: number) => z.number().int().nonnegative().default(fallback);

/**
 * `SubscriptionManager` configuration. Only `callbackUrl` and `redirectAllowlist` are required.
 *
 * @example
 * const config: BillingConfigInput = {
 *   callbackUrl: 'https://api.example.com/v1/payments/callback',
 *   redirectAllowlist: ['https://app.example.com'],
 * };
 */
export const billingConfigSchema = z.strictObject({
  /**
   * Absolute URL of the mounted `GET /payments/callback` route. PhonePe sends the payer's browser
   * there (with `?order_id=<merchantOrderId>` appended), and it redirects on to the stored return URL.
   */
  callbackUrl: z.url({ protocol: /^https?$/ }),
  /** Origins a checkout's `returnUrl` may point to (exact origin match). */
  redirectAllowlist: z.array(origin).min(1),
  /** Accept `http://localhost…` return URLs (development only). @default false */
  allowHttpLocalhost: z.boolean().default(false),
  /**
   * Confirm every webhook with PhonePe's order-status API before changing state (a webhook is a hint;
   * its Authorization header is a static credential, not a body signature). @default true
   */
  confirmWebhooks: z.boolean().default(true),
  /** `expireAfter` sent with checkout orders, in seconds (PhonePe allows 300–3600). @default 1800 */
  orderExpireAfterSeconds: z.number().int().min(300).max(3600).default(1800),
  /** Usage percentages at which the `quotaWarning` hook fires. @default [80, 100] */
  quotaWarningThresholds: z.array(z.number().int().min(1).max(100)).default([80, 100]),
  autopay: z
    .strictObject({
      /** Offer UPI autopay mandates at all. @default true */
      enabled: z.boolean().default(true),
      /**
       * Largest plan price a mandate may be set up for, in paise. Default ₹5,000 (500000), the seed's
       * limit; RBI currently allows recurring debits up to ₹15,000 (1500000) without extra authentication.
       * @default 500000
       */
      maxAmountPaise: z.number().int().min(100).max(1_500_000).default(500_000),
      /** How long before the due date the pre-debit notice is sent; must leave ≥ 24 h. @default 48 h */
      notifyLeadMs: z
        .number()
        .int()
        .min(25 * HOUR_MS)
        .default(2 * DAY_MS),
      /** What a payer-revoked or cancelled mandate does: fall back to manual renewal, or end at period end. @default 'manual' */
      onMandateEnded: z.enum(['manual', 'expire']).default('manual'),
      /**
       * Which PhonePe path family manages the mandates this library sets up through checkout:
       * `checkout` (`/checkout/v2/subscriptions/*`) or `api` (`/subscriptions/v2/*`). Public sources
       * disagree; status, cancel and redemption status fall back to the other family once on 401/404
       * and log it (docs/phonepe-protocol.md#unsettled-path-family). @default 'checkout'
       */
      pathFamily: z.enum(['checkout', 'api']).default('checkout'),
    })
    .prefault({}),
  renewal: z
    .strictObject({
      /** How long before the period end a manual-renewal reminder (with a renewal checkout) is sent. @default 3 days */
      reminderLeadMs: duration(3 * DAY_MS),
      /** How long a past-due subscription keeps access before it expires. @default 3 days */
      graceMs: duration(3 * DAY_MS),
      /** Autopay debit attempts per cycle (the first plus retries) before waiting out the grace period. @default 3 */
      maxAttempts: z.number().int().min(1).max(10).default(3),
      /**
       * Wait between a failed debit and the next pre-debit notice. Each retry also waits the 24 h notice
       * window, so with the defaults the 3 attempts fall at the due date, +24 h and +48 h — inside the
       * 3-day grace period. @default 0
       */
      retryDelayMs: duration(0),
      /** How long a renewal worker holds a claimed subscription. @default 5 minutes */
      leaseMs: z
        .number()
        .int()
        .min(1000)
        .default(5 * 60 * 1000),
      /**
       * Your billing page, for renewal reminders: the `renewalReminder` hook hands it to you to put in the
       * e-mail, never PhonePe's own payment link (PhonePe refuses its PayPage opened without a referrer,
       * as from an e-mail client, and the link lives an hour). @default null
       */
      billingPageUrl: z
        .url({ protocol: /^https?$/ })
        .nullable()
        .default(null),
    })
    .prefault({}),
  /** Delivery of billing events from the outbox to the hooks (docs/billing.md#hooks). */
  outbox: z
    .strictObject({
      /**
       * Deliver the events a transaction wrote right after it commits, in this process. Turn it off in a
       * process without the hooks (an HTTP server whose hooks run in a worker calling `dispatchEvents()`):
       * a process delivers an event it has no hook for by marking it delivered. @default true
       */
      deliverInProcess: z.boolean().default(true),
      /** Delivery attempts of one event (the first plus retries) before it is dead-lettered. @default 8 */
      maxAttempts: z.number().int().min(1).max(100).default(8),
      /** Wait after the first failed attempt; doubled after each further failure. @default 10 s */
      backoffBaseMs: z.number().int().min(0).default(10_000),
      /** The longest wait between two attempts. @default 1 hour */
      maxBackoffMs: z.number().int().min(0).default(HOUR_MS),
      /** How long a dispatcher holds the events it claimed (a dispatcher that dies frees them after it). @default 1 minute */
      leaseMs: z.number().int().min(1000).default(60_000),
    })
    .prefault({}),
});

/** What a host passes as `config` (defaults filled in by the manager). */
export type BillingConfigInput = z.input<typeof billingConfigSchema>;
/** The configuration with every default applied. */
export type BillingConfig = z.output<typeof billingConfigSchema>;
