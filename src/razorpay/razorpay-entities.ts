import { z } from 'zod';

// Razorpay's entities as the client reads them (docs/razorpay.md#protocol-notes). Lenient on purpose:
// every unknown field is kept (looseObject), and only what the library relies on is required, so a new
// field or a dropped optional one on Razorpay's side does not break a payment. Amounts must be integer
// paise: a float or a string amount is a body we cannot trust.

const paise = z.number().int('must be integer paise').nonnegative('must be >= 0');
const unixSeconds = z.number().int('must be Unix seconds');
const optionalText = z.string().nullable().optional();
// Razorpay sends `notes` as an object, or as `[]` when there are none.
const notes = z
  .union([z.record(z.string(), z.unknown()), z.array(z.unknown())])
  .nullable()
  .optional();

/**
 * Razorpay's order states: `created` (no payment yet), `attempted` (a payment was tried), `paid`.
 *
 * @example
 * if (order.status === 'paid') settle(order);
 */
export const RAZORPAY_ORDER_STATUSES = ['created', 'attempted', 'paid'] as const;

/**
 * Razorpay's payment states.
 *
 * @example
 * const done = RAZORPAY_PAYMENT_STATUSES.filter((s) => s === 'captured' || s === 'failed');
 */
export const RAZORPAY_PAYMENT_STATUSES = ['created', 'authorized', 'captured', 'refunded', 'failed'] as const;

/**
 * Razorpay's refund states.
 *
 * @example
 * const final = (r: RazorpayRefund) => r.status !== 'pending';
 */
export const RAZORPAY_REFUND_STATUSES = ['pending', 'processed', 'failed'] as const;

/** The order entity (`GET /orders/:id`). Unknown fields are kept. */
export const razorpayOrderSchema = z.looseObject({
  id: z.string().min(1),
  entity: z.literal('order').optional(),
  amount: paise,
  amount_paid: paise.optional(),
  amount_due: paise.optional(),
  currency: z.string(),
  receipt: optionalText,
  status: z.string(),
  attempts: z.number().int().optional(),
  notes,
  created_at: unixSeconds.optional(),
});

/**
 * An order as Razorpay returns it (`status` is one of {@link RAZORPAY_ORDER_STATUSES}; a new state passes through as a string).
 *
 * @example
 * const order: RazorpayOrder = await razorpay.getOrder('order_EKwxwAgItmmXdp');
 */
export type RazorpayOrder = z.infer<typeof razorpayOrderSchema>;

/** The payment entity (`GET /payments/:id`). Unknown fields are kept. */
export const razorpayPaymentSchema = z.looseObject({
  id: z.string().min(1),
  entity: z.literal('payment').optional(),
  amount: paise,
  currency: z.string(),
  status: z.string(),
  order_id: optionalText,
  method: optionalText,
  amount_refunded: paise.nullable().optional(),
  refund_status: optionalText,
  captured: z.boolean().optional(),
  customer_id: optionalText,
  token_id: optionalText,
  recurring: z.union([z.boolean(), z.string(), z.number()]).nullable().optional(),
  error_code: optionalText,
  error_description: optionalText,
  notes,
  created_at: unixSeconds.optional(),
});

/**
 * A payment as Razorpay returns it.
 *
 * @example
 * const payment: RazorpayPayment = await razorpay.getPayment('pay_29QQoUBi66xm2f');
 */
export type RazorpayPayment = z.infer<typeof razorpayPaymentSchema>;

/** The refund entity (`GET /refunds/:id`). Unknown fields are kept. */
export const razorpayRefundSchema = z.looseObject({
  id: z.string().min(1),
  entity: z.literal('refund').optional(),
  amount: paise,
  currency: z.string().optional(),
  payment_id: z.string().min(1),
  receipt: optionalText,
  status: z.string(),
  notes,
  speed_requested: optionalText,
  speed_processed: optionalText,
  created_at: unixSeconds.optional(),
});

/**
 * A refund as Razorpay returns it.
 *
 * @example
 * const refund: RazorpayRefund = await razorpay.getRefund('rfnd_FP8QHiV938haTz');
 */
export type RazorpayRefund = z.infer<typeof razorpayRefundSchema>;

/** The customer entity (`POST /customers`). Unknown fields are kept. */
export const razorpayCustomerSchema = z.looseObject({
  id: z.string().min(1),
  entity: z.literal('customer').optional(),
  name: optionalText,
  email: optionalText,
  contact: z.union([z.string(), z.number()]).nullable().optional(),
  notes,
  created_at: unixSeconds.optional(),
});

/**
 * A customer as Razorpay returns it.
 *
 * @example
 * const customer: RazorpayCustomer = await razorpay.createCustomer({ name: 'Gaurav Kumar', email: 'gaurav@example.com' });
 */
export type RazorpayCustomer = z.infer<typeof razorpayCustomerSchema>;

/** A recurring token (mandate) of a customer. Unknown fields are kept. */
export const razorpayTokenSchema = z.looseObject({
  id: z.string().min(1),
  entity: z.literal('token').optional(),
  method: optionalText,
  max_amount: paise.nullable().optional(),
  expired_at: unixSeconds.nullable().optional(),
  recurring: z.boolean().optional(),
  recurring_details: z.looseObject({ status: z.string(), failure_reason: optionalText }).nullable().optional(),
  created_at: unixSeconds.optional(),
});

/**
 * A recurring token (mandate): `recurring_details.status` is `initiated`, `confirmed`, `rejected`,
 * `paused`, `cancellation_initiated` or `cancelled` for UPI (docs/razorpay.md#tokens).
 *
 * @example
 * const usable = (t: RazorpayToken) => t.recurring_details?.status === 'confirmed';
 */
export type RazorpayToken = z.infer<typeof razorpayTokenSchema>;

/** Razorpay's list envelope `{ entity: 'collection', count, items }` around `item`. */
export function razorpayCollectionSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({ entity: z.string().optional(), count: z.number().int().optional(), items: z.array(item) });
}

/** The answer of `POST /payments/create/recurring`. Unknown fields are kept. */
export const razorpayRecurringPaymentSchema = z.looseObject({
  razorpay_payment_id: z.string().min(1),
  razorpay_order_id: z.string().min(1).optional(),
  razorpay_signature: z.string().optional(),
});

/**
 * What `createRecurringPayment` returns: the payment id (and the order id and signature when Razorpay
 * sends them). After a lost answer, the client rebuilds it from the order's payments (no signature then).
 *
 * @example
 * const { razorpay_payment_id } = await razorpay.createRecurringPayment(debit);
 */
export type RazorpayRecurringPayment = z.infer<typeof razorpayRecurringPaymentSchema>;

/** The answer of the token cancel and delete calls: Razorpay's body is kept as it came (`{ deleted: true }` or a token). */
export const razorpayAnySchema = z.looseObject({});
