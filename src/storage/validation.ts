import { z } from 'zod';
import { MAX_JSON_DEPTH } from '../common/json-nesting.js';
import { describeUnstorable, findUnstorableValue } from '../common/unstorable-text.js';
import { StoreInputError } from './errors.js';
import {
  PAYMENT_METHODS,
  PAYMENT_PURPOSES,
  PAYMENT_STATES,
  PLAN_INTERVALS,
  REFUND_RECORD_STATES,
  RENEWAL_MODES,
  SUBSCRIPTION_STATUSES,
} from './records.js';

// The shapes every store accepts. Both stores check their input with these before writing, so the
// memory store refuses exactly what the SQL checks (migrations/001) would refuse, with one message.

/** Epoch milliseconds within the range a JavaScript `Date` (and so `timestamptz`) can hold. */
export const epochMsSchema = z.int().min(0).max(8_640_000_000_000_000);
/** Integer paise (or any non-negative count). */
export const nonNegativeIntSchema = z.int().min(0);
const idSchema = z.string().min(1);
const jsonObjectSchema = z.record(z.string(), z.unknown());

export const planRecordSchema = z.strictObject({
  id: idSchema,
  name: z.string(),
  description: z.string().nullable(),
  pricePaise: nonNegativeIntSchema,
  currency: z.literal('INR'),
  interval: z.enum(PLAN_INTERVALS),
  limits: z.record(z.string(), nonNegativeIntSchema.nullable()),
  features: z.array(z.string()),
  autopay: z.boolean(),
  trialDays: nonNegativeIntSchema,
  active: z.boolean(),
  sortOrder: z.int(),
  createdAt: epochMsSchema,
  updatedAt: epochMsSchema,
});

/** A gateway's name as rows store it (`phonepe`): lowercase letters, digits and `_`, as migration 005 checks. */
export const gatewayNameSchema = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'must be a gateway name such as "phonepe"');

export const paymentRecordSchema = z.strictObject({
  id: idSchema,
  workspaceId: idSchema,
  userId: z.string().nullable(),
  planId: idSchema,
  subscriptionId: z.string().nullable(),
  merchantOrderId: idSchema,
  gateway: gatewayNameSchema,
  gatewayAccount: z.string().min(1).nullable(),
  phonepeOrderId: z.string().nullable(),
  method: z.enum(PAYMENT_METHODS),
  purpose: z.enum(PAYMENT_PURPOSES),
  amountPaise: nonNegativeIntSchema,
  currency: z.literal('INR'),
  state: z.enum(PAYMENT_STATES),
  returnUrl: z.string().nullable(),
  paymentUrl: z.string().nullable(),
  idempotencyKey: z.string().min(1).nullable(),
  merchantSubscriptionId: z.string().nullable(),
  periodStart: epochMsSchema.nullable(),
  periodEnd: epochMsSchema.nullable(),
  errorCode: z.string().nullable(),
  detailedErrorCode: z.string().nullable(),
  phonepeTransactionId: z.string().nullable(),
  paymentMode: z.string().nullable(),
  expiresAt: epochMsSchema.nullable(),
  notifiedAt: epochMsSchema.nullable(),
  redeemAfter: epochMsSchema.nullable(),
  redeemBefore: epochMsSchema.nullable(),
  attempts: nonNegativeIntSchema,
  lastCheckedAt: epochMsSchema.nullable(),
  firstSignalAt: epochMsSchema.nullable(),
  settledAt: epochMsSchema.nullable(),
  metadata: jsonObjectSchema,
  createdAt: epochMsSchema,
  updatedAt: epochMsSchema,
});

export const paymentPatchSchema = paymentRecordSchema
  .pick({
    phonepeOrderId: true,
    paymentUrl: true,
    subscriptionId: true,
    merchantSubscriptionId: true,
    periodStart: true,
    periodEnd: true,
    errorCode: true,
    detailedErrorCode: true,
    phonepeTransactionId: true,
    paymentMode: true,
    expiresAt: true,
    notifiedAt: true,
    redeemAfter: true,
    redeemBefore: true,
    attempts: true,
    firstSignalAt: true,
    lastCheckedAt: true,
    settledAt: true,
    metadata: true,
  })
  .partial();

export const refundRecordSchema = z.strictObject({
  id: idSchema,
  workspaceId: idSchema,
  paymentId: idSchema,
  merchantRefundId: idSchema,
  gateway: gatewayNameSchema,
  gatewayAccount: z.string().min(1).nullable(),
  phonepeRefundId: z.string().nullable(),
  amountPaise: nonNegativeIntSchema,
  state: z.enum(REFUND_RECORD_STATES),
  reason: z.string().nullable(),
  errorCode: z.string().nullable(),
  requestedBy: z.string().nullable(),
  lastCheckedAt: epochMsSchema.nullable(),
  settledAt: epochMsSchema.nullable(),
  createdAt: epochMsSchema,
  updatedAt: epochMsSchema,
});

