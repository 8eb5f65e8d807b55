import { z } from 'zod';

/** Money in paise: a safe, non-negative integer (docs/phonepe-protocol.md#conventions). Never a float. */
export const paiseSchema = z.number().int().nonnegative();

/** An epoch-milliseconds timestamp (docs/phonepe-protocol.md#conventions). */
export const epochMsSchema = z.number().int().nonnegative();

/**
 * An epoch-ms timestamp that may arrive as a digit string: PhonePe's redemption samples show
 * `notifiedAt` as a string once (docs/phonepe-protocol.md#webhook-events), so echoed subscription times are read
 * leniently and always come out as numbers.
 */
export const lenientEpochMsSchema = z.union([
  epochMsSchema,
  z
    .string()
    .regex(/^\d{1,16}$/)
    .transform(Number),
]);
