import { z } from 'zod';
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';

// The options every gateway client (PhonePe's, Razorpay's) takes for its HTTP transport, as zod shapes: each
// client's options schema spreads `transportOptionsShape` beside its own credentials and base URL, so a
// rule (a timeout's bounds, what a logger must have) is written once.

const isFunction = (value: unknown): boolean => typeof value === 'function';

/** An option that must be a function (typed as `T`). */
export const functionOption = <T>() => z.custom<T>(isFunction, 'must be a function');

/** An option that must be an absolute http(s) URL. */
export const httpUrlOption = z
  .string()
  .refine((value) => /^https?:\/\/[^/]/.test(value) && URL.canParse(value), 'must be an absolute http(s) URL');

const nonNegativeMs = z.number().int('must be a whole number of ms').min(0, 'must be >= 0');

/** `timeoutMs`, `retry`, `fetch`, `logger` and `clock`, all optional (each client adds its `onEvent` and `sleep`). */
export const transportOptionsShape = {
  timeoutMs: z
    .number()
    .int('must be a whole number of ms')
    .min(1, 'must be >= 1')
    .max(600_000, 'must be <= 600000')
    .optional(),
  retry: z
    .strictObject({
      limit: z.number().int('must be a whole number').min(0, 'must be >= 0').max(10, 'must be <= 10').optional(),
      baseDelayMs: nonNegativeMs.optional(),
      maxDelayMs: nonNegativeMs.optional(),
    })
    .optional(),
  fetch: functionOption<typeof globalThis.fetch>().optional(),
  logger: z
    .custom<Logger>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        ['debug', 'info', 'warn', 'error'].every((level) => isFunction((value as Record<string, unknown>)[level])),
      'must have debug, info, warn and error methods',
    )
    .optional(),
  clock: z
    .custom<Clock>(
      (value) => typeof value === 'object' && value !== null && isFunction((value as Clock).now),
      'must have a now() method',
    )
    .optional(),
};

/** `sleep`: how a client waits between retries. */
export const sleepOption = functionOption<(ms: number) => Promise<void>>().optional();
