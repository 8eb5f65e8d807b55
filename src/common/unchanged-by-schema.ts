import type { z } from 'zod';

/** True only when the schema it was built from would accept the value and give it back unchanged. */
export type UnchangedCheck = (value: unknown) => boolean;

// The parts of a zod 4 schema's definition (`schema._zod.def`) this module reads.
interface Def {
  type: string;
  checks?: ReadonlyArray<{ _zod: { def: CheckDef } }>;
  coerce?: boolean;
  innerType?: Node;
  shape?: Record<string, Node>;
  catchall?: Node;
  element?: Node;
  keyType?: Node;
  valueType?: Node;
  options?: readonly Node[];
}
interface Node {
  _zod: { def: Def };
}
interface CheckDef {
  check: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  value?: number;
  inclusive?: boolean;
  pattern?: RegExp;
}

const NEVER: UnchangedCheck = () => false;
const cache = new WeakMap<object, UnchangedCheck>();

/**
 * How one node judges a value: `test` for anything but undefined and null, which the flags answer
 * (so optional, nullable and catch cost no call of their own).
 */
interface Judge {
  test: UnchangedCheck;
  undefinedOk: boolean;
  nullOk: boolean;
}

const judged =
  (judge: Judge): UnchangedCheck =>
  (value) =>
    value === undefined ? judge.undefinedOk : value === null ? judge.nullOk : judge.test(value);

/**
 * A fast stand-in for `schema.safeParse(value).success` on hot paths: a plain predicate built once
 * from the schema's own definition, true only when zod would accept `value` **and return it as it
 * is** (nothing dropped, caught, defaulted or transformed). When it says false, run the schema: that
 * gives zod's own result and messages. So the schema stays the one rule, and what is accepted or
 * refused never differs from it; the predicate only spares the copy zod makes of a good value.
 *
 * It understands the node types the library's wire schemas use (objects, `looseObject`s, arrays,
 * records of unknown, strings with length or regex checks, safe non-negative integers, booleans,
 * optional, nullable, catch, unions, unknown); any other node or check (a refine, a transform, a
 * default, a coercion) makes the predicate false for the values that reach it.
 *
 * @example
 * const fresh = unchangedBySchema(orderStatusSchema);
 * const order = fresh(body) ? body : orderStatusSchema.parse(body);
 */
export function unchangedBySchema(schema: z.ZodType): UnchangedCheck {
  let check = cache.get(schema);
  if (check === undefined) {
    const judge = build(schema as unknown as Node);
    check = judge === null ? NEVER : judged(judge);
    cache.set(schema, check);
  }
  return check;
}

// How `node` judges values, or null when zod may change or refuse values this module cannot judge.
function build(node: Node): Judge | null {
  const def = node._zod.def;
  const leaf = (test: UnchangedCheck | null): Judge | null =>
    test === null ? null : { test, undefinedOk: false, nullOk: false };
  switch (def.type) {
    case 'unknown':
    case 'any':
      return { test: () => true, undefinedOk: true, nullOk: true };
    case 'string':
      return def.coerce ? null : leaf(withChecks(def, (value) => typeof value === 'string'));
    case 'number':
      return def.coerce ? null : leaf(withChecks(def, (value) => typeof value === 'number' && Number.isFinite(value)));
    case 'boolean':
      return def.coerce || def.checks?.length ? null : leaf((value) => typeof value === 'boolean');
    case 'optional':
      return wrap(def, (inner) => ({ ...inner, undefinedOk: true }));
    case 'nullable':
      return wrap(def, (inner) => ({ ...inner, nullOk: true }));
    // A value the inner schema accepts goes through a catch untouched; one it refuses is replaced.
    case 'catch':
      return wrap(def, (inner) => inner);
    case 'array':
      return def.checks?.length || !def.element ? null : leaf(array(def.element));
    case 'record':
      return def.checks?.length ? null : leaf(record(def));
    case 'object':
      return def.checks?.length ? null : leaf(object(def));
    case 'union':
      return def.checks?.length ? null : union(def.options ?? []);
    default:
      return null;
  }
}

function wrap(def: Def, make: (inner: Judge) => Judge): Judge | null {
  if (def.checks?.length || !def.innerType) return null;
  const inner = build(def.innerType);
  return inner === null ? null : make(inner);
}

// The base test and the checks in one function (the usual one or two checks without a loop).
function withChecks(def: Def, base: UnchangedCheck): UnchangedCheck | null {
  const tests: UnchangedCheck[] = [];
  for (const { _zod } of def.checks ?? []) {
    const test = checkTest(_zod.def);
    if (test === null) return null;
    tests.push(test);
  }
  const [first, second] = tests;
  if (first === undefined) return base;
  if (second === undefined) return (value) => base(value) && first(value);
  if (tests.length === 2) return (value) => base(value) && first(value) && second(value);
  return (value) => {
    if (!base(value)) return false;
    for (const test of tests) if (!test(value)) return false;
    return true;
  };
}