export const refundPatchSchema = refundRecordSchema
  .pick({ phonepeRefundId: true, errorCode: true, lastCheckedAt: true, settledAt: true })
  .partial();

export const subscriptionRecordSchema = z.strictObject({
  id: idSchema,
  workspaceId: idSchema,
  planId: idSchema,
  status: z.enum(SUBSCRIPTION_STATUSES),
  renewalMode: z.enum(RENEWAL_MODES),
  currentPeriodStart: epochMsSchema,
  currentPeriodEnd: epochMsSchema,
  cancelAtPeriodEnd: z.boolean(),
  cancelledAt: epochMsSchema.nullable(),
  cancellationReason: z.string().nullable(),
  endedAt: epochMsSchema.nullable(),
  pendingPlanId: z.string().nullable(),
  merchantSubscriptionId: z.string().min(1).nullable(),
  phonepeSubscriptionId: z.string().nullable(),
  mandateState: z.string().nullable(),
  mandateMaxAmountPaise: nonNegativeIntSchema.nullable(),
  mandateGateway: gatewayNameSchema.nullable(),
  mandateGatewayAccount: z.string().min(1).nullable(),
  nextActionAt: epochMsSchema.nullable(),
  graceEndsAt: epochMsSchema.nullable(),
  renewalAttempts: nonNegativeIntSchema,
  claimedBy: z.string().nullable(),
  claimExpiresAt: epochMsSchema.nullable(),
  createdBy: z.string().nullable(),
  metadata: jsonObjectSchema,
  version: z.int().min(1),
  createdAt: epochMsSchema,
  updatedAt: epochMsSchema,
});

export const subscriptionPatchSchema = subscriptionRecordSchema
  .omit({ id: true, workspaceId: true, version: true, createdAt: true, updatedAt: true, createdBy: true })
  .partial();

export const auditEntrySchema = z.strictObject({
  id: idSchema.optional(),
  workspaceId: idSchema,
  actor: z.string().min(1),
  action: z.string().min(1),
  entityType: z.enum(['payment', 'refund', 'subscription', 'usage', 'webhook', 'plan']),
  entityId: z.string(),
  data: jsonObjectSchema,
  createdAt: epochMsSchema,
});

// The arguments of the store operations other than whole records (transitions, queries, inputs),
// checked the same way by both stores.

export const usageIncrementSchema = z.strictObject({
  workspaceId: idSchema,
  metric: z.string().min(1),
  periodStart: epochMsSchema,
  by: z.int().min(1),
  limit: nonNegativeIntSchema.nullable(),
  usageKey: z.string().min(1).optional(),
  now: epochMsSchema,
});

export const usageMeterRequestSchema = z.strictObject({
  workspaceId: idSchema,
  metric: z.string().regex(/^[a-z0-9_]{1,64}$/, 'a metric is 1–64 characters of a-z, 0-9 and _'),
  by: z.int().min(1),
  mode: z.enum(['record', 'check']),
  usageKey: z.string().min(1).optional(),
  now: epochMsSchema,
  planLimits: z.record(z.string(), z.record(z.string(), nonNegativeIntSchema.nullable())),
});

export const webhookRecordInputSchema = z.strictObject({
  dedupeKey: z.string().min(1),
  event: z.string().min(1),
  subjectId: z.string().nullable(),
  gateway: gatewayNameSchema.optional(),
  payload: z.unknown(),
  now: epochMsSchema,
});

/** `limit` of the list queries: a positive safe integer. */
export const limitSchema = z.int().min(1);

export const paymentTransitionSchema = z.strictObject({
  from: z.array(z.enum(PAYMENT_STATES)).readonly(),
  to: z.enum(PAYMENT_STATES),
  patch: paymentPatchSchema.optional(),
  now: epochMsSchema,
  audit: auditEntrySchema.optional(),
});

export const refundTransitionSchema = z.strictObject({
  from: z.array(z.enum(REFUND_RECORD_STATES)).readonly(),
  to: z.enum(REFUND_RECORD_STATES),
  patch: refundPatchSchema.optional(),
  now: epochMsSchema,
  audit: auditEntrySchema.optional(),
});

/** The options of the subscription writes: an audit entry to append with the change. */
export const auditOptionSchema = z.strictObject({ audit: auditEntrySchema.optional() });

export const paymentStaleQuerySchema = z.strictObject({
  states: z.array(z.enum(PAYMENT_STATES)).readonly(),
  olderThan: epochMsSchema,
  limit: limitSchema,
});

