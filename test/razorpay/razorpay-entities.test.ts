import { describe, expect, it } from 'vitest';
import {
  razorpayCustomerSchema,
  razorpayOrderSchema,
  razorpayPaymentSchema,
  razorpayTokenSchema,
} from '../../src/razorpay/index.js';

// The payment sample of Razorpay's "Fetch a Payment" reference, trimmed.
const payment = {
  id: 'pay_DG4ZdRK8ZnXC3k',
  entity: 'payment',
  amount: 100,
  currency: 'INR',
  status: 'authorized',
  order_id: null,
  invoice_id: null,
  international: false,
  method: 'upi',
  amount_refunded: 0,
  refund_status: null,
  captured: false,
  description: null,
  vpa: 'gaurav.kumar@upi',
  email: 'gaurav.kumar@example.com',
  contact: '+919000090000',
  notes: [],
  fee: null,
  tax: null,
  error_code: null,
  error_description: null,
  acquirer_data: { rrn: '325114445466', upi_transaction_id: 'DCD38DA23A2AB5FAF2A9C2' },
  created_at: 1567674599,
};

describe('Razorpay entity schemas', () => {
  it('read the documented samples and keep every unknown field', () => {
    const parsed = razorpayPaymentSchema.parse(payment);
    expect(parsed).toEqual(payment);
    expect((parsed as Record<string, unknown>).acquirer_data).toEqual(payment.acquirer_data);
    expect(
      razorpayTokenSchema.parse({
        id: 'token_RtP3bvcI7tle25',
        entity: 'token',
        method: 'upi',
        recurring: true,
        recurring_details: { status: 'confirmed', failure_reason: null, amount_blocked: 200 },
        vpa: { username: '9876543210', handle: 'upi' },
        created_at: 1766132688,
      }).recurring_details,
    ).toEqual({ status: 'confirmed', failure_reason: null, amount_blocked: 200 });
    expect(
      razorpayCustomerSchema.parse({ id: 'cust_1', entity: 'customer', contact: '9123456780', gstin: null }).id,
    ).toBe('cust_1');
  });

  it.each([
    ['a float amount', { amount: 100.5 }],
    ['a string amount', { amount: '100' }],
    ['a negative amount_refunded', { amount_refunded: -1 }],
    ['no id', { id: undefined }],
    ['no status', { status: undefined }],
  ])('refuse %s', (_name, change) => {
    expect(razorpayPaymentSchema.safeParse({ ...payment, ...change }).success).toBe(false);
  });

  it('require only what the library uses on an order', () => {
    expect(razorpayOrderSchema.safeParse({ id: 'order_1', amount: 100, currency: 'INR', status: 'paid' }).success).toBe(
      true,
    );
    expect(razorpayOrderSchema.safeParse({ id: 'order_1', amount: 1.5, currency: 'INR', status: 'paid' }).success).toBe(
      false,
    );
  });
});
