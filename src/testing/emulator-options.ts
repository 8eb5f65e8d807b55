import { z } from 'zod';
import type { Clock } from '../shared/clock.js';
import { silentLogger, type Logger } from '../shared/logger.js';
import type { EmulatorCoreConfig } from './core/emulator-core.js';
import {
  DEFAULT_REFUND_CONFIRM_AFTER_MS,
  DEFAULT_REFUND_SETTLE_AFTER_MS,
  DEFAULT_TOKEN_TTL_SECONDS,
} from './core/protocol-defaults.js';
import { OUTCOMES, type EmulatorOutcome } from './core/records.js';
import { defaultEmulatorMerchant, defaultEmulatorWebhookCredentials } from './default-test-credentials.js';
import { EmulatorOptionsError } from './emulator-options-error.js';
import { formatOptionsError } from './format-options-error.js';

/** A merchant whose credentials the emulator accepts. */
export interface EmulatorMerchantOptions {
  clientId: string;
  clientSecret: string;
  /** PhonePe issues an integer; a string or number is accepted. */
  clientVersion: string | number;
  merchantId: string;
  /** This merchant's outcome, overriding the emulator-wide one. */
  outcome?: EmulatorOutcome;
  /** This merchant's webhook endpoint, overriding the emulator-wide one. */
  webhook?: { url: string; username?: string; password?: string };
}

/** Where and how the emulator POSTs webhooks. */
export interface EmulatorWebhookOptions {
  /** The merchant's endpoint. Without it, webhooks are still recorded in `emu.webhooks` (status `not-configured`). */
  url?: string;
  /** @default defaultEmulatorWebhookCredentials.username */
  username?: string;
  /** @default defaultEmulatorWebhookCredentials.password */
  password?: string;
  /**
   * Retries after a non-2xx answer or no answer (real timers, not the virtual clock).
   * `delaysMs[i]` is the wait before retry i+1 (the last one repeats).
   * @default { retries: 3, delaysMs: [250, 1000, 4000] }
   */
  retry?: { retries?: number; delaysMs?: number[] };
  /** How long one attempt waits for an answer. @default 5000 (PhonePe expects 2xx within 3–5 s, §5.4) */
  timeoutMs?: number;
  /** How long a hosted-page button or control call waits for the first attempt before going on. @default 2000 */
  waitForFirstAttemptMs?: number;
  /** The fetch used to deliver webhooks. @default globalThis.fetch (msw handlers: one that bypasses msw) */
  fetch?: typeof fetch;
}

/** Options shared by {@link startPhonePeEmulator} and {@link phonePeHandlers}. */
export interface EmulatorCoreOptions {
  /** Credentials it accepts. @default [defaultEmulatorMerchant] */
  merchants?: EmulatorMerchantOptions[];
  webhook?: EmulatorWebhookOptions;
  /**
   * What happens without a person: `manual` waits for the hosted page or a control call;
   * `success`/`failure` settle new orders and redemptions at once; `pending` leaves them PENDING
   * (the hosted page's Pay starts a payment that never settles) until they expire.
   * @default 'manual'
   */
  outcome?: EmulatorOutcome;
  /** Access-token lifetime on the virtual clock. @default 3600 */
  tokenTtlSeconds?: number;
  /** Time source; a `ManualClock` is advanced by `advanceTime`. @default real time plus an offset */
  clock?: Clock;
  /** Refund timeline on the virtual clock, counted from creation. @default { confirmAfterMs: 10000, settleAfterMs: 60000 } */
  refundTimeline?: { confirmAfterMs?: number; settleAfterMs?: number };
  /** Where the emulator logs (never secrets). @default silentLogger */
  logger?: Logger;
}

const webhookTarget = z.strictObject({ url: z.url(), username: z.string().min(1).optional(), password: z.string().min(1).optional() });

const merchantSchema = z.strictObject({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  clientVersion: z.union([z.string().min(1), z.number().int().nonnegative()]),
  merchantId: z.string().min(1),
  outcome: z.enum(OUTCOMES).optional(),
  webhook: webhookTarget.optional(),
});

