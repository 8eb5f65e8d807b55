import type { z } from 'zod';
import { badRequest } from '../../core/phonepe-emulator-error.js';

/**
 * `null` means "not given": PhonePe's Python SDK serialises unset optional fields as `null`
 * (dataclasses-json), and PhonePe accepts that, so the emulator must too.
 */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, withoutNulls(v)]),
  );
}

/** Validates a body; the first problem becomes PhonePe's 400 `BAD_REQUEST` naming the field. */
export function parseRequest<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(withoutNulls(body));
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.join('.') ?? '';
  const message = issue?.message ?? 'invalid request';
  // Custom messages already name their field; zod's defaults do not.
  throw badRequest(path && !message.includes(path.split('.').at(-1) ?? path) ? `${path}: ${message}` : message);
}
