import { z } from 'zod';
import { type Clock, systemClock } from '../common/clock.js';
import { type AssertTrue, parseOptions, type SchemaMatches } from '../common/invalid-options.js';
import { type Logger, silentLogger } from '../common/logger.js';
import { functionOption, httpUrlOption, sleepOption, transportOptionsShape } from '../common/transport-options.js';

/**
 * Razorpay's API base, `/v1` included (docs/razorpay.md#protocol-notes).
 *
 * @example
 * new RazorpayClient({ keyId, keySecret, baseUrl: RAZORPAY_BASE_URL });
 */
export const RAZORPAY_BASE_URL = 'https://api.razorpay.com/v1';

/**
 * How reads (GETs) are retried after a network error, a timeout, a 429 or a 5xx: exponential backoff
 * with full jitter, honouring `Retry-After`. Creating calls are never re-sent.
 *
 * @example
 * new RazorpayClient({ keyId, keySecret, retry: { limit: 4, baseDelayMs: 500 } });
 */
export interface RazorpayRetryOptions {
  /** Re-sends after the first attempt (0 turns retries off). @default 2 */
  limit?: number;
  /** Backoff base: re-send n waits a random time in [0, baseDelayMs × 2^(n-1)]. @default 250 */
  baseDelayMs?: number;
  /** Upper bound for any wait, `Retry-After` included. @default 5000 */
  maxDelayMs?: number;
}

/**
 * One step of a client call, for metrics: `request` before each HTTP attempt, `response` when it got a
 * status, `error` when it got none. Never carries a body, a key or a header.
 *
 * @example
 * new RazorpayClient({ keyId, keySecret, onEvent: (e) => e.type === 'response' && histogram.observe(e.durationMs) });
 */
export interface RazorpayClientEvent {
  type: 'request' | 'response' | 'error';
  /** The client method, e.g. `createOrder`. */
  operation: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The path without host or query, e.g. `/orders/order_1`. */
  path: string;
  /** HTTP status (on `response` events). */
  status?: number;
  /** 0 on `request`, the attempt's duration on `response` and `error`. */
  durationMs: number;
  /** 1-based attempt number. */
  attempt: number;
  /** The error's `code` (on `error` events). */
  errorCode?: string;
}

/**
 * Options of `new RazorpayClient(options)`. Validated at construction; unknown keys are rejected.
 *
 * @example
 * const options: RazorpayClientOptions = { keyId: 'rzp_test_1DP5mmOlF5G5ag', keySecret: 'secret' };
 */
export interface RazorpayClientOptions {
  /** The API key id (`rzp_test_…` / `rzp_live_…`), the Basic-auth user name. */
  keyId: string;
  /** The API key secret, the Basic-auth password. Never logged or put into an error. */
  keySecret: string;
  /** The API base with `/v1`, e.g. a local emulator's `${url}/v1`. @default RAZORPAY_BASE_URL */
  baseUrl?: string;
  /** Limit per HTTP attempt, in ms. @default 30000 */
  timeoutMs?: number;
  /** Retry policy for reads. @default { limit: 2, baseDelayMs: 250, maxDelayMs: 5000 } */
  retry?: RazorpayRetryOptions;
  /** The fetch to use. @default globalThis.fetch, read per request (so msw works) */
  fetch?: typeof globalThis.fetch;
  /** pino-shaped logger: debug per attempt, warn when a creating call's outcome is looked up. @default silentLogger */
  logger?: Logger;
  /** Time source (for `Retry-After` dates). @default systemClock */
  clock?: Clock;
  /** Metrics hook; a throwing listener is logged and ignored. */
  onEvent?: (event: RazorpayClientEvent) => void;
  /** How the client waits between retries; inject `async () => {}` in tests. @default setTimeout-based */
  sleep?: (ms: number) => Promise<void>;
}

/** {@link RazorpayClientOptions} after validation and defaults. */
export interface ResolvedRazorpayOptions {
  keyId: string;
  keySecret: string;
  baseUrl: string;
  timeoutMs: number;
  retry: Required<RazorpayRetryOptions>;
  fetch: typeof globalThis.fetch | undefined;
  logger: Logger;
  clock: Clock;
  onEvent: ((event: RazorpayClientEvent) => void) | undefined;
  sleep: (ms: number) => Promise<void>;
}

const optionsSchema = z.strictObject({
  // A colon would split the Basic-auth pair in the wrong place (RFC 7617 §2).
  keyId: z
    .string()
    .min(1, 'must be a non-empty string')
    .refine((v) => !v.includes(':'), 'must not contain ":"'),
  keySecret: z.string().min(1, 'must be a non-empty string'),
  baseUrl: httpUrlOption.optional(),
  ...transportOptionsShape,
  onEvent: functionOption<(event: RazorpayClientEvent) => void>().optional(),
  sleep: sleepOption,
});

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Validates `RazorpayClient` options and fills the defaults; throws `InvalidOptionsError` naming the bad
 * option (never its value).
 *
 * @example
 * resolveRazorpayOptions({ keyId: 'rzp_test_1', keySecret: 's' }).baseUrl; // 'https://api.razorpay.com/v1'
 */
export function resolveRazorpayOptions(input: unknown): ResolvedRazorpayOptions {
  const options = parseOptions(optionsSchema, input, 'RazorpayClient');
  return {
    keyId: options.keyId,
    keySecret: options.keySecret,
    baseUrl: (options.baseUrl ?? RAZORPAY_BASE_URL).replace(/\/+$/, ''),
    timeoutMs: options.timeoutMs ?? 30_000,
    retry: { limit: 2, baseDelayMs: 250, maxDelayMs: 5_000, ...options.retry },
    fetch: options.fetch,
    logger: options.logger ?? silentLogger,
    clock: options.clock ?? systemClock,
    onEvent: options.onEvent,
    sleep: options.sleep ?? realSleep,
  };
}

// The compiler keeps the interface and its schema in step.
// biome-ignore lint/correctness/noUnusedVariables: a compile-time check, never used at runtime
type OptionsTiedToSchema = AssertTrue<SchemaMatches<typeof optionsSchema, RazorpayClientOptions>>;
