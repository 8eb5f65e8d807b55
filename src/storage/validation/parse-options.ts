import type { z } from 'zod';

/**
 * Validates a constructor's options object. Unknown keys are refused with the list of known ones
 * (a typo such as `idz` must not be silently ignored).
 *
 * @example
 * const options = parseOptions(memoryStoreOptionsSchema, input, 'MemoryStore');
 */
export function parseOptions<S extends z.ZodObject>(schema: S, value: unknown, owner: string): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const known = Object.keys(schema.shape).join(', ');
  const problems = result.error.issues
    .map((issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown option(s) ${issue.keys.join(', ')}`
        : `${issue.path.join('.') || 'options'}: ${issue.message}`,
    )
    .join('; ');
  throw new TypeError(`Invalid ${owner} options: ${problems}. Known options: ${known}.`);
}
