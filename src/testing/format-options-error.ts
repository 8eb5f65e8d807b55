import type { z } from 'zod';

type SchemaLike =
  | { def?: { type?: string; innerType?: unknown; element?: unknown }; shape?: Record<string, unknown> }
  | undefined;

function unwrap(schema: unknown): SchemaLike {
  let current = schema as SchemaLike;
  while (current?.def && ['optional', 'default', 'nullable'].includes(current.def.type ?? ''))
    current = current.def.innerType as SchemaLike;
  return current;
}

/** The keys of the object schema at `path` (through optional wrappers and arrays). */
function shapeAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current = unwrap(schema);
  for (const key of path) {
    current = typeof key === 'number' ? unwrap(current?.def?.element) : unwrap(current?.shape?.[String(key)]);
  }
  return Object.keys(current?.shape ?? {});
}

/** One readable sentence for the first problem, listing the known keys when a key is unknown. */
export function formatOptionsError(schema: z.ZodType, error: z.ZodError, label: string): string {
  const issue = error.issues[0];
  if (!issue) return `${label}: invalid options.`;
  const where = issue.path.length > 0 ? issue.path.join('.') : 'options';
  if (issue.code === 'unrecognized_keys') {
    const prefix = issue.path.length > 0 ? `${where}.` : '';
    const keys = issue.keys.map((k) => `"${prefix}${k}"`).join(', ');
    return `${label}: unknown option ${keys}; known options${issue.path.length > 0 ? ` of ${where}` : ''}: ${shapeAt(schema, issue.path).join(', ')}.`;
  }
  return `${label}: ${where} is invalid (${issue.message}).`;
}
