import type { z } from 'zod';
import { StoreInputError } from '../errors/store-input-error.js';

/**
 * Checks what a caller hands a store and returns it typed. A store's input comes from the billing
 * layer, never straight from a user, so a failure is a programming error: a `StoreInputError` (a
 * `TypeError`, problem `invalid`) naming the operation and every offending field.
 *
 * @example
 * const payment = parseStoreInput(paymentRecordSchema, input, 'payments.insert');
 */
export function parseStoreInput<S extends z.ZodType>(schema: S, value: unknown, operation: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fieldOf = (issue: z.core.$ZodIssue) => (issue.path.length > 0 ? issue.path.join('.') : '(input)');
  const problems = result.error.issues
    .slice(0, 5)
    .map((issue) => `${fieldOf(issue)}: ${issue.message}`)
    .join('; ');
  const first = result.error.issues[0];
  throw new StoreInputError(
    operation,
    first ? fieldOf(first) : '(input)',
    'invalid',
    `Invalid input to ${operation}: ${problems}. Fix the caller; nothing was written.`,
  );
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
