import { formatPaise } from '../../billing/money/format-paise.js';
import { isOpen, type PaymentRecord } from '../../storage/records.js';

/** An ISO 8601 time, or null. */
export const isoTime = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/**
 * A payment as the HTTP API shows it (snake_case; money as a rupee string plus `*_paise`; times ISO 8601).
 *
 * @example
 * { order_id: 'ord_…', transaction_id: 'txn_…', state: 'completed', plan_id: 'pro', purpose: 'new_subscription',
 *   method: 'checkout', autopay: false, amount: '2999.00', amount_paise: 299900, currency: 'INR', payment_url: null, … }
 */
export interface PaymentView {
  order_id: string;
  transaction_id: string;
  workspace_id: string;
  state: PaymentRecord['state'];
  plan_id: string;
  purpose: PaymentRecord['purpose'];
  method: PaymentRecord['method'];
  autopay: boolean;
  amount: string;
  amount_paise: number;
  currency: 'INR';
  /** PhonePe's page, while the payment can still be paid; null once it is settled. */
  payment_url: string | null;
  phonepe_order_id: string | null;
  phonepe_transaction_id: string | null;
  payment_mode: string | null;
  error_code: string | null;
  detailed_error_code: string | null;
  expires_at: string | null;
  created_at: string;
  updated_at: string;
  settled_at: string | null;
}

/** Builds the HTTP view of a payment; `payment_url` only while it is open (can still be paid). */
export function toPaymentView(payment: PaymentRecord): PaymentView {
  const open = isOpen(payment);
  return {
    order_id: payment.merchantOrderId,
    transaction_id: payment.id,
    workspace_id: payment.workspaceId,
    state: payment.state,
    plan_id: payment.planId,
    purpose: payment.purpose,
    method: payment.method,
    autopay: payment.method !== 'checkout',
    amount: formatPaise(payment.amountPaise),
    amount_paise: payment.amountPaise,
    currency: payment.currency,
    payment_url: open ? payment.paymentUrl : null,
    phonepe_order_id: payment.phonepeOrderId,
    phonepe_transaction_id: payment.phonepeTransactionId,
    payment_mode: payment.paymentMode,
    error_code: payment.errorCode,
    detailed_error_code: payment.detailedErrorCode,
    expires_at: isoTime(payment.expiresAt),
    created_at: new Date(payment.createdAt).toISOString(),
    updated_at: new Date(payment.updatedAt).toISOString(),
    settled_at: isoTime(payment.settledAt),
  };
}
