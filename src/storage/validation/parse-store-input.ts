import type { z } from 'zod';

/**
 * Checks what a caller hands a store and returns it typed. A store's input comes from the billing
 * layer, never straight from a user, so a failure is a programming error: a `TypeError` naming the
 * operation and every offending field.
 *
 * @example
 * const payment = parseStoreInput(paymentRecordSchema, input, 'payments.insert');
 */
export function parseStoreInput<S extends z.ZodType>(schema: S, value: unknown, operation: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(input)'}: ${issue.message}`)
    .join('; ');
  throw new TypeError(`Invalid input to ${operation}: ${problems}. Fix the caller; nothing was written.`);
}

/**
 * Like {@link parseStoreInput} for a patch, and drops its `undefined` entries so that "not given"
 * and "given as undefined" mean the same: leave the field as it is.
 *
 * @example
 * const patch = parsePatch(paymentPatchSchema, { errorCode: 'X', paymentUrl: undefined }, 'payments.update');
 */
export function parsePatch<S extends z.ZodType>(schema: S, value: unknown, operation: string): Partial<z.output<S>> {
  const parsed = parseStoreInput(schema, value, operation) as object;
  return Object.fromEntries(Object.entries(parsed).filter(([, entry]) => entry !== undefined)) as Partial<z.output<S>>;
}
