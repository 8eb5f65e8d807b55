import { z } from 'zod';

/** Checks a fault before it is registered; unknown keys are refused (a typo would silently match everything). */
export const faultSpecSchema = z.strictObject({
  method: z.string().min(1).optional(),
  path: z.union([z.string().startsWith('/', 'fault path must start with /'), z.instanceof(RegExp)]),
  status: z.number().int().min(100).max(599).optional(),
  body: z.unknown().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  delayMs: z.number().int().min(0).optional(),
  dropConnection: z.boolean().optional(),
  times: z.number().int().min(1).optional(),
  after: z.boolean().optional(),
  truncate: z.boolean().optional(),
});