const webhookSchema = z.strictObject({
  url: z.url().optional(),
  username: z.string().min(1).optional(),
  password: z.string().min(1).optional(),
  retry: z.strictObject({ retries: z.number().int().min(0).max(50).optional(), delaysMs: z.array(z.number().int().min(0)).min(1).optional() }).optional(),
  timeoutMs: z.number().int().positive().optional(),
  waitForFirstAttemptMs: z.number().int().min(0).optional(),
  fetch: z.custom<typeof fetch>((v) => typeof v === 'function', 'webhook.fetch must be a function').optional(),
});

/** Zod shape of {@link EmulatorCoreOptions}; the server and msw schemas extend it. */
export const coreOptionsShape = {
  merchants: z.array(merchantSchema).min(1).optional(),
  webhook: webhookSchema.optional(),
  outcome: z.enum(OUTCOMES).optional(),
  tokenTtlSeconds: z.number().int().positive().optional(),
  clock: z.custom<Clock>((v) => typeof (v as Clock | undefined)?.now === 'function', 'clock must have a now() method').optional(),
  refundTimeline: z.strictObject({ confirmAfterMs: z.number().int().min(0).optional(), settleAfterMs: z.number().int().min(0).optional() }).optional(),
  logger: z.custom<Logger>((v) => typeof (v as Logger | undefined)?.debug === 'function', 'logger must be pino-shaped').optional(),
};

/** Validates `input` against `schema`, throwing {@link EmulatorOptionsError} with the known keys on a typo. */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown, label: string): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) throw new EmulatorOptionsError(formatOptionsError(schema, result.error, label));
  return result.data;
}

/** Turns validated options into the core's config (defaults applied, one place). */
export function toCoreConfig(options: z.infer<z.ZodObject<typeof coreOptionsShape>>, defaultFetch?: typeof fetch): EmulatorCoreConfig {
  const given: EmulatorMerchantOptions[] = options.merchants ?? [{ ...defaultEmulatorMerchant }];
  const merchants = given.map((m) => ({
    ...m,
    clientVersion: String(m.clientVersion),
    webhook: m.webhook ? withCredentials(m.webhook) : undefined,
  }));
  assertUnique(merchants.map((m) => m.merchantId), 'merchantId');
  assertUnique(merchants.map((m) => m.clientId), 'clientId');
  const webhook = options.webhook;
  const refund = options.refundTimeline ?? {};
  const confirmAfterMs = refund.confirmAfterMs ?? DEFAULT_REFUND_CONFIRM_AFTER_MS;
  return {
    merchants,
    outcome: options.outcome ?? 'manual',
    webhook: webhook?.url ? withCredentials({ ...webhook, url: webhook.url }) : undefined,
    webhookRetries: webhook?.retry?.retries ?? 3,
    webhookDelaysMs: webhook?.retry?.delaysMs ?? [250, 1_000, 4_000],
    webhookTimeoutMs: webhook?.timeoutMs ?? 5_000,
    waitForFirstAttemptMs: webhook?.waitForFirstAttemptMs ?? 2_000,
    webhookFetch: webhook?.fetch ?? defaultFetch,
    tokenTtlSeconds: options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS,
    refundConfirmAfterMs: confirmAfterMs,
    refundSettleAfterMs: Math.max(refund.settleAfterMs ?? DEFAULT_REFUND_SETTLE_AFTER_MS, confirmAfterMs),
    clock: options.clock,
    logger: options.logger ?? silentLogger,
  };
}

function withCredentials(target: { url: string; username?: string; password?: string }) {
  return {
    url: target.url,
    username: target.username ?? defaultEmulatorWebhookCredentials.username,
    password: target.password ?? defaultEmulatorWebhookCredentials.password,
  };
}

function assertUnique(values: string[], field: string): void {
  const duplicate = values.find((v, i) => values.indexOf(v) !== i);
  if (duplicate) throw new EmulatorOptionsError(`Two emulator merchants share the ${field} "${duplicate}"; give each merchant its own.`);
}