// The checks that only accept or refuse (never rewrite) and that the wire schemas use. A check's
// `when` can only skip it (zod's length checks carry one), so applying it regardless is safe.
function checkTest(check: CheckDef): UnchangedCheck | null {
  const { minimum, maximum, value: bound, pattern } = check;
  switch (check.check) {
    case 'min_length':
      return typeof minimum === 'number' ? (value) => (value as string).length >= minimum : null;
    case 'max_length':
      return typeof maximum === 'number' ? (value) => (value as string).length <= maximum : null;
    case 'number_format':
      return check.format === 'safeint' ? (value) => Number.isSafeInteger(value) : null;
    case 'greater_than':
      if (typeof bound !== 'number') return null;
      return check.inclusive ? (value) => (value as number) >= bound : (value) => (value as number) > bound;
    case 'less_than':
      if (typeof bound !== 'number') return null;
      return check.inclusive ? (value) => (value as number) <= bound : (value) => (value as number) < bound;
    case 'string_format':
      if (check.format !== 'regex' || !(pattern instanceof RegExp)) return null;
      return (value) => {
        pattern.lastIndex = 0;
        return pattern.test(value as string);
      };
    default:
      return null;
  }
}

function array(element: Node): UnchangedCheck | null {
  const judge = build(element);
  if (judge === null) return null;
  const item = judged(judge);
  return (value) => {
    if (!Array.isArray(value) || Object.getPrototypeOf(value) !== Array.prototype) return false;
    for (let i = 0; i < value.length; i++) if (!item(value[i])) return false;
    return true;
  };
}

// Only z.record(z.string(), …): other key schemas may refuse or rewrite keys.
function record(def: Def): UnchangedCheck | null {
  const key = def.keyType?._zod.def;
  if (key?.type !== 'string' || key.checks?.length || key.coerce || !def.valueType) return null;
  const judge = build(def.valueType);
  if (judge === null) return null;
  const entry = judged(judge);
  return (value) => {
    if (!isPlainRecord(value)) return false;
    for (const name in value) if (!entry(value[name])) return false;
    return true;
  };
}

// Loose objects keep unknown keys; plain ones drop them and strict ones refuse them, so for those
// an unknown key means "changed".
function object(def: Def): UnchangedCheck | null {
  // A prototype-less record: looked up by key faster than a Map, and no inherited names.
  const fields = Object.create(null) as Record<string, Judge | undefined>;
  for (const [name, node] of Object.entries(def.shape ?? {})) {
    const field = build(node);
    if (field === null) return null;
    fields[name] = field;
  }
  const catchall = def.catchall?._zod.def.type;
  const loose = catchall === 'unknown' || catchall === 'any';
  if (!loose && catchall !== undefined && catchall !== 'never') return null;
  // Fields that refuse a missing value must be there; the others are only judged when present, so
  // a payload with a few of many optional fields costs a few checks.
  const required = Object.keys(fields).filter((name) => !fields[name]?.undefinedOk);
  return (value) => {
    if (!isPlainRecord(value)) return false;
    for (const name of required) if (value[name] === undefined) return false;
    for (const name in value) {
      const field = fields[name];
      if (field === undefined) {
        if (!loose) return false;
        continue;
      }
      const entry = value[name];
      if (entry === null ? !field.nullOk : entry === undefined ? !field.undefinedOk : !field.test(entry)) return false;
    }
    return true;
  };
}

// zod returns the first option that accepts, possibly changed. Past an option that said false the
// search may only go on when false there means "refused" (a plain string, number or boolean).
function union(options: readonly Node[]): Judge | null {
  const built = options.map((node) => {
    const judge = build(node);
    return {
      check: judge === null ? null : judged(judge),
      refuses: ['string', 'number', 'boolean'].includes(node._zod.def.type),
    };
  });
  const test: UnchangedCheck = (value) => {
    for (const { check, refuses } of built) {
      if (check === null) return false;
      if (check(value)) return true;
      if (!refuses) return false;
    }
    return false;
  };
  // null and undefined go through the options like any value.
  return { test, undefinedOk: test(undefined), nullOk: test(null) };
}

// zod builds its output as a plain `{}` and never copies an own `__proto__` key: an object JSON.parse
// made (Object.prototype, no such key) comes out equal, anything else may not.
function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.getPrototypeOf(value) === Object.prototype &&
    !Object.hasOwn(value, '__proto__')
  );
}
