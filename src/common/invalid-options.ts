import type { z } from 'zod';
import { brandError, hasErrorBrand } from './error-brand.js';

const FAMILY = 'InvalidOptionsError';

/**
 * A constructor or factory got options it cannot use: an unknown key (a typo must not be silently
 * ignored), a missing one, or a value of the wrong kind. Every part of the library — client, manager,
 * handler, stores, emulator — throws this one class, with one message shape:
 * `PhonePeClient options: unknown option "timeoutMS"; known options: clientId, …` or
 * `SubscriptionManager options: config.callbackUrl is invalid (…)`.
 *
 * @example
 * try { new PhonePeClient({ clientId, clientSecret, clientVersion, env: 'SANDBOX', timeoutMS: 5000 } as never); }
 * catch (error) { if (isInvalidOptionsError(error)) console.error(error.option, error.message); }
 */
export class InvalidOptionsError extends TypeError {
  override readonly name = 'InvalidOptionsError' as const;
  readonly code = 'INVALID_OPTIONS' as const;
  constructor(
    /** Whose options: `PhonePeClient`, `SubscriptionManager`, `createBillingHandler`, … */
    readonly owner: string,
    /** The option at fault, as a dotted path (`config.callbackUrl`), or `options` for the whole object. */
    readonly option: string,
    message: string,
  ) {
    super(message);
    brandError(this, FAMILY);
  }
}

/** True when `error` is an {@link InvalidOptionsError} (from either build of the package). */
export function isInvalidOptionsError(error: unknown): error is InvalidOptionsError {
  return hasErrorBrand(error, FAMILY);
}

/**
 * Validates an options object with its zod schema, or throws {@link InvalidOptionsError} naming the first
 * problem — for an unknown key, with the known keys at that level.
 *
 * @example
 * const options = parseOptions(storeOptionsSchema, input, 'MemoryStore');
 */
export function parseOptions<S extends z.ZodType>(schema: S, value: unknown, owner: string): z.output<S> {
  const input = value ?? {};
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw optionsError(schema, result.error, owner, input);
}

/**
 * The {@link InvalidOptionsError} for a failed parse of `schema` (for callers that parse themselves). With
 * `input`, an option that is absent is reported as required. The message never echoes a value (a secret
 * could be in any option).
 */
export function optionsError(
  schema: z.ZodType,
  error: z.ZodError,
  owner: string,
  input?: unknown,
): InvalidOptionsError {
  const issue = error.issues[0];
  if (!issue) return new InvalidOptionsError(owner, 'options', `${owner} options: invalid options.`);
  const where = issue.path.length > 0 ? issue.path.join('.') : 'options';
  if (issue.code === 'unrecognized_keys') {
    const prefix = issue.path.length > 0 ? `${where}.` : '';
    const keys = issue.keys.map((k) => `"${prefix}${k}"`).join(', ');
    const option = `${prefix}${issue.keys[0] ?? ''}`;
    return new InvalidOptionsError(
      owner,
      option,
      `${owner} options: unknown option ${keys}; known options${issue.path.length > 0 ? ` of ${where}` : ''}: ${shapeAt(schema, issue.path).join(', ')}.`,
    );
  }
  if (issue.code === 'invalid_type' && input !== undefined && valueAt(input, issue.path) === undefined)
    return new InvalidOptionsError(owner, where, `${owner} options: ${where} is required.`);
  return new InvalidOptionsError(owner, where, `${owner} options: ${where} is invalid (${issue.message}).`);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/**
 * Ties an options interface to its schema at compile time: `true` only when the schema's input type and
 * the interface are the same, so adding an option to one and not the other fails the build.
 *
 * @example
 * const _tied: SchemaMatches<typeof clientOptionsSchema, PhonePeClientOptions> = true;
 */
export type SchemaMatches<S extends z.ZodType, T> = [z.input<S>] extends [T]
  ? [T] extends [z.input<S>]
    ? SameKeys<z.input<S>, T>
    : false
  : false;

// Assignability alone lets either side carry an extra optional key; the key sets must be equal too.
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;

/**
 * Compiles only when `T` is `true`: the statement form of {@link SchemaMatches}.
 *
 * @example
 * type Tied = AssertTrue<SchemaMatches<typeof optionsSchema, MemoryStoreOptions>>;
 */
export type AssertTrue<T extends true> = T;

type SchemaLike =
  | { def?: { type?: string; innerType?: unknown; element?: unknown; in?: unknown }; shape?: Record<string, unknown> }
  | undefined;

function unwrap(schema: unknown): SchemaLike {
  let current = schema as SchemaLike;
  while (
    current?.def &&
    ['optional', 'default', 'nullable', 'prefault', 'catch', 'readonly'].includes(current.def.type ?? '')
  )
    current = current.def.innerType as SchemaLike;
  if (current?.def?.type === 'pipe') current = unwrap(current.def.in);
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
