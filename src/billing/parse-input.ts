import type { z } from 'zod';
import { BillingError } from './errors/billing-error.js';

/**
 * Validates a method's input with its zod schema; a failure is a `BillingError` `INVALID_INPUT` whose
 * message names the first bad field (and `details.fields` lists all of them).
 *
 * @example
 * const input = parseInput(createCheckoutInputSchema, raw, 'createCheckout');
 */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown, method: string): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map((issue) => ({
    field: issue.path.join('.') || '(input)',
    message: issue.message,
  }));
  const first = fields[0];
  throw new BillingError(
    'INVALID_INPUT',
    `${method}: ${first ? `${first.field}: ${first.message}` : 'invalid input'}.`,
    { details: { fields } },
  );
}
