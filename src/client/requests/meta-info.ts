import { z } from 'zod';

// docs/phonepe-protocol.md#checkout-pay: only udf1…udf15 (renamed keys are rejected in production); udf1-10 are
// free text ≤256 chars, udf11-15 ≤50 chars of a restricted set.
// The docs' charset (no space), stricter than the SDKs' validators (docs/phonepe-protocol.md#unsettled-udf-space).
const UDF_SHORT_PATTERN = /^[a-zA-Z0-9_\-@.+]*$/;
const longUdf = z.string({ error: 'must be a string' }).max(256, 'must be at most 256 characters').optional();
const shortUdf = z
  .string({ error: 'must be a string' })
  .max(50, 'must be at most 50 characters')
  .regex(UDF_SHORT_PATTERN, 'may only contain letters, digits and _ - @ . +')
  .optional();

/** `metaInfo`: keys `udf1`…`udf15` only; echoed back in status calls and webhooks. */
export const metaInfoSchema = z.strictObject({
  udf1: longUdf,
  udf2: longUdf,
  udf3: longUdf,
  udf4: longUdf,
  udf5: longUdf,
  udf6: longUdf,
  udf7: longUdf,
  udf8: longUdf,
  udf9: longUdf,
  udf10: longUdf,
  udf11: shortUdf,
  udf12: shortUdf,
  udf13: shortUdf,
  udf14: shortUdf,
  udf15: shortUdf,
});

/**
 * Merchant data PhonePe stores with an order and echoes in status and webhooks. `udf1`–`udf10`:
 * up to 256 characters; `udf11`–`udf15`: up to 50 of letters, digits, space and `_ - @ . +`.
 *
 * @example
 * const metaInfo: MetaInfo = { udf1: 'workspace_42', udf11: 'plan-pro' };
 */
export type MetaInfo = z.input<typeof metaInfoSchema>;
