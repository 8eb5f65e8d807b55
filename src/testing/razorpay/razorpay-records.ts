/** Order `status` (https://razorpay.com/docs/api/orders/). */
export type RazorpayOrderStatus = 'created' | 'attempted' | 'paid';
/** Payment `status` (https://razorpay.com/docs/api/payments/). */
export type RazorpayPaymentStatus = 'created' | 'authorized' | 'captured' | 'refunded' | 'failed';
/** Refund `status` (https://razorpay.com/docs/api/refunds/). */
export type RazorpayRefundStatus = 'pending' | 'processed' | 'failed';
/**
 * UPI Autopay token `recurring_details.status`
 * (https://razorpay.com/docs/api/payments/recurring-payments/upi/tokens/ "Token States").
 */
export type RazorpayTokenStatus =
  | 'initiated'
  | 'confirmed'
  | 'rejected'
  | 'paused'
  | 'cancellation_initiated'
  | 'cancelled';

/** The mandate terms of a UPI Autopay authorisation order (`token` block of `POST /v1/orders`). */
export interface TokenTerms {
  max_amount: number;
  expire_at: number | null;
  frequency: string;
  [field: string]: unknown;
}

/** An order as the emulator keeps it. Times are epoch ms on the emulator clock. */
export interface OrderRecord {
  id: string;
  amount: number;
  currency: string;
  receipt: string | null;
  notes: Record<string, string>;
  status: RazorpayOrderStatus;
  attempts: number;
  amountPaid: number;
  paymentCapture: boolean;
  customerId: string | null;
  method: string | null;
  /** Set on a UPI Autopay authorisation order: paying it creates a token. */
  tokenTerms: TokenTerms | null;
  paymentIds: string[];
  createdAt: number;
}

/** Why a payment failed, in Razorpay's error fields. */
export interface PaymentError {
  code: string;
  description: string;
  source: string;
  step: string;
  reason: string;
}

/** A payment as the emulator keeps it. */
export interface PaymentRecord {
  id: string;
  orderId: string;
  amount: number;
  currency: string;
  status: RazorpayPaymentStatus;
  method: string;
  captured: boolean;
  amountRefunded: number;
  email: string;
  contact: string;
  customerId: string | null;
  tokenId: string | null;
  recurring: boolean;
  description: string | null;
  notes: Record<string, string>;
  error: PaymentError | null;
  createdAt: number;
}

/** A refund as the emulator keeps it. */
export interface RefundRecord {
  id: string;
  paymentId: string;
  amount: number;
  currency: string;
  receipt: string | null;
  notes: Record<string, string>;
  status: RazorpayRefundStatus;
  speedRequested: string;
  createdAt: number;
  /** When (emulator clock) a pending refund is processed on its own; null = only by a control call. */
  processAt: number | null;
}

/** A customer as the emulator keeps it. */
export interface CustomerRecord {
  id: string;
  name: string | null;
  email: string | null;
  contact: string | null;
  gstin: string | null;
  notes: Record<string, string>;
  createdAt: number;
}

/** A UPI Autopay token (mandate) as the emulator keeps it. */
export interface TokenRecord {
  id: string;
  customerId: string;
  /** The order whose payment created it. */
  orderId: string;
  token: string;
  status: RazorpayTokenStatus;
  failureReason: string | null;
  maxAmount: number;
  expireAt: number | null;
  frequency: string;
  usedAt: number | null;
  /** After the merchant's cancel (`cancellation_initiated`): when NPCI confirms it (epoch ms, emulator clock). */
  cancelAt: number | null;
  createdAt: number;
}

/** Everything the emulator holds, keyed by id. */
export interface RazorpayState {
  orders: Map<string, OrderRecord>;
  payments: Map<string, PaymentRecord>;
  refunds: Map<string, RefundRecord>;
  customers: Map<string, CustomerRecord>;
  tokens: Map<string, TokenRecord>;
}

/** An empty state. */
export function emptyRazorpayState(): RazorpayState {
  return { orders: new Map(), payments: new Map(), refunds: new Map(), customers: new Map(), tokens: new Map() };
}
