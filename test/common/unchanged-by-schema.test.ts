import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  executeRedemptionResponseSchema,
  notifyRedemptionResponseSchema,
  orderStatusSchema,
  payResponseSchema,
  refundResponseSchema,
  refundStatusSchema,
  sdkOrderResponseSchema,
  subscriptionApiSetupResponseSchema,
  subscriptionStatusSchema,
  tokenResponseSchema,
} from '../../src/client/responses.js';
import { unchangedBySchema } from '../../src/common/unchanged-by-schema.js';
import {
  orderWebhookPayloadSchema,
  refundWebhookPayloadSchema,
  subscriptionWebhookPayloadSchema,
} from '../../src/webhooks/webhook-event.js';
import {
  CREATE_BODIES,
  ORDER_STATUS_BODIES,
  REFUND_STATUS_BODIES,
  SUBSCRIPTION_STATUS_BODIES,
  TOKEN_BODIES,
  WEBHOOK_BODIES,
} from '../client/support/sdk-fixture-bodies.js';

// The predicate may only say true where zod accepts the value and returns an equal one; where it
// says false the caller runs zod, so a false costs time, never correctness.

const WIRE_SCHEMAS: Record<string, z.ZodType> = {
  orderStatusSchema,
  refundStatusSchema,
  subscriptionStatusSchema,
  tokenResponseSchema,
  payResponseSchema,
  sdkOrderResponseSchema,
  subscriptionApiSetupResponseSchema,
  notifyRedemptionResponseSchema,
  executeRedemptionResponseSchema,
  refundResponseSchema,
  orderWebhookPayloadSchema,
  refundWebhookPayloadSchema,
  subscriptionWebhookPayloadSchema,
};

// Schemas with the parts the predicate must not claim to understand.
const TRICKY_SCHEMAS: Record<string, z.ZodType> = {
  stripObject: z.object({ a: z.string() }),
  strictObject: z.strictObject({ a: z.string().min(2) }),
  refined: z.looseObject({ a: z.number() }).refine((v) => v.a > 1),
  defaulted: z.looseObject({ a: z.string().default('x') }),
  trimmed: z.looseObject({ a: z.string().trim() }),
  coerced: z.looseObject({ a: z.coerce.number() }),
  transformFirst: z.union([z.string().transform((s) => s.length), z.string()]),
  catchFirst: z.union([z.looseObject({ a: z.number().catch(0) }), z.looseObject({ a: z.unknown() })]),
  lenientNumber: z.union([
    z.number().int().nonnegative(),
    z
      .string()
      .regex(/^\d{1,16}$/)
      .transform(Number),
  ]),
  record: z.record(z.string(), z.number().int()),
  boundedString: z
    .string()
    .min(2)
    .max(4)
    .regex(/^[a-z]+$/g),
  exclusive: z.number().gt(0).lt(10),
};