export const refundStaleQuerySchema = z.strictObject({
  states: z.array(z.enum(REFUND_RECORD_STATES)).readonly(),
  olderThan: epochMsSchema,
  limit: limitSchema,
});

export const limitQuerySchema = z.strictObject({ limit: limitSchema });

export const paymentsBySubscriptionQuerySchema = z.strictObject({
  states: z.array(z.enum(PAYMENT_STATES)).readonly().optional(),
  limit: limitSchema,
});

export const dueQuerySchema = z.strictObject({ now: epochMsSchema, limit: limitSchema });

export const claimQuerySchema = z.strictObject({
  now: epochMsSchema,
  limit: limitSchema,
  workerId: z.string().min(1),
  leaseMs: z
    .int()
    .min(1)
    .max(366 * 24 * 60 * 60 * 1000),
});

export const renewalFinishSchema = z.strictObject({
  subscriptionId: z.string().min(1),
  workerId: z.string().min(1),
  nextActionAt: epochMsSchema.nullable(),
  claimedAt: epochMsSchema.nullable(),
  now: epochMsSchema,
});

export const outboxAppendSchema = z
  .array(
    z.strictObject({
      id: idSchema,
      workspaceId: idSchema.nullable(),
      event: z.string().regex(/^[a-zA-Z]{1,64}$/, 'must be a hook name such as "paymentCompleted"'),
      payload: jsonObjectSchema,
      now: epochMsSchema,
    }),
  )
  .readonly();

export const outboxClaimSchema = claimQuerySchema.extend({
  ids: z.array(idSchema).readonly().optional(),
  workspaceIds: z.array(idSchema).readonly().optional(),
});

export const outboxFinishSchema = z.strictObject({
  id: idSchema,
  workerId: z.string().min(1),
  now: epochMsSchema,
  outcome: z.discriminatedUnion('delivered', [
    z.strictObject({ delivered: z.literal(true) }),
    z.strictObject({ delivered: z.literal(false), error: z.string(), retryAt: epochMsSchema.nullable() }),
  ]),
});

export const outboxRenewSchema = z.strictObject({
  ids: z.array(idSchema).readonly(),
  workerId: z.string().min(1),
  lockedUntil: epochMsSchema,
});

export const outboxCountsSchema = z.strictObject({ now: epochMsSchema });

export const auditListQuerySchema = z.strictObject({ limit: limitSchema, before: epochMsSchema.optional() });

export const rangeSchema = z.strictObject({ from: epochMsSchema, to: epochMsSchema });

/** The most days one report query covers (the per-day MRR query walks every day of the range). */
export const MAX_REPORT_DAYS = 1_000;
const dayNumberSchema = z.int().min(0).max(100_000_000);
/** A `DayRange` of report queries: `fromDay <= toDay`, at most {@link MAX_REPORT_DAYS} days. */
export const dayRangeSchema = z
  .strictObject({ fromDay: dayNumberSchema, toDay: dayNumberSchema })
  .refine((r) => r.fromDay <= r.toDay && r.toDay - r.fromDay <= MAX_REPORT_DAYS, {
    message: `fromDay must be <= toDay, at most ${MAX_REPORT_DAYS} days apart`,
  });

export const webhookProcessedSchema = z.strictObject({
  workspaceId: idSchema.nullable(),
  outcome: z.string(),
  now: epochMsSchema,
});

export const webhookUnappliedSchema = webhookProcessedSchema;

export const webhookFailedSchema = z.strictObject({
  workspaceId: idSchema.nullable(),
  error: z.string(),
  now: epochMsSchema,
});

/** `expectedVersion` of `subscriptions.update`. */
export const versionSchema = z.int().min(1);

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

/**
 * Refuses, before an operation runs, any argument holding a string PostgreSQL cannot store (NUL,
 * lone surrogate) or JSON nested deeper than `MAX_JSON_DEPTH` — in ids, records, patches and JSON
 * payloads alike. Both stores call it for every operation (see `TransactionGuard`), so they refuse
 * exactly the same input, with the same error, instead of a driver error or a stack overflow.
 *
 * @example
 * checkStorableArguments('subscriptions.update', [id, 3, { cancellationReason: 'a\u0000' }, now]); // throws StoreInputError
 */
export function checkStorableArguments(operation: string, args: readonly unknown[]): void {
  for (const [index, arg] of args.entries()) {
    const found = findUnstorableValue(arg, MAX_JSON_DEPTH);
    if (!found) continue;
    const field = found.path === '(value)' ? `argument ${index + 1}` : found.path;
    const what = describeUnstorable({ path: field, problem: found.problem });
    throw new StoreInputError(
      operation,
      field,
      found.problem,
      `Invalid input to ${operation}: ${what}, which the billing store cannot hold; clean the value before passing it in. Nothing was written.`,
    );
  }
}
