import { z } from 'zod';

/** Money in paise: a safe, non-negative integer (phonepe-api.md §0). Never a float. */
export const paiseSchema = z.number().int().nonnegative();

/** An epoch-milliseconds timestamp (phonepe-api.md §0). */
export const epochMsSchema = z.number().int().nonnegative();

/**
 * An epoch-ms timestamp that may arrive as a digit string: PhonePe's redemption samples show
 * `notifiedAt` as a string once (phonepe-api.md §5.3), so echoed subscription times are read
 * leniently and always come out as numbers.
 */
export const lenientEpochMsSchema = z.union([
  epochMsSchema,
  z.string().regex(/^\d{1,16}$/).transform(Number),
]);
