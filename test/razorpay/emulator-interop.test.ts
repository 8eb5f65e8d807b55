// RazorpayClient against the Razorpay emulator of phonepe-billing/testing over real HTTP: two
// independent readings of Razorpay's API reference checked against each other.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isRazorpayBadRequestError,
  RazorpayClient,
  verifyRazorpayPaymentSignature,
  verifyRazorpayWebhook,
} from '../../src/razorpay/index.js';
import { type RazorpayEmulator, startRazorpayEmulator } from '../../src/testing/index.js';

interface Delivery {
  body: string;
  signature: string | undefined;
  eventId: string | undefined;
}

describe('RazorpayClient against the Razorpay emulator', () => {
  let emu: RazorpayEmulator;
  let client: RazorpayClient;
  let receiver: Server;
  const deliveries: Delivery[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () => {
        const header = (name: string) => {
          const value = req.headers[name];
          return Array.isArray(value) ? value[0] : value;
        };
        deliveries.push({ body, signature: header('x-razorpay-signature'), eventId: header('x-razorpay-event-id') });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const port = (receiver.address() as AddressInfo).port;
    emu = await startRazorpayEmulator({ webhook: { url: `http://127.0.0.1:${port}/webhook` } });
    client = new RazorpayClient({
      keyId: emu.credentials.keyId,
      keySecret: emu.credentials.keySecret,
      baseUrl: emu.baseUrl,
      timeoutMs: 2_000,
    });
  });

  afterAll(async () => {
    await emu?.close();
    await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  });

  it('runs a one-time checkout: order, payment with a valid signature, partial refund', async () => {
    const order = await client.createOrder({ amount: 49_900, receipt: 'interop_once' });
    expect(order).toMatchObject({ amount: 49_900, receipt: 'interop_once', status: 'created' });
    const paid = await emu.payOrder(order.id);
    expect(
      await verifyRazorpayPaymentSignature(
        { orderId: order.id, paymentId: paid.razorpay_payment_id, signature: paid.razorpay_signature },
        emu.credentials.keySecret,
      ),
    ).toBe(true);
    const payment = await client.getPayment(paid.razorpay_payment_id);
    expect(payment).toMatchObject({ order_id: order.id, amount: 49_900 });
    expect((await client.listOrderPayments(order.id)).map((p) => p.id)).toEqual([payment.id]);
    expect((await client.findOrderByReceipt('interop_once'))?.id).toBe(order.id);
    expect(payment.status).toBe('captured'); // an order auto-captures unless it says otherwise
    const refund = await client.createRefund({ paymentId: payment.id, amount: 10_000, receipt: 'interop_rf' });
    expect(refund).toMatchObject({ amount: 10_000, payment_id: payment.id });
    expect((await client.getRefund(refund.id)).id).toBe(refund.id);
    expect((await client.listPaymentRefunds(payment.id)).map((r) => r.id)).toContain(refund.id);
    const over = await client
      .createRefund({ paymentId: payment.id, amount: 49_900, receipt: 'interop_rf_over' })
      .catch((e: unknown) => e);
    expect(isRazorpayBadRequestError(over)).toBe(true);
  });

  it('sets up UPI Autopay, debits the confirmed token, and cancels it', async () => {
    const customer = await client.createCustomer({ name: 'Gaurav Kumar', email: 'interop@example.com' });
    expect((await client.createCustomer({ name: 'Gaurav Kumar', email: 'interop@example.com' })).id).toBe(customer.id);
    expect(await client.getCustomer(customer.id)).toMatchObject({ id: customer.id, email: 'interop@example.com' });
    expect(await client.getCustomer('cust_unknown000000').catch((e: unknown) => e)).toMatchObject({
      name: 'RazorpayNotFoundError',
    });
    const authorisation = await client.createOrder({
      amount: 100,
      receipt: 'interop_mandate',
      customerId: customer.id,
      method: 'upi',
      paymentCapture: true,
      token: { maxAmount: 150_000, expireAt: 4_102_444_800, frequency: 'monthly' },
    });
    await emu.payOrder(authorisation.id);
    const [token] = await client.listTokens(customer.id);
    if (token === undefined) throw new Error('the paid authorisation order made no token');
    expect(token.recurring_details?.status).toBe('confirmed'); // confirmTokens defaults to true
    expect((await client.getToken(customer.id, token.id)).recurring_details?.status).toBe('confirmed');
    const renewal = await client.createOrder({ amount: 49_900, receipt: 'interop_renewal_1' });
    const debit = await client.createRecurringPayment({
      orderId: renewal.id,
      customerId: customer.id,
      tokenId: token.id,
      amount: 49_900,
      email: 'interop@example.com',
      contact: '+919000090000',
    });
    expect((await client.getPayment(debit.razorpay_payment_id)).order_id).toBe(renewal.id);
    await client.cancelToken(customer.id, token.id);
    expect(['cancellation_initiated', 'cancelled']).toContain(
      (await client.getToken(customer.id, token.id)).recurring_details?.status,
    );
  });

  it('finds the order when the emulator drops the answer after acting, and creates only one', async () => {
    const before = emu.state().orders.length;
    emu.faults.add({ method: 'POST', path: '/v1/orders', after: true, dropConnection: true, times: 1 });
    const order = await client.createOrder({ amount: 20_000, receipt: 'interop_lost' });
    expect(order.receipt).toBe('interop_lost');
    expect(emu.state().orders.length).toBe(before + 1);
    emu.faults.add({ method: 'POST', path: '/v1/orders', after: true, truncate: true, times: 1 });
    expect((await client.createOrder({ amount: 20_000, receipt: 'interop_cut' })).receipt).toBe('interop_cut');
    expect(emu.state().orders.length).toBe(before + 2);
  });

  it('a refund whose answer is lost while Razorpay is still making it is made once, even when sent again', async () => {
    // A timeout does not stop the request: Razorpay may act on it after the client's lookup found nothing
    // ("a prior request is still being processed", https://razorpay.com/docs/api/refunds/normal-refunds-idempotent).
    const order = await client.createOrder({ amount: 30_000, receipt: 'interop_rf_slow_order' });
    const { razorpay_payment_id: paymentId } = await emu.payOrder(order.id);
    let late: (() => Promise<Response>) | undefined;
    const slowFirstRefund: typeof fetch = async (input, init) => {
      if (late === undefined && init?.method === 'POST' && String(input).endsWith('/refund')) {
        late = () => fetch(input, { ...init, signal: null });
        return new Promise<Response>(() => {}); // reaches Razorpay only after the client gave up
      }
      return fetch(input, init);
    };
    const slow = new RazorpayClient({
      keyId: emu.credentials.keyId,
      keySecret: emu.credentials.keySecret,
      baseUrl: emu.baseUrl,
      timeoutMs: 100,
      fetch: slowFirstRefund,
    });
    const request = { paymentId, amount: 10_000, receipt: 'interop_rf_slow' };
    const lost = await slow.createRefund(request).catch((e: unknown) => e);
    expect(lost).toMatchObject({ code: 'OUTCOME_UNKNOWN', created: false });
    await (late as () => Promise<Response>)(); // Razorpay gets to it now
    await slow.createRefund(request); // "creating it again with the same receipt is safe"
    const refunds = await client.listPaymentRefunds(paymentId);
    expect(refunds.map((r) => r.amount)).toEqual([10_000]);
    expect((await client.getPayment(paymentId)).amount_refunded).toBe(10_000);
  });

  it('a recurring debit made after its lost answer is found when it is sent again, not reported refused', async () => {
    const customer = await client.createCustomer({ name: 'Late Debit', email: 'late-debit@example.com' });
    const authorisation = await client.createOrder({
      amount: 100,
      receipt: 'interop_late_mandate',
      customerId: customer.id,
      method: 'upi',
      token: { maxAmount: 150_000, expireAt: 4_102_444_800, frequency: 'monthly' },
    });
    await emu.payOrder(authorisation.id);
    const [token] = await client.listTokens(customer.id);
    if (token === undefined) throw new Error('the paid authorisation order made no token');
    const renewal = await client.createOrder({ amount: 49_900, receipt: 'interop_late_renewal' });
    let late: (() => Promise<Response>) | undefined;
    const slowFirstDebit: typeof fetch = async (input, init) => {
      if (late === undefined && init?.method === 'POST' && String(input).endsWith('/payments/create/recurring')) {
        late = () => fetch(input, { ...init, signal: null });
        return new Promise<Response>(() => {}); // reaches Razorpay only after the client gave up
      }
      return fetch(input, init);
    };
    const slow = new RazorpayClient({
      keyId: emu.credentials.keyId,
      keySecret: emu.credentials.keySecret,
      baseUrl: emu.baseUrl,
      timeoutMs: 100,
      fetch: slowFirstDebit,
    });
    const request = {
      orderId: renewal.id,
      customerId: customer.id,
      tokenId: token.id,
      amount: 49_900,
      email: 'late-debit@example.com',
      contact: '+919000090000',
    };
    const lost = await slow.createRecurringPayment(request).catch((e: unknown) => e);
    expect(lost).toMatchObject({ code: 'OUTCOME_UNKNOWN', created: false });
    await (late as () => Promise<Response>)(); // Razorpay debits the customer now
    const [debited] = await client.listOrderPayments(renewal.id);
    expect(debited).toMatchObject({ status: 'captured', amount: 49_900 });
    // Sent again, as the error allows: the debit that was made is the answer, not a refusal.
    expect(await slow.createRecurringPayment(request)).toMatchObject({
      razorpay_payment_id: debited?.id,
      razorpay_order_id: renewal.id,
    });
    expect(await client.listOrderPayments(renewal.id)).toHaveLength(1);
  });

  it('verifies the webhooks the emulator signed', async () => {
    for (let i = 0; i < 50 && deliveries.length === 0; i += 1) await new Promise((r) => setTimeout(r, 20));
    expect(deliveries.length).toBeGreaterThan(0);
    for (const delivery of deliveries) {
      const event = await verifyRazorpayWebhook(
        { body: delivery.body, signature: delivery.signature, eventId: delivery.eventId },
        emu.credentials.webhookSecret,
      );
      expect(event.event).toMatch(/^(payment|order|refund|token)\./);
      expect(event.eventId).toBeDefined();
    }
  });
});
