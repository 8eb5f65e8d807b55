import type { z } from 'zod';
import { PhonePeValidationError } from '../errors/phonepe-validation-error.js';
import { merchantIdSchema } from './request-fields.js';

/**
 * Checks a request against its schema before anything is sent. Throws a
 * {@link PhonePeValidationError} naming the first bad field; returns nothing, because the body
 * sent is the caller's own object (unknown extra fields pass through to PhonePe untouched).
 */
export function validateRequest(operation: string, schema: z.ZodType, input: unknown): void {
  const result = schema.safeParse(input);
  if (result.success) return;
  const issue = result.error.issues[0];
  if (issue === undefined) throw new PhonePeValidationError({ operation, field: '', problem: 'is invalid' });
  throw new PhonePeValidationError({ operation, ...describeIssue(issue, input) });
}

/**
 * Checks an id that goes into a URL path (merchantOrderId, merchantRefundId,
 * merchantSubscriptionId, transactionId): ≤63 of `[A-Za-z0-9_-]` (docs/phonepe-protocol.md#conventions), which also
 * means it can never change the path it is put into. Returns the id.
 */
export function validatePathId(operation: string, field: string, value: unknown): string {
  const result = merchantIdSchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const problem = value === undefined ? 'is required' : (issue?.message ?? 'is invalid');
  throw new PhonePeValidationError({ operation, field, problem });
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): { field: string; problem: string } {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const allowed = path.at(-1) === 'metaInfo' ? ' (metaInfo takes only udf1 to udf15)' : '';
    return { field: [...path, issue.keys[0] ?? ''].join('.'), problem: `is not an allowed field${allowed}` };
  }
  const field = path.join('.');
  if (issue.code === 'invalid_type') {
    const missing = valueAt(input, path) === undefined;
    return {
      field,
      problem: missing
        ? 'is required'
        : issue.message.startsWith('must')
          ? issue.message
          : `must be a ${issue.expected}`,
    };
  }
  if (issue.code === 'invalid_value') {
    return { field, problem: `must be one of ${issue.values.map(String).join(', ')}` };
  }
  if (issue.code === 'invalid_union') {
    const options = 'options' in issue ? issue.options : undefined;
    const problem =
      options === undefined ? 'does not match any allowed shape' : `must be one of ${options.map(String).join(', ')}`;
    return { field, problem };
  }
  return { field, problem: issue.message };
}

function valueAt(input: unknown, path: readonly string[]): unknown {
  let current = input;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
