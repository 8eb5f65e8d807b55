import type {
  AuditRecord,
  PaymentRecord,
  PlanRecord,
  RefundRecord,
  SubscriptionRecord,
} from '../../../src/storage/index.js';

/** 2026-01-01T00:00:00Z: every fixture time is relative to it. */
export const T0 = Date.UTC(2026, 0, 1);
export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

let sequence = 0;
/** A fresh id, unique within the run and across runs (tests share one database per file). */
export const uid = (prefix: string): string =>
  `${prefix}_${Date.now().toString(36)}${(sequence++).toString(36)}${Math.random().toString(36).slice(2, 8)}`;

export const SYSTEM = { system: true } as const;
export const scopeOf = (workspaceId: string) => ({ workspaceId }) as const;

export function aPlan(overrides: Partial<PlanRecord> = {}): PlanRecord {
  return {
    id: uid('plan'),
    name: 'Pro',
    description: null,
    pricePaise: 299_900,
    currency: 'INR',
    interval: 'month',
    limits: { projects: 50, api_calls: null },
    features: ['sso'],
    autopay: true,
    trialDays: 0,
    active: true,
    sortOrder: 1,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function aPayment(overrides: Partial<PaymentRecord> = {}): PaymentRecord {
  return {
    id: uid('pay'),
    workspaceId: uid('ws'),
    userId: 'user_1',
    planId: 'pro',
    subscriptionId: null,
    merchantOrderId: uid('ORD'),
    gateway: 'phonepe',
    gatewayAccount: 'PGTESTCLIENT',
    phonepeOrderId: null,
    method: 'checkout',
    purpose: 'new_subscription',
    amountPaise: 299_900,
    currency: 'INR',
    state: 'created',
    returnUrl: 'https://app.example.com/billing',
    paymentUrl: null,
    idempotencyKey: null,
    merchantSubscriptionId: null,
    periodStart: null,
    periodEnd: null,
    errorCode: null,
    detailedErrorCode: null,
    phonepeTransactionId: null,
    paymentMode: null,
    expiresAt: null,
    notifiedAt: null,
    redeemAfter: null,
    redeemBefore: null,
    attempts: 0,
    lastCheckedAt: null,
    firstSignalAt: null,
    settledAt: null,
    metadata: { source: 'test' },
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function aRefund(payment: PaymentRecord, overrides: Partial<RefundRecord> = {}): RefundRecord {
  return {
    id: uid('ref'),
    workspaceId: payment.workspaceId,
    paymentId: payment.id,
    merchantRefundId: uid('REF'),
    gateway: payment.gateway,
    gatewayAccount: payment.gatewayAccount,
    phonepeRefundId: null,
    amountPaise: 10_000,
    state: 'pending',
    reason: 'requested',
    errorCode: null,
    requestedBy: 'user_1',
    lastCheckedAt: null,
    settledAt: null,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function aSubscription(overrides: Partial<SubscriptionRecord> = {}): SubscriptionRecord {
  return {
    id: uid('sub'),
    workspaceId: uid('ws'),
    planId: 'pro',
    status: 'active',
    renewalMode: 'manual',
    currentPeriodStart: T0,
    currentPeriodEnd: T0 + 30 * DAY,
    cancelAtPeriodEnd: false,
    cancelledAt: null,
    cancellationReason: null,
    endedAt: null,
    pendingPlanId: null,
    merchantSubscriptionId: null,
    phonepeSubscriptionId: null,
    mandateState: null,
    mandateMaxAmountPaise: null,
    mandateGateway: null,
    mandateGatewayAccount: null,
    nextActionAt: null,
    graceEndsAt: null,
    renewalAttempts: 0,
    claimedBy: null,
    claimExpiresAt: null,
    createdBy: 'user_1',
    metadata: {},
    version: 1,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function anAuditEntry(
  workspaceId: string,
  overrides: Partial<AuditRecord> = {},
): Omit<AuditRecord, 'id'> & { id?: string } {
  return {
    workspaceId,
    actor: 'user:user_1',
    action: 'payment.created',
    entityType: 'payment',
    entityId: uid('pay'),
    data: { amountPaise: 100 },
    createdAt: T0,
    ...overrides,
  };
}
