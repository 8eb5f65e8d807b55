import type { CustomerRecord, OrderRecord, PaymentRecord, RefundRecord, TokenRecord } from './razorpay-records.js';

// Razorpay answers timestamps in Unix seconds and empty notes as [] (see the samples on
// https://razorpay.com/docs/api/orders/ and https://razorpay.com/docs/api/payments/).
const seconds = (ms: number) => Math.floor(ms / 1000);
const notesOf = (notes: Record<string, string>) => (Object.keys(notes).length === 0 ? [] : { ...notes });

/** The order entity (https://razorpay.com/docs/api/orders/fetch-all/). */
export function orderEntity(order: OrderRecord): Record<string, unknown> {
  return {
    id: order.id,
    entity: 'order',
    amount: order.amount,
    amount_paid: order.amountPaid,
    amount_due: order.amount - order.amountPaid,
    currency: order.currency,
    receipt: order.receipt,
    offer_id: null,
    status: order.status,
    attempts: order.attempts,
    notes: notesOf(order.notes),
    created_at: seconds(order.createdAt),
  };
}

/** `partial`/`full` once anything is refunded, else null (https://razorpay.com/docs/api/payments/). */
export function refundStatusOf(payment: PaymentRecord): 'partial' | 'full' | null {
  if (payment.amountRefunded === 0) return null;
  return payment.amountRefunded >= payment.amount ? 'full' : 'partial';
}

/** The payment entity (https://razorpay.com/docs/api/payments/). */
export function paymentEntity(payment: PaymentRecord): Record<string, unknown> {
  return {
    id: payment.id,
    entity: 'payment',
    amount: payment.amount,
    currency: payment.currency,
    status: payment.status,
    order_id: payment.orderId,
    invoice_id: null,
    international: false,
    method: payment.method,
    amount_refunded: payment.amountRefunded,
    refund_status: refundStatusOf(payment),
    captured: payment.captured,
    description: payment.description,
    card_id: null,
    bank: null,
    wallet: null,
    vpa: payment.method === 'upi' ? 'success@razorpay' : null,
    email: payment.email,
    contact: payment.contact,
    customer_id: payment.customerId,
    token_id: payment.tokenId,
    recurring: payment.recurring,
    notes: notesOf(payment.notes),
    fee: payment.captured ? 0 : null,
    tax: payment.captured ? 0 : null,
    error_code: payment.error?.code ?? null,
    error_description: payment.error?.description ?? null,
    error_source: payment.error?.source ?? null,
    error_step: payment.error?.step ?? null,
    error_reason: payment.error?.reason ?? null,
    acquirer_data: {},
    created_at: seconds(payment.createdAt),
  };
}

/** The refund entity (https://razorpay.com/docs/api/refunds/). */
export function refundEntity(refund: RefundRecord): Record<string, unknown> {
  return {
    id: refund.id,
    entity: 'refund',
    amount: refund.amount,
    currency: refund.currency,
    payment_id: refund.paymentId,
    notes: notesOf(refund.notes),
    receipt: refund.receipt,
    acquirer_data: { rrn: null },
    created_at: seconds(refund.createdAt),
    batch_id: null,
    status: refund.status,
    speed_processed: refund.status === 'processed' ? 'normal' : null,
    speed_requested: refund.speedRequested,
  };
}

/** The customer entity (https://razorpay.com/docs/api/payments/recurring-payments/upi/create-authorization-transaction/). */
export function customerEntity(customer: CustomerRecord): Record<string, unknown> {
  return {
    id: customer.id,
    entity: 'customer',
    name: customer.name,
    email: customer.email,
    contact: customer.contact,
    gstin: customer.gstin,
    notes: notesOf(customer.notes),
    created_at: seconds(customer.createdAt),
  };
}

/** A UPI token entity (https://razorpay.com/docs/api/payments/recurring-payments/upi/tokens/). */
export function tokenEntity(token: TokenRecord): Record<string, unknown> {
  return {
    id: token.id,
    entity: 'token',
    token: token.token,
    bank: null,
    wallet: null,
    method: 'upi',
    vpa: { username: 'success', handle: 'razorpay', name: null },
    recurring: true,
    recurring_details: { status: token.status, failure_reason: token.failureReason },
    auth_type: null,
    mrn: null,
    used_at: token.usedAt === null ? null : seconds(token.usedAt),
    created_at: seconds(token.createdAt),
    start_time: seconds(token.createdAt),
    max_amount: token.maxAmount,
    frequency: token.frequency,
    expired_at: token.expireAt,
    customer_id: token.customerId,
    dcc_enabled: false,
  };
}
