import { z } from 'zod';
import { PAYMENT_STATES } from '../records/payment-record.js';
import { REFUND_RECORD_STATES } from '../records/refund-record.js';
import {
  auditEntrySchema,
  epochMsSchema,
  nonNegativeIntSchema,
  paymentPatchSchema,
  refundPatchSchema,
} from './record-schemas.js';

// The arguments of the store operations other than whole records (transitions, queries, inputs),
// checked the same way by both stores.

const idSchema = z.string().min(1);

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

export const auditListQuerySchema = z.strictObject({ limit: limitSchema, before: epochMsSchema.optional() });

export const rangeSchema = z.strictObject({ from: epochMsSchema, to: epochMsSchema });

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
