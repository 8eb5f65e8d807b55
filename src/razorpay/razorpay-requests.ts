import { RazorpayValidationError } from './razorpay-errors.js';

/** Key-value notes Razorpay stores with an entity (at most 15 pairs, 256 characters each). */
export type RazorpayNotes = Record<string, string>;

/**
 * The mandate block of a UPI Autopay authorisation order (`token` of `POST /orders`).
 *
 * @example
 * const token: RazorpayOrderToken = { maxAmount: 150_000, expireAt: 2_000_000_000, frequency: 'monthly' };
 */
export interface RazorpayOrderToken {
  /** The most one debit may take, in paise. */
  maxAmount: number;
  /** When the mandate ends, Unix seconds. */
  expireAt: number;
  /** `monthly`, `as_presented`, … as Razorpay accepts for the method. */
  frequency: string;
  /** Extra fields of the token block, sent as given (snake_case, e.g. `recurring_value`). */
  extra?: Record<string, unknown>;
}

/**
 * `createOrder` input. `receipt` is required here (Razorpay makes it optional): it is how the client
 * finds the order again when the answer is lost.
 *
 * @example
 * await razorpay.createOrder({ amount: 49_900, receipt: 'pay_2026_0001', notes: { plan: 'pro' } });
 */
export interface RazorpayCreateOrderRequest {
  /** Integer paise, > 0. */
  amount: number;
  /** @default 'INR' */
  currency?: string;
  /** Your unique reference (at most 40 characters), the lookup key after a lost answer. */
  receipt: string;
  notes?: RazorpayNotes;
  /** Razorpay's `payment_capture` (capture automatically). */
  paymentCapture?: boolean;
  /** For the UPI Autopay authorisation order: the customer the token is for. */
  customerId?: string;
  /** For the authorisation order: `upi`. */
  method?: string;
  /** For the authorisation order: the mandate. */
  token?: RazorpayOrderToken;
}

/**
 * `createRefund` input (partial refunds allowed). `receipt` is required: it finds the refund among the
 * payment's refunds when the answer is lost.
 *
 * @example
 * await razorpay.createRefund({ paymentId: 'pay_29QQoUBi66xm2f', amount: 10_000, receipt: 'rf_0001' });
 */
export interface RazorpayCreateRefundRequest {
  paymentId: string;
  /** Integer paise, > 0. */
  amount: number;
  /** Your unique reference for the refund. */
  receipt: string;
  notes?: RazorpayNotes;
  /** `normal` or `optimum`. @default Razorpay's (normal) */
  speed?: 'normal' | 'optimum';
}

/**
 * `createCustomer` input. Sent with `fail_existing: "0"`, so a customer with the same details is
 * returned instead of an error.
 *
 * @example
 * await razorpay.createCustomer({ name: 'Gaurav Kumar', email: 'gaurav.kumar@example.com', contact: '+919000090000' });
 */
export interface RazorpayCreateCustomerRequest {
  name?: string;
  email?: string;
  contact?: string;
  notes?: RazorpayNotes;
}

/**
 * `createRecurringPayment` input: a debit on a confirmed token, against a new order created for it.
 *
 * @example
 * await razorpay.createRecurringPayment({ orderId, customerId, tokenId, amount: 49_900, email, contact });
 */
export interface RazorpayCreateRecurringPaymentRequest {
  /** A new order created for this debit (no `method`/`token` block). */
  orderId: string;
  customerId: string;
  tokenId: string;
  /** Integer paise, > 0; the order's amount. */
  amount: number;
  /** @default 'INR' */
  currency?: string;
  email: string;
  contact: string;
  description?: string;
  notes?: RazorpayNotes;
}

/** Throws {@link RazorpayValidationError} unless `value` is a whole, positive, safe number of paise. */
export function requirePaise(operation: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0)
    throw new RazorpayValidationError({ operation, field, problem: 'must be a positive whole number of paise' });
  return value;
}

/** Throws {@link RazorpayValidationError} unless `value` is a non-empty string, and returns it. */
export function requireText(operation: string, field: string, value: unknown, maxLength = 200): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > maxLength)
    throw new RazorpayValidationError({
      operation,
      field,
      problem: `must be a non-empty string of at most ${maxLength} characters`,
    });
  return value;
}

/**
 * An id for a URL path: non-empty, free of `/`, `?`, `#`, and not `.` or `..` (which URL resolution would drop
 * or climb: `/payments/../refund` is sent as `/refund`), so it cannot change the path; encoded.
 */
export function pathId(operation: string, field: string, value: unknown): string {
  const id = requireText(operation, field, value, 100);
  if (/[/?#\s]/.test(id))
    throw new RazorpayValidationError({ operation, field, problem: 'must not contain "/", "?", "#" or spaces' });
  if (id === '.' || id === '..')
    throw new RazorpayValidationError({ operation, field, problem: 'must not be "." or ".."' });
  return encodeURIComponent(id);
}
