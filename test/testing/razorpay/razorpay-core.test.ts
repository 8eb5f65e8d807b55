import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../../src/common/clock.js';
import { RazorpayCore } from '../../../src/testing/razorpay/razorpay-core.js';
import { isRazorpayEmulatorError } from '../../../src/testing/razorpay/razorpay-emulator-error.js';
import {
  type RazorpayEmulatorOptions,
  razorpayEmulatorOptionsSchema,
  toRazorpayCoreConfig,
} from '../../../src/testing/razorpay/razorpay-emulator-options.js';

function core(options: RazorpayEmulatorOptions = {}) {
  const clock = createManualClock(Date.parse('2026-03-01T00:00:00Z'));
  const c = new RazorpayCore(toRazorpayCoreConfig(razorpayEmulatorOptionsSchema.parse({ clock, ...options })));
  return { c, clock, events: () => c.webhooks.deliveries().map((d) => d.event) };
}

function refused(run: () => unknown): { status: number; description: string; field?: string } {
  try {
    run();
  } catch (error) {
    if (isRazorpayEmulatorError(error))
      return { status: error.status, description: error.description, field: error.field };
    throw error;
  }
  throw new Error('expected a refusal');
}

function mandate(c: RazorpayCore, maxAmount = 50_000) {
  const customer = c.createCustomer({ name: 'C', email: 'c@example.com', contact: '9000000003' });
  const order = c.createOrder({
    amount: 100,
    currency: 'INR',
    customer_id: customer.id,
    method: 'upi',
    token: { max_amount: maxAmount, frequency: 'monthly', expire_at: 2_000_000_000 },
  });
  const paid = c.payOrder(order.id);
  const tokenId = c.payment(paid.razorpay_payment_id).tokenId!;
  return { customer, order, tokenId };
}

