import { type AssertTrue, parseOptions, type SchemaMatches } from '../common/invalid-options.js';
import { z } from 'zod';
import { type Clock, systemClock } from '../common/clock.js';
import { type Logger, silentLogger } from '../common/logger.js';
import { functionOption, httpUrlOption, sleepOption, transportOptionsShape } from '../common/transport-options.js';
import { type PhonePeBaseUrls, type PhonePeEnvironment, PHONEPE_ENVIRONMENTS, phonePeBaseUrls } from './base-urls.js';
import type { PhonePeEventListener } from './client-events.js';

/**
 * How safe calls (status GETs and the OAuth token call) are retried after a network error, a
 * timeout, a 429 or a 5xx: exponential backoff with full jitter, honouring `Retry-After`.
 *
 * @example
 * new PhonePeClient({ ...credentials, retry: { limit: 4, baseDelayMs: 500 } });
 */
export interface PhonePeRetryOptions {
  /** Re-sends after the first attempt (0 turns retries off). @default 2 */
  limit?: number;
  /** Backoff base: attempt n waits a random time in [0, baseDelayMs × 2^(n-1)]. @default 250 */
  baseDelayMs?: number;
  /** Upper bound for any wait, `Retry-After` included. @default 5000 */
  maxDelayMs?: number;
}

/**
 * Options of `new PhonePeClient(options)`. Validated at construction; unknown keys are rejected.
 *
 * @example
 * const options: PhonePeClientOptions = { clientId: 'M1', clientSecret: 's', clientVersion: '1', env: 'SANDBOX' };
 */
export interface PhonePeClientOptions {
  /** Issued by PhonePe at onboarding. */
  clientId: string;
  /** Issued by PhonePe at onboarding. Never logged or put into an error. */
  clientSecret: string;
  /** Issued by PhonePe at onboarding (an integer; `1` in UAT per older docs). */
  clientVersion: string | number;
  /** Selects PhonePe's hosts (docs/phonepe-protocol.md#hosts). */
  env: PhonePeEnvironment;
  /** Overrides both hosts, e.g. the local emulator. @default the hosts of `env` */
  baseUrls?: PhonePeBaseUrls;
  /** Limit per HTTP attempt, in ms. @default 30000 */
  timeoutMs?: number;
  /** Retry policy for safe calls. @default { limit: 2, baseDelayMs: 250, maxDelayMs: 5000 } */
  retry?: PhonePeRetryOptions;
  /** The fetch to use. @default globalThis.fetch, read per request (so msw and similar work) */
  fetch?: typeof globalThis.fetch;
  /** pino-shaped logger: debug per HTTP attempt, warn when an expiring token is kept. @default silentLogger */
  logger?: Logger;
  /** Time source for token expiry (epoch ms). @default systemClock */
  clock?: Clock;
  /** Metrics hook, called for every request, response, network error and token fetch. */
  onEvent?: PhonePeEventListener;
  /** How the client waits between retries; inject `async () => {}` in tests. @default setTimeout-based */
  sleep?: (ms: number) => Promise<void>;
}

/** Options after validation and defaults. */
export interface ResolvedClientOptions {
  clientId: string;
  clientSecret: string;
  clientVersion: string;
  env: PhonePeEnvironment;
  baseUrls: PhonePeBaseUrls;
  timeoutMs: number;
  retry: Required<PhonePeRetryOptions>;
  fetch: typeof globalThis.fetch | undefined;
  logger: Logger;
  clock: Clock;
  onEvent: PhonePeEventListener | undefined;
  sleep: (ms: number) => Promise<void>;
}

const optionsSchema = z.strictObject({
  clientId: z.string().min(1, 'must be a non-empty string'),
  clientSecret: z.string().min(1, 'must be a non-empty string'),
  clientVersion: z.union(
    [z.string().min(1), z.number().int().nonnegative()],
    'must be a non-empty string or an integer',
  ),
  env: z.enum(PHONEPE_ENVIRONMENTS, `must be one of ${PHONEPE_ENVIRONMENTS.join(', ')}`),
  baseUrls: z.strictObject({ pg: httpUrlOption, oauth: httpUrlOption }).optional(),
  ...transportOptionsShape,
  onEvent: functionOption<PhonePeEventListener>().optional(),
  sleep: sleepOption,
});

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RETRY = { limit: 2, baseDelayMs: 250, maxDelayMs: 5_000 } as const;
const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Validates `PhonePeClient` options and fills the defaults. Throws `InvalidOptionsError` (code
 * `INVALID_OPTIONS`, a `TypeError`) naming the bad option, as every constructor of the library does;
 * unknown keys are listed with the known ones. Never echoes a value (the secret could be in any of them).
 */
export function resolveClientOptions(input: unknown): ResolvedClientOptions {
  const options = parseOptions(optionsSchema, input, 'PhonePeClient');
  return {
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    clientVersion: String(options.clientVersion),
    env: options.env,
    baseUrls: options.baseUrls === undefined ? phonePeBaseUrls(options.env) : trimBaseUrls(options.baseUrls),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retry: { ...DEFAULT_RETRY, ...options.retry },
    fetch: options.fetch,
    logger: options.logger ?? silentLogger,
    clock: options.clock ?? systemClock,
    onEvent: options.onEvent,
    sleep: options.sleep ?? realSleep,
  };
}

function trimBaseUrls(urls: PhonePeBaseUrls): PhonePeBaseUrls {
  return { pg: urls.pg.replace(/\/+$/, ''), oauth: urls.oauth.replace(/\/+$/, '') };
}

// The compiler keeps the interface and its schema in step (an option added to one only fails the build).
// biome-ignore lint/correctness/noUnusedVariables: a compile-time check, never used at runtime
type OptionsTiedToSchema = AssertTrue<SchemaMatches<typeof optionsSchema, PhonePeClientOptions>>;
