import { z } from 'zod';
import type { Clock } from '../common/clock.js';
import { type Logger, silentLogger } from '../common/logger.js';
import type { EmulatorCoreConfig } from './core/emulator-core.js';
import {
  DEFAULT_CANCEL_COMPLETES_AFTER_MS,
  DEFAULT_REFUND_CONFIRM_AFTER_MS,
  DEFAULT_REFUND_SETTLE_AFTER_MS,
  DEFAULT_TOKEN_TTL_SECONDS,
} from './core/protocol-defaults.js';
import {
  API_FAMILIES,
  type ApiFamily,
  type EmulatorOutcome,
  OUTCOMES,
  RESPONSE_SHAPES,
  type ResponseShape,
} from './core/records.js';
import { defaultEmulatorMerchant, defaultEmulatorWebhookCredentials } from './default-test-credentials.js';
import { InvalidOptionsError } from '../common/invalid-options.js';

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
  /** How long one attempt waits for an answer. @default 5000 (PhonePe expects 2xx within 3–5 s, docs/phonepe-protocol.md#webhook-delivery) */
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
  /**
   * How much the API answers carry. `minimal`: only what PhonePe's own SDK test fixtures show (no
   * `merchantId`/`merchantOrderId`/`currency` in order status, no `refundId` in refund status, no
   * `expireAt` in the notify answer …), so a client that needs more fails in tests, not in production.
   * `documented`: every field PhonePe's doc samples show. Webhook payloads keep the ids the docs
   * show in both; control calls (`emu.getOrder`, `emu.state()`) always report everything.
   * @default 'minimal'
   */
  responseShape?: ResponseShape;
  /**
   * The path families on which mandates set up through checkout (`/checkout/v2/pay`) can be managed:
   * subscription status, cancel, notify, redeem, and the status of their redemption orders. The
   * other family answers as {@link wrongFamilyStatus} says. Mandates set up with
   * `/subscriptions/v2/setup` are served on both. @default ['checkout', 'subscriptions']
   */
  mandateFamilies?: ApiFamily[];
  /**
   * What a family left out of {@link mandateFamilies} answers: `404` (the mandate or order is not
   * found there) or `401` (PhonePe's gateway `PR004`, as one production report describes for
   * cancel). @default 404
   */
  wrongFamilyStatus?: 401 | 404;
  /**
   * Refuse a hosted-page load that arrives without a `Referer` (PhonePe blocks a PayPage opened in a
   * new tab, from an e-mail, or under `Referrer-Policy: no-referrer`). `true`: any referrer will do;
   * a list of origins: the referrer must come from one of them. @default false
   */
  requireReferrer?: boolean | string[];
  /** How long a merchant cancel stays `CANCEL_IN_PROGRESS` on the virtual clock before it is `CANCELLED`. @default 5000 */
  cancelCompletesAfterMs?: number;
  /** Access-token lifetime on the virtual clock. @default 624600 (PhonePe's documented sample token) */
  tokenTtlSeconds?: number;
  /** Time source; a `ManualClock` is advanced by `advanceTime`. @default real time plus an offset */
  clock?: Clock;
  /** Refund timeline on the virtual clock, counted from creation. @default { confirmAfterMs: 10000, settleAfterMs: 60000 } */
  refundTimeline?: { confirmAfterMs?: number; settleAfterMs?: number };
  /** Where the emulator logs (never secrets). @default silentLogger */
  logger?: Logger;
}

const webhookTarget = z.strictObject({
  url: z.url(),
  username: z.string().min(1).optional(),
  password: z.string().min(1).optional(),
});

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
  retry: z
    .strictObject({
      retries: z.number().int().min(0).max(50).optional(),
      delaysMs: z.array(z.number().int().min(0)).min(1).optional(),
    })
    .optional(),
  timeoutMs: z.number().int().positive().optional(),
  waitForFirstAttemptMs: z.number().int().min(0).optional(),
  fetch: z.custom<typeof fetch>((v) => typeof v === 'function', 'webhook.fetch must be a function').optional(),
});

/** Zod shape of {@link EmulatorCoreOptions}; the server and msw schemas extend it. */
export const coreOptionsShape = {
  merchants: z.array(merchantSchema).min(1).optional(),
  webhook: webhookSchema.optional(),
  outcome: z.enum(OUTCOMES).optional(),
  responseShape: z.enum(RESPONSE_SHAPES).optional(),
  mandateFamilies: z.array(z.enum(API_FAMILIES)).min(1, 'mandateFamilies needs at least one family').optional(),
  wrongFamilyStatus: z.union([z.literal(401), z.literal(404)], 'wrongFamilyStatus must be 401 or 404').optional(),
  requireReferrer: z
    .union([
      z.boolean(),
      z.array(z.url()).min(1, 'requireReferrer needs at least one origin (or true for any referrer)'),
    ])
    .optional(),
  cancelCompletesAfterMs: z.number().int().min(0).optional(),
  tokenTtlSeconds: z.number().int().positive().optional(),
  clock: z
    .custom<Clock>((v) => typeof (v as Clock | undefined)?.now === 'function', 'clock must have a now() method')
    .optional(),
  refundTimeline: z
    .strictObject({
      confirmAfterMs: z.number().int().min(0).optional(),
      settleAfterMs: z.number().int().min(0).optional(),
    })
    .optional(),
  logger: z
    .custom<Logger>((v) => typeof (v as Logger | undefined)?.debug === 'function', 'logger must be pino-shaped')
    .optional(),
};

// Options are validated with the library's one parseOptions: InvalidOptionsError, one message shape.
export { parseOptions } from '../common/invalid-options.js';

/** Turns validated options into the core's config (defaults applied, one place). */
export function toCoreConfig(
  options: z.infer<z.ZodObject<typeof coreOptionsShape>>,
  defaultFetch?: typeof fetch,
): EmulatorCoreConfig {
  const given: EmulatorMerchantOptions[] = options.merchants ?? [{ ...defaultEmulatorMerchant }];
  const merchants = given.map((m) => ({
    ...m,
    clientVersion: String(m.clientVersion),
    webhook: m.webhook ? withCredentials(m.webhook) : undefined,
  }));
  assertUnique(
    merchants.map((m) => m.merchantId),
    'merchantId',
  );
  assertUnique(
    merchants.map((m) => m.clientId),
    'clientId',
  );
  const webhook = options.webhook;
  const refund = options.refundTimeline ?? {};
  const confirmAfterMs = refund.confirmAfterMs ?? DEFAULT_REFUND_CONFIRM_AFTER_MS;
  return {
    merchants,
    outcome: options.outcome ?? 'manual',
    responseShape: options.responseShape ?? 'minimal',
    mandateFamilies: [...new Set(options.mandateFamilies ?? API_FAMILIES)],
    wrongFamilyStatus: options.wrongFamilyStatus ?? 404,
    requireReferrer: referrerRule(options.requireReferrer),
    cancelCompletesAfterMs: options.cancelCompletesAfterMs ?? DEFAULT_CANCEL_COMPLETES_AFTER_MS,
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

/** `false` → no check; `true` → any referrer; origins → only those (compared as origins). */
function referrerRule(option: boolean | string[] | undefined): EmulatorCoreConfig['requireReferrer'] {
  if (!option) return false;
  if (option === true) return 'any';
  return option.map((url) => new URL(url).origin);
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
  if (duplicate)
    throw new InvalidOptionsError(
      'PhonePe emulator',
      `merchants.${field}`,
      `PhonePe emulator options: two merchants share the ${field} "${duplicate}"; give each merchant its own.`,
    );
}
