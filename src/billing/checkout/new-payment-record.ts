import type { PaymentRecord } from '../../storage/records.js';
import type { BillingContext } from '../billing-context.js';

/** The fields that differ between new payments; everything else starts empty. */
export type NewPaymentFields = Pick<
  PaymentRecord,
  'workspaceId' | 'userId' | 'planId' | 'method' | 'purpose' | 'amountPaise'
> &
  Partial<
    Pick<
      PaymentRecord,
      | 'subscriptionId'
      | 'returnUrl'
      | 'idempotencyKey'
      | 'merchantSubscriptionId'
      | 'periodStart'
      | 'periodEnd'
      | 'metadata'
    >
  >;

/**
 * A payment row in state `created`, with fresh ids: it is written before PhonePe is asked, so a crash
 * in between leaves a trace that reconciliation settles.
 */
export function newPaymentRecord(ctx: BillingContext, fields: NewPaymentFields): PaymentRecord {
  const now = ctx.clock.now();
  return {
    id: ctx.ids('txn'),
    merchantOrderId: ctx.ids('ord'),
    subscriptionId: null,
    returnUrl: null,
    idempotencyKey: null,
    merchantSubscriptionId: null,
    periodStart: null,
    periodEnd: null,
    metadata: {},
    ...fields,
    phonepeOrderId: null,
    currency: 'INR',
    state: 'created',
    paymentUrl: null,
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
    createdAt: now,
    updatedAt: now,
  };
}

/** The URL PhonePe sends the payer back to: our callback route, carrying our order id (PhonePe appends nothing, docs/phonepe-protocol.md#paypage). */
export function callbackUrlFor(ctx: BillingContext, merchantOrderId: string): string {
  const url = new URL(ctx.config.callbackUrl);
  url.searchParams.set('order_id', merchantOrderId);
  return url.href;
}

/** The per-debit cap of a mandate set up by this payment: the plan price (an upgrade's first debit is only the prorated part). */
export function mandateMaxAmount(payment: PaymentRecord): number {
  const fromMetadata = payment.metadata.mandateMaxAmountPaise;
  return typeof fromMetadata === 'number' ? fromMetadata : payment.amountPaise;
}