describe('RazorpayCore state machine', () => {
  it('order: created → attempted (failed attempt) → paid; a paid order refuses another attempt', () => {
    const { c, events } = core();
    const order = c.createOrder({ amount: 10_000, currency: 'INR' });
    expect(order.status).toBe('created');
    const failure = c.failOrder(order.id, { code: 'BAD_REQUEST_ERROR', reason: 'insufficient_balance' });
    expect(failure.error).toMatchObject({ reason: 'insufficient_balance', metadata: { order_id: order.id } });
    expect(c.order(order.id)).toMatchObject({ status: 'attempted', attempts: 1 });
    expect(c.payment(failure.error.metadata.payment_id)).toMatchObject({
      status: 'failed',
      error: { reason: 'insufficient_balance' },
    });
    const paid = c.payOrder(order.id);
    expect(c.order(order.id)).toMatchObject({ status: 'paid', attempts: 2, amountPaid: 10_000 });
    expect(c.payment(paid.razorpay_payment_id).status).toBe('captured');
    expect(events()).toEqual(['payment.failed', 'payment.authorized', 'payment.captured', 'order.paid']);
    expect(refused(() => c.payOrder(order.id)).status).toBe(400);
    expect(refused(() => c.failOrder(order.id)).status).toBe(400);
  });

  it('refund: pending → processed on the clock; a failed refund gives its amount back', () => {
    const { c, clock, events } = core({ refundProcessAfterMs: 60_000 });
    const order = c.createOrder({ amount: 40_000, currency: 'INR' });
    const pay = c.payOrder(order.id).razorpay_payment_id;
    const a = c.createRefund(pay, { amount: 10_000 });
    const b = c.createRefund(pay, { amount: 30_000 });
    expect(c.payment(pay)).toMatchObject({ amountRefunded: 40_000, status: 'refunded' });
    c.failRefund(b.id);
    expect(c.payment(pay)).toMatchObject({ amountRefunded: 10_000, status: 'captured' });
    clock.advance(59_999);
    c.sweep();
    expect(c.refund(a.id).status).toBe('pending');
    clock.advance(1);
    c.sweep();
    expect(c.refund(a.id).status).toBe('processed');
    expect(refused(() => c.processRefund(a.id)).status).toBe(400);
    expect(refused(() => c.failRefund(a.id)).status).toBe(400);
    expect(events().slice(3)).toEqual(['refund.created', 'refund.created', 'refund.failed', 'refund.processed']);
  });

  it('refundProcessAfterMs 0 processes at once; null waits for a control call', () => {
    const now = core({ refundProcessAfterMs: 0 });
    const o1 = now.c.createOrder({ amount: 1000, currency: 'INR' });
    const r1 = now.c.createRefund(now.c.payOrder(o1.id).razorpay_payment_id, {});
    expect(now.c.refund(r1.id).status).toBe('processed');
    const never = core({ refundProcessAfterMs: null });
    const o2 = never.c.createOrder({ amount: 1000, currency: 'INR' });
    const r2 = never.c.createRefund(never.c.payOrder(o2.id).razorpay_payment_id, {});
    never.clock.advance(365 * 86_400_000);
    never.c.sweep();
    expect(never.c.refund(r2.id).status).toBe('pending');
  });

  it('token: initiated → confirmed | rejected; confirmed ⇄ paused; → cancelled; illegal moves refused', () => {
    const { c, events } = core({ confirmTokens: false });
    const first = mandate(c);
    expect(c.token(first.tokenId).status).toBe('initiated');
    expect(refused(() => c.setTokenStatus(first.tokenId, 'paused')).status).toBe(400);
    c.setTokenStatus(first.tokenId, 'confirmed');
    c.setTokenStatus(first.tokenId, 'paused');
    c.setTokenStatus(first.tokenId, 'confirmed');
    c.setTokenStatus(first.tokenId, 'cancelled');
    expect(refused(() => c.setTokenStatus(first.tokenId, 'confirmed')).status).toBe(400);
    const order2 = c.createOrder({
      amount: 100,
      currency: 'INR',
      customer_id: first.customer.id,
      method: 'upi',
      token: { max_amount: 1000, frequency: 'monthly' },
    });
    const second = c.payment(c.payOrder(order2.id).razorpay_payment_id).tokenId!;
    c.setTokenStatus(second, 'rejected', 'customer declined');
    expect(c.token(second)).toMatchObject({ status: 'rejected', failureReason: 'customer declined' });
    // Pause and resume send nothing: Razorpay documents no webhook for them.
    expect(events().filter((e) => e.startsWith('token.'))).toEqual([
      'token.confirmed',
      'token.cancelled',
      'token.rejected',
    ]);
  });

  it('recurring payment: refused on a non-confirmed token, over max_amount, or a used order; manual debits wait', () => {
    const { c } = core({ confirmTokens: false, recurringDebits: 'manual' });
    const { customer, tokenId } = mandate(c, 20_000);
    const body = (orderId: string, amount: number) => ({
      email: 'c@example.com',
      contact: '9000000003',
      amount,
      currency: 'INR',
      order_id: orderId,
      customer_id: customer.id,
      token: tokenId,
      recurring: 1,
    });
    const o1 = c.createOrder({ amount: 15_000, currency: 'INR' });
    expect(refused(() => c.createRecurringPayment(body(o1.id, 15_000))).description).toContain('initiated');
    c.setTokenStatus(tokenId, 'confirmed');
    const o2 = c.createOrder({ amount: 20_001, currency: 'INR' });
    expect(refused(() => c.createRecurringPayment(body(o2.id, 20_001))).field).toBe('amount');
    expect(refused(() => c.createRecurringPayment(body(o1.id, 14_999))).field).toBe('amount');
    const debit = c.createRecurringPayment(body(o1.id, 15_000));
    expect(c.payment(debit.razorpay_payment_id).status).toBe('created');
    expect(refused(() => c.createRecurringPayment(body(o1.id, 15_000))).field).toBe('order_id');
    c.payOrder(o1.id);
    expect(c.payment(debit.razorpay_payment_id).status).toBe('captured');
    expect(c.order(o1.id).paymentIds).toHaveLength(1);
    c.setTokenStatus(tokenId, 'paused');
    const o3 = c.createOrder({ amount: 1_000, currency: 'INR' });
    expect(refused(() => c.createRecurringPayment(body(o3.id, 1_000))).description).toContain('paused');
  });

  it.each([
    ['paused by the customer', (c: RazorpayCore, tokenId: string) => c.setTokenStatus(tokenId, 'paused')],
    ['cancelled by the merchant', (c: RazorpayCore, tokenId: string) => c.requestTokenCancellation(tokenId)],
    ['revoked by the customer', (c: RazorpayCore, tokenId: string) => c.setTokenStatus(tokenId, 'cancelled')],
    ['deleted', (c: RazorpayCore, tokenId: string) => c.deleteToken(tokenId)],
  ])('a manual debit is not taken once its token is %s while it waits', (_name, stop) => {
    const { c } = core({ recurringDebits: 'manual' });
    const { customer, tokenId } = mandate(c, 20_000);
    const order = c.createOrder({ amount: 15_000, currency: 'INR' });
    const debit = c.createRecurringPayment({
      email: 'c@example.com',
      contact: '9000000003',
      amount: 15_000,
      currency: 'INR',
      order_id: order.id,
      customer_id: customer.id,
      token: tokenId,
      recurring: 1,
    });
    stop(c, tokenId);
    expect(refused(() => c.payOrder(order.id))).toMatchObject({ status: 400, field: 'token' });
    expect(c.payment(debit.razorpay_payment_id)).toMatchObject({ status: 'created', captured: false });
    expect(c.order(order.id)).toMatchObject({ status: 'attempted', amountPaid: 0 });
  });

  it('recurring payment: refused once the token is past its expire_at (emulator clock)', () => {
    const { c, clock } = core();
    const { customer, tokenId } = mandate(c); // expire_at 2_000_000_000 (May 2033)
    const charge = () => {
      const order = c.createOrder({ amount: 1_000, currency: 'INR' });
      return c.createRecurringPayment({
        email: 'c@example.com',
        contact: '9000000003',
        amount: 1_000,
        currency: 'INR',
        order_id: order.id,
        customer_id: customer.id,
        token: tokenId,
        recurring: '1',
      });
    };
    expect(charge().razorpay_payment_id).toMatch(/^pay_/);
    clock.set(2_000_000_000_000);
    expect(refused(charge).field).toBe('token');
  });
});