/** Values shaped like `node` most of the time, with wrong types, odd numbers and strings mixed in. */
function shaped(node: z.ZodType, depth = 0): fc.Arbitrary<unknown> {
  const def = (node as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  const odd = fc.oneof(
    fc.constantFrom(null, undefined, '', '0', '12', 'x', -1, 0, 1.5, 2 ** 60, true, [], {}, { __proto__: null }),
    fc.string(),
    fc.integer(),
    fc.double(),
  );
  const inner = (key: string) => def[key] as z.ZodType;
  let usual: fc.Arbitrary<unknown>;
  switch (def.type) {
    case 'string':
      usual = fc.oneof(fc.constantFrom('a', 'ab', 'abc', 'abcde', '123', 'COMPLETED'), fc.string());
      break;
    case 'number':
      usual = fc.oneof(fc.constantFrom(0, 1, 5, 9, 10, 299_900, 1_767_225_600_000), fc.nat(), fc.integer());
      break;
    case 'boolean':
      usual = fc.boolean();
      break;
    case 'optional':
    case 'nullable':
    case 'catch':
    case 'default':
      usual = fc.oneof(shaped(inner('innerType'), depth), fc.constantFrom(null, undefined));
      break;
    case 'pipe':
      usual = shaped(inner('in'), depth);
      break;
    case 'array':
      usual = depth > 3 ? fc.constant([]) : fc.array(shaped(inner('element'), depth + 1), { maxLength: 3 });
      break;
    case 'record':
      usual = fc.dictionary(fc.string({ maxLength: 4 }), shaped(inner('valueType'), depth + 1), { maxKeys: 3 });
      break;
    case 'union':
      usual = fc.oneof(...(def.options as z.ZodType[]).map((option) => shaped(option, depth)));
      break;
    case 'object': {
      if (depth > 3) return fc.constant({});
      const shape = def.shape as Record<string, z.ZodType>;
      const fields = Object.fromEntries(
        Object.entries(shape).map(([key, field]) => [
          key,
          fc.option(shaped(field, depth + 1), { nil: undefined, freq: 4 }),
        ]),
      );
      usual = fc
        .tuple(
          fc.record(fields),
          fc.dictionary(fc.constantFrom('extra', 'newField', '__proto__'), fc.jsonValue({ maxDepth: 1 }), {
            maxKeys: 1,
          }),
        )
        .map(([known, extra]) => {
          const value: Record<string, unknown> = {};
          for (const [key, entry] of Object.entries(known)) if (entry !== undefined) value[key] = entry;
          for (const [key, entry] of Object.entries(extra))
            Object.defineProperty(value, key, { value: entry, enumerable: true, writable: true, configurable: true });
          return value;
        });
      break;
    }
    default:
      usual = fc.jsonValue({ maxDepth: 2 });
  }
  return fc.oneof({ arbitrary: usual, weight: 5 }, { arbitrary: odd, weight: 1 });
}

function agreesWithZod(name: string, schema: z.ZodType, runs: number): { fast: number; total: number } {
  const fast = unchangedBySchema(schema);
  let accepted = 0;
  fc.assert(
    fc.property(shaped(schema), (value) => {
      if (!fast(value)) return true;
      accepted += 1;
      const parsed = schema.safeParse(value);
      return parsed.success && isDeepStrictEqual(parsed.data, value);
    }),
    { numRuns: runs, seed: 20_261_129 },
  );
  return { fast: accepted, total: runs };
}

describe('unchangedBySchema', () => {
  it.each(Object.entries(WIRE_SCHEMAS))(
    'says true for %s only where zod returns the value unchanged',
    (name, schema) => {
      const { fast } = agreesWithZod(name, schema, 3_000);
      // The generator must reach the fast path often enough for the property to mean something.
      expect(fast).toBeGreaterThan(30);
    },
  );

  it.each(Object.entries(TRICKY_SCHEMAS))(
    'never claims %s returns a value unchanged when zod would change or refuse it',
    (name, schema) => {
      agreesWithZod(name, schema, 2_000);
    },
  );

  it('gives up on refinements, defaults, transforms and coercions instead of guessing', () => {
    expect(unchangedBySchema(TRICKY_SCHEMAS.refined!)({ a: 5 })).toBe(false);
    expect(unchangedBySchema(TRICKY_SCHEMAS.defaulted!)({ a: 'y' })).toBe(false);
    expect(unchangedBySchema(TRICKY_SCHEMAS.trimmed!)({ a: 'y' })).toBe(false);
    expect(unchangedBySchema(TRICKY_SCHEMAS.coerced!)({ a: 5 })).toBe(false);
    expect(unchangedBySchema(TRICKY_SCHEMAS.transformFirst!)('ab')).toBe(false);
    expect(unchangedBySchema(TRICKY_SCHEMAS.catchFirst!)({ a: 'x' })).toBe(false);
    // The number branch of a lenient epoch is judged; its digit-string branch goes to zod.
    expect(unchangedBySchema(TRICKY_SCHEMAS.lenientNumber!)(5)).toBe(true);
    expect(unchangedBySchema(TRICKY_SCHEMAS.lenientNumber!)('5')).toBe(false);
  });

  it("takes the fast path for PhonePe's own SDK fixture bodies and agrees with zod on every one", () => {
    const webhookPayloads = {
      order: orderWebhookPayloadSchema,
      refund: refundWebhookPayloadSchema,
      subscription: subscriptionWebhookPayloadSchema,
    };
    const cases: Array<[z.ZodType, unknown]> = [
      ...Object.values(ORDER_STATUS_BODIES).map((body) => [orderStatusSchema, body] as [z.ZodType, unknown]),
      ...Object.values(REFUND_STATUS_BODIES).map((body) => [refundStatusSchema, body] as [z.ZodType, unknown]),
      ...Object.values(SUBSCRIPTION_STATUS_BODIES).map(
        (body) => [subscriptionStatusSchema, body] as [z.ZodType, unknown],
      ),
      ...Object.values(TOKEN_BODIES).map((body) => [tokenResponseSchema, body(1_767_225_600)] as [z.ZodType, unknown]),
      [payResponseSchema, CREATE_BODIES.pay],
      [sdkOrderResponseSchema, CREATE_BODIES.sdkOrder],
      [refundResponseSchema, CREATE_BODIES.refund],
      [notifyRedemptionResponseSchema, CREATE_BODIES.notify],
      [executeRedemptionResponseSchema, CREATE_BODIES.redeem],
      ...Object.values(WEBHOOK_BODIES).flatMap((body) => {
        const payload = (body as { payload?: unknown }).payload;
        return Object.values(webhookPayloads).map((schema) => [schema, payload] as [z.ZodType, unknown]);
      }),
    ];
    let fast = 0;
    for (const [schema, body] of cases) {
      const copy = structuredClone(body);
      if (!unchangedBySchema(schema)(copy)) continue;
      fast += 1;
      const parsed = schema.safeParse(copy);
      expect(parsed.success && isDeepStrictEqual(parsed.data, copy)).toBe(true);
    }
    expect(fast).toBeGreaterThan(cases.length / 2);
  });
});
