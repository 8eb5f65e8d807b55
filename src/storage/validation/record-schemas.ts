import { z } from 'zod';
import { PAYMENT_METHODS, PAYMENT_PURPOSES, PAYMENT_STATES } from '../records/payment-record.js';
import { PLAN_INTERVALS } from '../records/plan-record.js';
import { REFUND_RECORD_STATES } from '../records/refund-record.js';
import { RENEWAL_MODES, SUBSCRIPTION_STATUSES } from '../records/subscription-record.js';

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

export const paymentRecordSchema = z.strictObject({
  id: idSchema,
  workspaceId: idSchema,
  userId: z.string().nullable(),
  planId: idSchema,
  subscriptionId: z.string().nullable(),
  merchantOrderId: idSchema,
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
