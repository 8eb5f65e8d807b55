import { z } from 'zod';
import type { AssertTrue, SchemaMatches } from '../../common/invalid-options.js';
import type { Clock } from '../../common/clock.js';
import { type Logger, silentLogger } from '../../common/logger.js';
import type { RazorpayCoreConfig } from './razorpay-core.js';
import { defaultRazorpayEmulatorCredentials } from './default-razorpay-credentials.js';

/** Where and how the Razorpay emulator POSTs webhooks. */
export interface RazorpayEmulatorWebhookOptions {
  /** Your endpoint. Without it, webhooks are still recorded in `emu.webhooks` (status `not-configured`). */
  url?: string;
  /**
   * Retries after a non-2xx answer or no answer, on real timers. Razorpay retries with exponential
   * backoff for 24 hours (https://razorpay.com/docs/webhooks/best-practices/); the emulator keeps the
   * shape and shrinks the times. `delaysMs[i]` is the wait before retry i+1 (the last one repeats).
   * @default { retries: 5, delaysMs: [200, 400, 800, 1600, 3200] }
   */
  retry?: { retries?: number; delaysMs?: number[] };
  /** How long one attempt waits for an answer. @default 5000 */
  timeoutMs?: number;
  /** How long a checkout button or control call waits for the first attempt before going on. @default 2000 */
  waitForFirstAttemptMs?: number;
  /** The fetch used to deliver webhooks. @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** Options for {@link startRazorpayEmulator}. */
export interface RazorpayEmulatorOptions {
  /** Port to listen on; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
  /** The origin browsers and clients should use (behind a proxy or in a container). @default `http://<host>:<port>` */
  publicUrl?: string;
  /** Largest request body accepted. @default 1048576 */
  maxBodyBytes?: number;
  /** Key id accepted in HTTP Basic auth and by checkout. @default defaultRazorpayEmulatorCredentials.keyId */
  keyId?: string;
  /** Key secret: Basic auth password and the key of `razorpay_signature`. @default defaultRazorpayEmulatorCredentials.keySecret */
  keySecret?: string;
  /** Webhook secret: the key of `X-Razorpay-Signature`. @default defaultRazorpayEmulatorCredentials.webhookSecret */
  webhookSecret?: string;
  /** `account_id` on webhook events. @default defaultRazorpayEmulatorCredentials.accountId */
  accountId?: string;
  webhook?: RazorpayEmulatorWebhookOptions;
  /**
   * A paid UPI Autopay authorisation order confirms its token at once (`token.confirmed`). `false`
   * leaves it `initiated` until `emu.confirmToken` / `emu.rejectToken`. @default true
   */
  confirmTokens?: boolean;
  /**
   * `immediate`: `POST /v1/payments/create/recurring` captures at once. `manual`: the payment stays
   * `created` (Razorpay debits UPI mandates after its pre-debit notification) until `emu.payOrder` /
   * `emu.failOrder` on its order. @default 'immediate'
   */
  recurringDebits?: 'immediate' | 'manual';
  /**
   * A new refund is `pending` and becomes `processed` this long after creation on the emulator clock
   * (`advanceTime`, or real time passing); 0 processes at once; null waits for `emu.processRefund` /
   * `emu.failRefund`. @default 60000
   */
  refundProcessAfterMs?: number | null;
  /** Time source; a `ManualClock` is advanced by `advanceTime`. @default real time plus an offset */
  clock?: Clock;
  /** Where the emulator logs (never secrets). @default silentLogger */
  logger?: Logger;
}

const secret = z.string().min(8, 'must be at least 8 characters');

/** Zod schema of {@link RazorpayEmulatorOptions}. */
export const razorpayEmulatorOptionsSchema = z.strictObject({
  port: z.number().int().min(0).max(65_535).optional(),
  host: z.string().min(1).optional(),
  publicUrl: z.url().optional(),
  maxBodyBytes: z.number().int().positive().optional(),
  keyId: z
    .string()
    .regex(/^rzp_(test|live)_\w+$/, 'keyId must look like rzp_test_…')
    .optional(),
  keySecret: secret.optional(),
  webhookSecret: secret.optional(),
  accountId: z.string().min(1).optional(),
  webhook: z
    .strictObject({
      url: z.url().optional(),
      retry: z
        .strictObject({
          retries: z.number().int().min(0).max(50).optional(),
          delaysMs: z.array(z.number().int().min(0)).min(1).optional(),
        })
        .optional(),
      timeoutMs: z.number().int().positive().optional(),
      waitForFirstAttemptMs: z.number().int().min(0).optional(),
      fetch: z.custom<typeof fetch>((v) => typeof v === 'function', 'webhook.fetch must be a function').optional(),
    })
    .optional(),
  confirmTokens: z.boolean().optional(),
  recurringDebits: z.enum(['immediate', 'manual']).optional(),
  refundProcessAfterMs: z.number().int().min(0).nullable().optional(),
  clock: z
    .custom<Clock>((v) => typeof (v as Clock | undefined)?.now === 'function', 'clock must have a now() method')
    .optional(),
  logger: z
    .custom<Logger>((v) => typeof (v as Logger | undefined)?.debug === 'function', 'logger must be pino-shaped')
    .optional(),
});

/** Validated options → the core's config, defaults applied in one place. */
export function toRazorpayCoreConfig(options: z.infer<typeof razorpayEmulatorOptionsSchema>): RazorpayCoreConfig {
  const d = defaultRazorpayEmulatorCredentials;
  const webhook = options.webhook ?? {};
  return {
    keyId: options.keyId ?? d.keyId,
    keySecret: options.keySecret ?? d.keySecret,
    webhookSecret: options.webhookSecret ?? d.webhookSecret,
    accountId: options.accountId ?? d.accountId,
    webhookUrl: webhook.url,
    webhookRetries: webhook.retry?.retries ?? 5,
    webhookDelaysMs: webhook.retry?.delaysMs ?? [200, 400, 800, 1_600, 3_200],
    webhookTimeoutMs: webhook.timeoutMs ?? 5_000,
    waitForFirstAttemptMs: webhook.waitForFirstAttemptMs ?? 2_000,
    webhookFetch: webhook.fetch,
    confirmTokens: options.confirmTokens ?? true,
    recurringDebits: options.recurringDebits ?? 'immediate',
    refundProcessAfterMs: options.refundProcessAfterMs === undefined ? 60_000 : options.refundProcessAfterMs,
    clock: options.clock,
    logger: options.logger ?? silentLogger,
  };
}

// The compiler keeps the interface and its schema in step (an option added to one only fails the build).
type OptionsTiedToSchema = AssertTrue<SchemaMatches<typeof razorpayEmulatorOptionsSchema, RazorpayEmulatorOptions>>;
