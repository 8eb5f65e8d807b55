import type { z } from 'zod';
import { badRequest } from '../../core/phonepe-emulator-error.js';

/** Validates a body; the first problem becomes PhonePe's 400 `BAD_REQUEST` naming the field. */
export function parseRequest<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.join('.') ?? '';
  const message = issue?.message ?? 'invalid request';
  // Custom messages already name their field; zod's defaults do not.
  throw badRequest(path && !message.includes(path.split('.').at(-1) ?? path) ? `${path}: ${message}` : message);
}
