// The Razorpay gateway against the Razorpay emulator of phonepe-billing/testing over real HTTP: every port
// call as the billing core makes it, the emulator acting as payer, bank and NPCI, and its signed webhooks
// caught by a local receiver.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayCheckoutRequest, PaymentGateway, PaymentRef } from '../../src/billing/payment-gateway.js';
import { createManualClock, type ManualClock } from '../../src/common/clock.js';
import { isBillingError } from '../../src/billing/errors.js';
import { isInvalidOptionsError } from '../../src/common/invalid-options.js';
import {
  computeRazorpaySignature,
  createRazorpayGateway,
  isRazorpayValidationError,
  isRazorpayWebhookVerificationError,
  RAZORPAY_DEBIT_ORDER_LIFE_MS,
  RAZORPAY_MANDATE_EXPIRE_AT,
  RazorpayBadRequestError,
  RazorpayClient,
  RazorpayRateLimitError,
  RazorpayServerError,
  razorpayEvent,
  razorpayFailure,
  razorpayMandatePhase,
  razorpayOrder,
  razorpayRefund,
  splitRazorpayMandateRef,
} from '../../src/razorpay/index.js';
import type { RazorpayOrder, RazorpayPayment } from '../../src/razorpay/index.js';
import { type RazorpayEmulator, startRazorpayEmulator } from '../../src/testing/index.js';

interface Delivery {
  body: string;
  headers: Headers;
}

const CUSTOMER = { name: 'Gaurav Kumar', email: 'gaurav.kumar@example.com', contact: '+919000090000' };
const REFERENCES = { paymentId: 'pay_row_1', workspaceId: 'ws_1', planId: 'pro' };
let sequence = 0;
const uid = (prefix: string) => `${prefix}_${Date.now().toString(36)}${(sequence += 1)}`;

describe('the Razorpay gateway against the Razorpay emulator', () => {
  let emu: RazorpayEmulator;
  let client: RazorpayClient;
  let gateway: PaymentGateway;
  let clock: ManualClock;
  let receiver: Server;
  const deliveries: Delivery[] = [];
  /** The client operations sent, one per HTTP attempt. */
  const sent: string[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers))
          if (typeof value === 'string') headers.set(name, value);
        deliveries.push({ body, headers });
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
      retry: { limit: 0 },
      onEvent: (event) => {
        if (event.type === 'request') sent.push(event.operation);
      },
    });
    clock = createManualClock(Date.parse('2026-03-01T00:00:00Z'));
    gateway = createRazorpayGateway({ client, webhookSecret: emu.credentials.webhookSecret, clock });
  });

  afterAll(async () => {
    await emu?.close();
    await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  });

  const checkout = (overrides: Partial<GatewayCheckoutRequest> = {}): GatewayCheckoutRequest => ({
    merchantOrderId: uid('ord'),
    amountPaise: 49_900,
    redirectUrl: 'https://shop.example/return',
    expireAfterSeconds: 900,
    references: REFERENCES,
    mandate: null,
    customer: null,
    ...overrides,
  });

  const ref = (
    request: GatewayCheckoutRequest,
    gatewayOrderId: string | null,
    method: PaymentRef['method'] = 'checkout',
    expiresAt: number | null = null,
  ): PaymentRef => ({ merchantOrderId: request.merchantOrderId, gatewayOrderId, method, expiresAt });

  /** A completed UPI Autopay set-up: its request, order id and mandate reference. */
  async function setUpMandate(interval: 'month' | 'year' = 'month') {
    const request = checkout({
      customer: CUSTOMER,
      mandate: { merchantMandateId: uid('mdt'), maxAmountPaise: 149_900, interval },
    });
    const created = await gateway.createCheckout(request);
    await emu.payOrder(created.gatewayOrderId);
    const order = await gateway.getOrder(ref(request, created.gatewayOrderId, 'autopay_setup'));
    const mandateId = order?.mandate.gatewayMandateId;
    if (!mandateId) throw new Error('the set-up order named no mandate');
    return { request, created, order, mandate: { merchantMandateId: 'mdt', gatewayMandateId: mandateId } };
  }

  describe('identity and options', () => {
    it('names itself, its account and capabilities', () => {
      expect(gateway).toMatchObject({
        name: 'razorpay',
        displayName: 'Razorpay',
        account: emu.credentials.keyId,
        capabilities: { mandates: true, preDebitNotice: 'gateway', mandateNeedsCustomer: true },
        activeMandateState: 'confirmed',
      });
      expect(gateway.mandatePhase(gateway.activeMandateState)).toBe('active');
    });

    it('refuses missing, unknown and malformed options with InvalidOptionsError', () => {
      for (const bad of [
        { client },
        { client, webhookSecret: '' },
        { client: {}, webhookSecret: 'whsec' },
        { client, webhookSecret: 'whsec', keySecret: 'x' },
        { client, webhookSecret: 'whsec', checkoutScriptUrl: 'not a url' },
      ]) {
        const error = (() => {
          try {
            createRazorpayGateway(bad as never);
          } catch (e) {
            return e;
          }
        })();
        expect(isInvalidOptionsError(error)).toBe(true);
      }
    });
  });

  describe('one-time checkout', () => {
    it('creates the order and reads it completed once the payer paid', async () => {
      const request = checkout();
      const created = await gateway.createCheckout(request);
      expect(created).toEqual({
        gatewayOrderId: expect.stringMatching(/^order_/),
        reported: 'pending',
        paymentUrl: null,
        expiresAt: clock.now() + 900_000,
        clientState: null,
      });
      const stored = emu.getOrder(created.gatewayOrderId);
      expect(stored).toMatchObject({ receipt: request.merchantOrderId, amount: 49_900 });
      expect(stored.notes).toMatchObject({ billing_payment_id: 'pay_row_1', billing_workspace_id: 'ws_1' });
      expect(await gateway.getOrder(ref(request, created.gatewayOrderId))).toMatchObject({
        reported: 'pending',
        gatewayState: 'created',
        attempts: 0,
      });
      const paid = await emu.payOrder(created.gatewayOrderId);
      const expected = {
        merchantOrderId: request.merchantOrderId,
        gatewayOrderId: created.gatewayOrderId,
        reported: 'completed',
        gatewayState: 'captured',
        amountPaise: 49_900,
        transactionId: paid.razorpay_payment_id,
        paymentMode: 'upi',
        attempts: 1,
        errorCode: null,
        mandate: { gatewayMandateId: null, maxAmountPaise: null },
        debitWindow: { notifiedAt: null, from: null, until: null },
      };
      expect(await gateway.getOrder(ref(request, created.gatewayOrderId))).toMatchObject(expected);
      // Before our row has Razorpay's id (a lost create answer), the receipt finds the order.
      expect(await gateway.getOrder(ref(request, null))).toMatchObject(expected);
    });

    it('sent again after a lost answer, finds the order it made instead of making a second', async () => {
      const request = checkout();
      // The first request: Razorpay made the order, but the answer was lost and so was the client's lookup
      // (outcome unknown). The core then sends the same order id again (an idempotent replay): Razorpay never
      // refuses a repeated receipt, so the gateway must find the order instead of making another.
      const notes = {
        billing_payment_id: REFERENCES.paymentId,
        billing_workspace_id: REFERENCES.workspaceId,
        billing_plan_id: REFERENCES.planId,
      };
      const first = await client.createOrder({
        amount: request.amountPaise,
        receipt: request.merchantOrderId,
        notes,
        paymentCapture: true,
      });
      const again = await gateway.createCheckout(request);
      expect(again.gatewayOrderId).toBe(first.id);
      expect(emu.state().orders.filter((o) => o.receipt === request.merchantOrderId)).toHaveLength(1);
    });

    it('never takes an order with our receipt that is not this payment for its own', async () => {
      const request = checkout();
      // Another integration on the same account, with our order id as its receipt and another amount.
      const foreign = await client.createOrder({ amount: 100, receipt: request.merchantOrderId });
      const created = await gateway.createCheckout(request);
      expect(created.gatewayOrderId).not.toBe(foreign.id);
      expect(emu.getOrder(created.gatewayOrderId)).toMatchObject({ amount: 49_900 });
    });

    it('answers null for an order Razorpay does not have, by receipt or by id', async () => {
      expect(await gateway.getOrder(ref(checkout(), null))).toBeNull();
      expect(await gateway.getOrder(ref(checkout(), 'order_Unknown0000000'))).toBeNull();
    });

    it('a failed attempt leaves the checkout pending (the payer may retry); past our expiry it is expired', async () => {
      const request = checkout();
      const created = await gateway.createCheckout(request);
      await emu.failOrder(created.gatewayOrderId, { code: 'BAD_REQUEST_ERROR', reason: 'payment_failed' });
      const payment = ref(request, created.gatewayOrderId, 'checkout', created.expiresAt);
      expect(await gateway.getOrder(payment)).toMatchObject({
        reported: 'pending',
        gatewayState: 'attempted',
        errorCode: 'BAD_REQUEST_ERROR',
        detailedErrorCode: 'payment_failed',
        attempts: 1,
      });
      clock.advance(900_000);
      expect(await gateway.getOrder(payment)).toMatchObject({ reported: 'expired', gatewayState: 'expired' });
    });

    it('an unpaid checkout without any attempt expires on our clock too, but a paid one never does', async () => {
      const unpaid = checkout();
      const created = await gateway.createCheckout(unpaid);
      const paidRequest = checkout();
      const paidOrder = await gateway.createCheckout(paidRequest);
      await emu.payOrder(paidOrder.gatewayOrderId);
      clock.advance(900_001);
      expect(
        (await gateway.getOrder(ref(unpaid, created.gatewayOrderId, 'checkout', created.expiresAt)))?.reported,
      ).toBe('expired');
      expect(
        (await gateway.getOrder(ref(paidRequest, paidOrder.gatewayOrderId, 'checkout', paidOrder.expiresAt)))?.reported,
      ).toBe('completed');
    });
  });

  describe('UPI Autopay mandates', () => {
    it('sets up a mandate: customer, authorisation order with the token block, completed with cust/token', async () => {
      const { created, order } = await setUpMandate();
      const [customerId, tokenId] = String(order?.mandate.gatewayMandateId).split('/');
      expect(customerId).toMatch(/^cust_/);
      const token = emu.getToken(String(tokenId));
      expect(token).toMatchObject({
        customer_id: customerId,
        max_amount: 149_900,
        frequency: 'monthly',
        expired_at: RAZORPAY_MANDATE_EXPIRE_AT,
      });
      expect(emu.state().customers).toContainEqual(expect.objectContaining({ id: customerId, ...CUSTOMER }));
      expect(order).toMatchObject({
        reported: 'completed',
        gatewayOrderId: created.gatewayOrderId,
        paymentMode: 'upi',
      });
    });

    it('a yearly plan asks for an as_presented mandate (UPI supports only monthly and as_presented)', async () => {
      const { order } = await setUpMandate('year');
      const tokenId = String(order?.mandate.gatewayMandateId).split('/')[1];
      expect(emu.getToken(String(tokenId)).frequency).toBe('as_presented');
    });

    it('refuses a mandate set-up without the payer email and contact, sending nothing', async () => {
      const before = emu.state().orders.length;
      const error = await gateway
        .createCheckout(
          checkout({
            customer: { name: 'X', email: 'x@example.com', contact: null },
            mandate: { merchantMandateId: 'm', maxAmountPaise: 100_000, interval: 'month' },
          }),
        )
        .catch((e: unknown) => e);
      expect(isRazorpayValidationError(error)).toBe(true);
      expect(gateway.classifyFailure(error)?.kind).toBe('refused');
      expect(emu.state().orders.length).toBe(before);
    });

    it('reads the token: active, paused, active again; a ref without a token is pending', async () => {
      const { mandate } = await setUpMandate();
      const tokenId = splitRazorpayMandateRef(mandate.gatewayMandateId, 'test').tokenId;
      expect(await gateway.getMandate(mandate)).toEqual({ gatewayState: 'confirmed', phase: 'active' });
      await emu.pauseToken(tokenId);
      expect(await gateway.getMandate(mandate)).toEqual({ gatewayState: 'paused', phase: 'paused' });
      await emu.resumeToken(tokenId);
      expect((await gateway.getMandate(mandate)).phase).toBe('active');
      expect(await gateway.getMandate({ merchantMandateId: 'm', gatewayMandateId: null })).toEqual({
        gatewayState: 'initiated',
        phase: 'pending',
      });
    });

    it('cancels: cancelling until NPCI confirms, then ended; cancelling again or without a token does nothing', async () => {
      const { mandate } = await setUpMandate();
      await gateway.cancelMandate(mandate);
      expect(await gateway.getMandate(mandate)).toEqual({
        gatewayState: 'cancellation_initiated',
        phase: 'cancelling',
      });
      await gateway.cancelMandate(mandate); // Razorpay refuses a second cancel; it is already on its way
      await emu.advanceTime(61_000);
      expect(await gateway.getMandate(mandate)).toEqual({ gatewayState: 'cancelled', phase: 'ended' });
      await gateway.cancelMandate(mandate);
      await gateway.cancelMandate({ merchantMandateId: 'm', gatewayMandateId: null });
    });

    it('a mandate the payer revoked reads ended', async () => {
      const { mandate } = await setUpMandate();
      await emu.cancelToken(splitRazorpayMandateRef(mandate.gatewayMandateId, 'test').tokenId);
      expect((await gateway.getMandate(mandate)).phase).toBe('ended');
    });
  });

  describe('refunds', () => {
    it('refunds part of a payment under our id and finds it by receipt and by id', async () => {
      const request = checkout();
      const created = await gateway.createCheckout(request);
      const paid = await emu.payOrder(created.gatewayOrderId);
      const merchantRefundId = uid('rf');
      const payment = { merchantOrderId: request.merchantOrderId, gatewayOrderId: created.gatewayOrderId };
      const refund = await gateway.refund({ merchantRefundId, amountPaise: 10_000, payment });
      expect(refund).toEqual({
        reported: 'pending',
        gatewayState: 'pending',
        gatewayRefundId: expect.stringMatching(/^rfnd_/),
        errorCode: null,
      });
      expect(emu.getRefund(String(refund.gatewayRefundId))).toMatchObject({
        amount: 10_000,
        payment_id: paid.razorpay_payment_id,
        receipt: merchantRefundId,
      });
      // By receipt, before our row has Razorpay's refund id (and by the order's receipt alone).
      expect(
        await gateway.getRefund({
          merchantRefundId,
          gatewayRefundId: null,
          payment: { ...payment, gatewayOrderId: null },
        }),
      ).toMatchObject({ gatewayRefundId: refund.gatewayRefundId, reported: 'pending' });
      await emu.processRefund(String(refund.gatewayRefundId));
      expect(await gateway.getRefund({ merchantRefundId, gatewayRefundId: refund.gatewayRefundId, payment })).toEqual({
        reported: 'completed',
        gatewayState: 'processed',
        gatewayRefundId: refund.gatewayRefundId,
        errorCode: null,
      });
      expect(await gateway.getRefund({ merchantRefundId: 'rf_none', gatewayRefundId: null, payment })).toBeNull();
      expect(await gateway.getRefund({ merchantRefundId, gatewayRefundId: 'rfnd_Unknown0000000', payment })).toBeNull();
      // Sent again with the same id (a retry after a lost answer): the one refund, not a second.
      await gateway.refund({ merchantRefundId, amountPaise: 10_000, payment });
      expect(emu.state().refunds.filter((r) => r.receipt === merchantRefundId)).toHaveLength(1);
    });

    it('refuses to refund an order that was never paid', async () => {
      const request = checkout();
      const created = await gateway.createCheckout(request);
      const error = await gateway
        .refund({
          merchantRefundId: uid('rf'),
          amountPaise: 100,
          payment: { merchantOrderId: request.merchantOrderId, gatewayOrderId: created.gatewayOrderId },
        })
        .catch((e: unknown) => e);
      expect(gateway.classifyFailure(error)?.kind).toBe('refused');
    });
  });

  describe('mandate debits', () => {
    it('notifyDebit makes one order per merchant order id, however often it is called', async () => {
      const { mandate } = await setUpMandate();
      const merchantOrderId = uid('dbt');
      const debit = { merchantOrderId, amountPaise: 49_900, mandate, references: REFERENCES };
      const first = await gateway.notifyDebit(debit);
      expect(first).toEqual({
        gatewayOrderId: expect.stringMatching(/^order_/),
        reported: 'pending',
        paymentUrl: null,
        // Razorpay's orders never expire: a debit whose recurring payment never got there is given up by ours.
        expiresAt: clock.now() + RAZORPAY_DEBIT_ORDER_LIFE_MS,
      });
      expect((await gateway.notifyDebit(debit)).gatewayOrderId).toBe(first.gatewayOrderId);
      expect(emu.state().orders.filter((o) => o.receipt === merchantOrderId)).toHaveLength(1);
    });

    it("notifyDebit never takes an order with our receipt that is not this debit's", async () => {
      const { mandate } = await setUpMandate();
      const merchantOrderId = uid('dbt');
      // Another integration on the same account, with our debit's order id as its receipt.
      const foreign = await client.createOrder({ amount: 100, receipt: merchantOrderId });
      const notice = await gateway.notifyDebit({
        merchantOrderId,
        amountPaise: 49_900,
        mandate,
        references: REFERENCES,
      });
      expect(notice.gatewayOrderId).not.toBe(foreign.id);
      expect(emu.getOrder(notice.gatewayOrderId)).toMatchObject({ amount: 49_900, receipt: merchantOrderId });
    });

    it('executeDebit makes one recurring payment, and answers it again when called again', async () => {
      const { mandate } = await setUpMandate();
      const merchantOrderId = uid('dbt');
      const notice = await gateway.notifyDebit({
        merchantOrderId,
        amountPaise: 49_900,
        mandate,
        references: REFERENCES,
      });
      const payment = {
        merchantOrderId,
        gatewayOrderId: notice.gatewayOrderId,
        method: 'autopay_redemption' as const,
        expiresAt: null,
        amountPaise: 49_900,
        mandate,
      };
      const debits = () => sent.filter((operation) => operation === 'createRecurringPayment').length;
      const before = debits();
      const first = await gateway.executeDebit(payment);
      expect(first.transactionId).toMatch(/^pay_/);
      expect(await gateway.executeDebit({ ...payment, gatewayOrderId: null })).toEqual(first);
      // The second call finds the debit on the order and never asks Razorpay for another.
      expect(debits()).toBe(before + 1);
      const debited = emu.state().payments.filter((p) => p.order_id === notice.gatewayOrderId);
      expect(debited).toHaveLength(1);
      expect(debited[0]).toMatchObject({ recurring: true, email: CUSTOMER.email, contact: CUSTOMER.contact });
      expect(await gateway.getOrder(payment)).toMatchObject({
        reported: 'completed',
        transactionId: first.transactionId,
        // A debit names no new mandate.
        mandate: { gatewayMandateId: null, maxAmountPaise: null },
      });
    });

    it('executeDebit after Razorpay acted but the answer was lost makes no second payment', async () => {
      const { mandate } = await setUpMandate();
      const merchantOrderId = uid('dbt');
      const notice = await gateway.notifyDebit({
        merchantOrderId,
        amountPaise: 49_900,
        mandate,
        references: REFERENCES,
      });
      const payment = {
        merchantOrderId,
        gatewayOrderId: notice.gatewayOrderId,
        method: 'autopay_redemption' as const,
        expiresAt: null,
        amountPaise: 49_900,
        mandate,
      };
      emu.faults.add({
        method: 'POST',
        path: '/v1/payments/create/recurring',
        after: true,
        dropConnection: true,
        times: 1,
      });
      const lost = await gateway.executeDebit(payment).catch((e: unknown) => e);
      const again = await gateway.executeDebit(payment);
      const debited = emu.state().payments.filter((p) => p.order_id === notice.gatewayOrderId);
      expect(debited).toHaveLength(1);
      expect(again.transactionId).toBe(debited[0]?.id);
      // The client's own lookup already recovered it, or the failure reads as "look it up".
      if (lost instanceof Error) expect(gateway.classifyFailure(lost)?.kind).toBe('outcome_unknown');
      else expect(lost).toEqual(again);
    });

    it('a debit on a paused mandate is refused by Razorpay', async () => {
      const { mandate } = await setUpMandate();
      await emu.pauseToken(splitRazorpayMandateRef(mandate.gatewayMandateId, 'test').tokenId);
      const merchantOrderId = uid('dbt');
      const notice = await gateway.notifyDebit({
        merchantOrderId,
        amountPaise: 49_900,
        mandate,
        references: REFERENCES,
      });
      const error = await gateway
        .executeDebit({
          merchantOrderId,
          gatewayOrderId: notice.gatewayOrderId,
          method: 'autopay_redemption',
          expiresAt: null,
          amountPaise: 49_900,
          mandate,
        })
        .catch((e: unknown) => e);
      expect(gateway.classifyFailure(error)).toMatchObject({
        kind: 'refused',
        code: 'BAD_REQUEST_ERROR',
        gatewayMessage: expect.stringContaining('paused'),
      });
    });
  });

  describe('classifyFailure', () => {
    it('reads refusals, outages and lost answers from real failures', async () => {
      const refused = await client.getRefund('rfnd_Unknown0000000').catch((e: unknown) => e);
      expect(gateway.classifyFailure(refused)).toMatchObject({ kind: 'refused', code: 'BAD_REQUEST_ERROR' });
      emu.faults.add({ method: 'POST', path: '/v1/orders', status: 429, times: 1 });
      const throttled = await gateway.createCheckout(checkout()).catch((e: unknown) => e);
      expect(gateway.classifyFailure(throttled)?.kind).toBe('unavailable');
      emu.faults.add({ method: 'GET', path: '/v1/orders/*', status: 503, times: 1 });
      const down = await client.getOrder('order_Whatever000000').catch((e: unknown) => e);
      expect(gateway.classifyFailure(down)?.kind).toBe('unavailable');
      // A 503 before Razorpay acted: the client looks the order up by receipt, finds none → outcome unknown.
      emu.faults.add({ method: 'POST', path: '/v1/orders', status: 503, times: 1 });
      const lost = await gateway.createCheckout(checkout()).catch((e: unknown) => e);
      expect(gateway.classifyFailure(lost)).toMatchObject({ kind: 'outcome_unknown', code: 'OUTCOME_UNKNOWN' });
      expect(gateway.classifyFailure(new Error('not ours'))).toBeNull();
    });

    it.each([
      [new RazorpayRateLimitError({ message: 'm', code: 'HTTP_429', status: 429 }), 'unavailable'],
      [new RazorpayServerError({ message: 'm', code: 'SERVER_ERROR', status: 502 }), 'unavailable'],
      // A 4xx without Razorpay's error body (a proxy's page) proves nothing: reconcile, never mark failed.
      [new RazorpayBadRequestError({ message: 'm', code: 'HTTP_400', status: 400 }), 'unexpected'],
      [
        new RazorpayBadRequestError({
          message: 'm',
          code: 'BAD_REQUEST_ERROR',
          status: 400,
          razorpay: { code: 'BAD_REQUEST_ERROR', description: 'The amount must be atleast INR 1.00' },
        }),
        'refused',
      ],
    ])('%o reads %s', (error, kind) => {
      expect(razorpayFailure(error)?.kind).toBe(kind);
    });
  });

  describe('webhooks', () => {
    const since = () => deliveries.length;
    const delivered = (from: number, event: string) => {
      const found = deliveries.slice(from).find((d) => (JSON.parse(d.body) as { event: string }).event === event);
      if (!found) throw new Error(`no ${event} delivery`);
      return found;
    };
    const verify = (d: Delivery) =>
      gateway.verifyWebhook?.({ body: new TextEncoder().encode(d.body), headers: d.headers }) as Promise<
        Awaited<ReturnType<NonNullable<PaymentGateway['verifyWebhook']>>>
      >;

    it('translates genuine payment and order events; only a capture claims completion', async () => {
      const request = checkout();
      const created = await gateway.createCheckout(request);
      let from = since();
      await emu.failOrder(created.gatewayOrderId);
      const failed = await verify(delivered(from, 'payment.failed'));
      expect(failed).toMatchObject({
        gateway: 'razorpay',
        kind: 'order',
        event: 'payment.failed',
        merchantOrderId: null,
        subjectId: null,
        claimed: null,
        order: { gatewayOrderId: created.gatewayOrderId, reported: 'pending', gatewayState: 'failed' },
      });
      from = since();
      const paid = await emu.payOrder(created.gatewayOrderId);
      const authorized = await verify(delivered(from, 'payment.authorized'));
      expect(authorized).toMatchObject({ kind: 'order', claimed: null, order: { reported: 'pending' } });
      expect(authorized.dedupeKey).toBe(`payment.authorized:${paid.razorpay_payment_id}:authorized`);
      const captured = await verify(delivered(from, 'payment.captured'));
      expect(captured).toMatchObject({
        kind: 'order',
        merchantOrderId: null,
        claimed: 'completed',
        dedupeKey: `payment.captured:${paid.razorpay_payment_id}:captured`,
        order: {
          gatewayOrderId: created.gatewayOrderId,
          reported: 'completed',
          transactionId: paid.razorpay_payment_id,
          amountPaise: 49_900,
        },
      });
      const orderPaid = await verify(delivered(from, 'order.paid'));
      expect(orderPaid).toMatchObject({
        kind: 'order',
        merchantOrderId: request.merchantOrderId,
        subjectId: request.merchantOrderId,
        claimed: 'completed',
        dedupeKey: `order.paid:${created.gatewayOrderId}:paid`,
        order: { merchantOrderId: request.merchantOrderId, gatewayOrderId: created.gatewayOrderId },
      });
      expect(orderPaid.raw).toMatchObject({ order: { entity: { id: created.gatewayOrderId } } });
    });

    it('translates refund events with our refund id and the claimed state', async () => {
      const request = checkout();
      const created = await gateway.createCheckout(request);
      await emu.payOrder(created.gatewayOrderId);
      const merchantRefundId = uid('rf');
      const from = since();
      const refund = await gateway.refund({
        merchantRefundId,
        amountPaise: 5_000,
        payment: { merchantOrderId: request.merchantOrderId, gatewayOrderId: created.gatewayOrderId },
      });
      await emu.processRefund(String(refund.gatewayRefundId));
      expect(await verify(delivered(from, 'refund.created'))).toMatchObject({
        kind: 'refund',
        merchantRefundId,
        subjectId: merchantRefundId,
        claim: { reported: 'pending', gatewayRefundId: refund.gatewayRefundId },
      });
      expect(await verify(delivered(from, 'refund.processed'))).toMatchObject({
        kind: 'refund',
        merchantRefundId,
        dedupeKey: `refund.processed:${refund.gatewayRefundId}:processed`,
        claim: { reported: 'completed', gatewayState: 'processed' },
      });
    });

    it('translates token events to the mandate to read again, named cust/token', async () => {
      const from = since();
      const { mandate } = await setUpMandate();
      const confirmed = await verify(delivered(from, 'token.confirmed'));
      expect(confirmed).toMatchObject({
        kind: 'mandate',
        merchantMandateId: null,
        gatewayMandateId: mandate.gatewayMandateId,
        subjectId: null,
      });
      const setUpCaptured = await verify(delivered(from, 'payment.captured'));
      expect(setUpCaptured).toMatchObject({ order: { mandate: { gatewayMandateId: mandate.gatewayMandateId } } });
      const later = since();
      await emu.cancelToken(splitRazorpayMandateRef(mandate.gatewayMandateId, 'test').tokenId);
      const cancelled = await verify(delivered(later, 'token.cancelled'));
      expect(cancelled).toMatchObject({ kind: 'mandate', gatewayMandateId: mandate.gatewayMandateId });
      expect(cancelled.dedupeKey).toMatch(/^token\.cancelled:token_\w+:cancelled$/);
    });

    it('rejects a forged signature, a tampered body and a missing signature; reads an unknown event', async () => {
      const from = since();
      const created = await gateway.createCheckout(checkout());
      await emu.payOrder(created.gatewayOrderId);
      const genuine = delivered(from, 'payment.captured');
      const forged = new Headers(genuine.headers);
      forged.set('x-razorpay-signature', await computeRazorpaySignature(genuine.body, 'not-the-webhook-secret'));
      const tampered = genuine.body.replace('"amount":49900', '"amount":100');
      expect(tampered).not.toBe(genuine.body);
      const missing = new Headers(genuine.headers);
      missing.delete('x-razorpay-signature');
      for (const attempt of [
        { body: genuine.body, headers: forged },
        { body: tampered, headers: genuine.headers },
        { body: genuine.body, headers: missing },
      ]) {
        const error = await gateway
          .verifyWebhook?.({ body: new TextEncoder().encode(attempt.body), headers: attempt.headers })
          .catch((e: unknown) => e);
        expect(isBillingError(error) && error.code).toBe('WEBHOOK_REJECTED');
        expect(isRazorpayWebhookVerificationError((error as Error).cause)).toBe(true);
      }
      const notAnEvent = '{"no":"event"}';
      const signedNothing = new Headers({
        'x-razorpay-signature': await computeRazorpaySignature(notAnEvent, emu.credentials.webhookSecret),
      });
      const malformed = await gateway
        .verifyWebhook?.({ body: new TextEncoder().encode(notAnEvent), headers: signedNothing })
        .catch((e: unknown) => e);
      expect(isBillingError(malformed) && malformed.code).toBe('INVALID_INPUT');
      const other = JSON.stringify({ entity: 'event', event: 'subscription.charged', payload: {}, created_at: 1 });
      const signed = new Headers({
        'x-razorpay-signature': await computeRazorpaySignature(other, emu.credentials.webhookSecret),
      });
      expect(await gateway.verifyWebhook?.({ body: new TextEncoder().encode(other), headers: signed })).toMatchObject({
        kind: 'unknown',
        event: 'subscription.charged',
        subjectId: null,
      });
    });
  });

  describe('client-side checkout', () => {
    it('hands the page the emulator script and Standard Checkout options for a one-time payment', async () => {
      const request = checkout();
      const created = await gateway.createCheckout(request);
      const page = await gateway.clientCheckout?.(
        {
          ...ref(request, created.gatewayOrderId),
          amountPaise: 49_900,
          customer: { ...CUSTOMER, name: null },
          clientState: created.clientState ?? null,
        },
        'https://shop.example/billing/return',
      );
      expect(page).toEqual({
        gateway: 'razorpay',
        scriptUrl: emu.checkoutScriptUrl,
        global: 'Razorpay',
        options: {
          key: emu.credentials.keyId,
          order_id: created.gatewayOrderId,
          amount: 49_900,
          currency: 'INR',
          callback_url: 'https://shop.example/billing/return',
          redirect: true,
          prefill: { email: CUSTOMER.email, contact: CUSTOMER.contact },
        },
      });
    });

    it('a mandate set-up page carries the set-up customer and recurring "1"', async () => {
      const request = checkout({
        customer: CUSTOMER,
        mandate: { merchantMandateId: uid('mdt'), maxAmountPaise: 149_900, interval: 'month' },
      });
      const created = await gateway.createCheckout(request);
      const customerId = emu.state().customers.find((c) => c.email === CUSTOMER.email)?.id;
      expect(created.clientState).toEqual({ customer_id: customerId });
      // The page never asks Razorpay for the customer again: with customers unreachable it still opens.
      emu.faults.add({ method: 'POST', path: '/v1/customers', status: 503 });
      const page = await gateway.clientCheckout?.(
        {
          ...ref(request, created.gatewayOrderId, 'autopay_setup'),
          amountPaise: 49_900,
          customer: CUSTOMER,
          clientState: created.clientState ?? null,
        },
        'https://shop.example/r',
      );
      expect(page?.options).toMatchObject({ customer_id: customerId, recurring: '1', prefill: CUSTOMER });
      const withoutState = () =>
        gateway.clientCheckout?.(
          {
            ...ref(request, created.gatewayOrderId, 'autopay_setup'),
            amountPaise: 49_900,
            customer: CUSTOMER,
            clientState: null,
          },
          'https://shop.example/r',
        );
      // Without the kept state (an order found again after a lost answer) it must ask, and the same details
      // find the customer.
      await expect(withoutState()).rejects.toBeTruthy();
      emu.faults.clear();
      expect((await withoutState())?.options).toMatchObject({ customer_id: customerId });
    });

    it("uses Razorpay's own script for Razorpay's API, or the one configured", async () => {
      const live = new RazorpayClient({ keyId: 'rzp_test_1DP5mmOlF5G5ag', keySecret: 'secret' });
      const payment = {
        merchantOrderId: 'o1',
        gatewayOrderId: 'order_1',
        method: 'checkout' as const,
        expiresAt: null,
        amountPaise: 100,
        customer: null,
        clientState: null,
      };
      const onRazorpay = createRazorpayGateway({ client: live, webhookSecret: 'whsec_1' });
      expect((await onRazorpay.clientCheckout?.(payment, 'https://x.example/r'))?.scriptUrl).toBe(
        'https://checkout.razorpay.com/v1/checkout.js',
      );
      const configured = createRazorpayGateway({
        client: live,
        webhookSecret: 'whsec_1',
        checkoutScriptUrl: 'https://cdn.example/checkout.js',
      });
      expect((await configured.clientCheckout?.(payment, 'https://x.example/r'))?.scriptUrl).toBe(
        'https://cdn.example/checkout.js',
      );
    });

    it("verifies the checkout's answer: genuine for its own order only", async () => {
      const request = checkout();
      const created = await gateway.createCheckout(request);
      const answer: Record<string, string> = { ...(await emu.payOrder(created.gatewayOrderId)) };
      const payment = ref(request, created.gatewayOrderId);
      expect(await gateway.verifyCheckoutReturn?.(answer, payment)).toBe(true);
      const forged = { ...answer, razorpay_signature: await computeRazorpaySignature('x', 'y') };
      expect(await gateway.verifyCheckoutReturn?.(forged, payment)).toBe(false);
      const other = await gateway.createCheckout(checkout());
      const otherAnswer: Record<string, string> = { ...(await emu.payOrder(other.gatewayOrderId)) };
      expect(await gateway.verifyCheckoutReturn?.(otherAnswer, payment)).toBe(false);
      expect(await gateway.verifyCheckoutReturn?.(answer, { ...payment, gatewayOrderId: null })).toBe(false);
      expect(await gateway.verifyCheckoutReturn?.({ razorpay_order_id: created.gatewayOrderId }, payment)).toBe(false);
    });
  });
});

describe('Razorpay translations', () => {
  it.each([
    ['initiated', 'pending'],
    ['CONFIRMED', 'active'],
    ['paused', 'paused'],
    ['cancellation_initiated', 'cancelling'],
    ['cancelled', 'ended'],
    ['expired', 'ended'],
    ['rejected', 'failed'],
    ['something_new', 'pending'],
  ])('token status %s is %s', (status, phase) => {
    expect(razorpayMandatePhase(status)).toBe(phase);
  });

  it.each([
    ['pending', 'pending'],
    ['processed', 'completed'],
    ['failed', 'failed'],
    ['reversed', null],
  ])('refund status %s is %s', (status, reported) => {
    expect(razorpayRefund({ id: 'rfnd_1', status }).reported).toBe(reported);
  });

  const order = (status: string, extra: Record<string, unknown> = {}): RazorpayOrder => ({
    id: 'order_1',
    amount: 49_900,
    currency: 'INR',
    receipt: 'dbt_1',
    status,
    ...extra,
  });
  const payment = (id: string, status: string, created: number, extra: Record<string, unknown> = {}) =>
    ({ id, amount: 49_900, currency: 'INR', status, method: 'upi', created_at: created, ...extra }) as RazorpayPayment;
  const at = (method: PaymentRef['method'], expiresAt: number | null = null) => ({ method, expiresAt, now: 1_000 });

  it('a failed mandate debit with nothing in progress is failed; a checkout with the same stays pending', () => {
    const failed = payment('pay_1', 'failed', 1, { error_code: 'GATEWAY_ERROR', error_reason: 'insufficient_balance' });
    expect(razorpayOrder(order('attempted'), [failed], at('autopay_redemption'))).toMatchObject({
      reported: 'failed',
      gatewayState: 'failed',
      errorCode: 'GATEWAY_ERROR',
      detailedErrorCode: 'insufficient_balance',
      transactionId: 'pay_1',
    });
    expect(razorpayOrder(order('attempted'), [failed], at('checkout')).reported).toBe('pending');
    expect(razorpayOrder(order('attempted'), [failed], at('autopay_setup', 1_000)).reported).toBe('expired');
  });

  it('an authorized or created payment is pending even past our expiry; a capture completes', () => {
    for (const status of ['authorized', 'created'])
      expect(
        razorpayOrder(
          order('attempted'),
          [payment('pay_1', 'failed', 1), payment('pay_2', status, 2)],
          at('checkout', 0),
        ),
      ).toMatchObject({ reported: 'pending', gatewayState: status, transactionId: 'pay_2' });
    const refunded = payment('pay_3', 'refunded', 3, { customer_id: 'cust_1', token_id: 'token_1' });
    expect(
      razorpayOrder(order('paid', { token: { max_amount: 150_000 } }), [refunded], at('autopay_setup')),
    ).toMatchObject({
      reported: 'completed',
      transactionId: 'pay_3',
      mandate: { gatewayMandateId: 'cust_1/token_1', maxAmountPaise: 150_000 },
    });
  });

  it('splits only cust/token references', () => {
    expect(splitRazorpayMandateRef('cust_1/token_1', 'x')).toEqual({ customerId: 'cust_1', tokenId: 'token_1' });
    for (const bad of ['cust_1', 'cust_1/', '/token_1', 'a/b/c'])
      expect(
        isRazorpayValidationError(
          (() => {
            try {
              splitRazorpayMandateRef(bad, 'x');
            } catch (e) {
              return e;
            }
          })(),
        ),
      ).toBe(true);
  });

  it('an event without a usable entity is unknown', () => {
    const event = razorpayEvent({
      event: 'payment.captured',
      eventId: 'evt_1',
      accountId: undefined,
      createdAt: undefined,
      contains: [],
      paymentId: undefined,
      orderId: undefined,
      refundId: undefined,
      tokenId: undefined,
      payload: {},
      raw: '{}',
    });
    expect(event).toMatchObject({ kind: 'unknown', dedupeKey: 'payment.captured:evt_1:' });
  });

  it('a payment.dispute.* event carries a captured payment but is no order event (unknown, never settles)', () => {
    const payment = {
      id: 'pay_1',
      entity: 'payment',
      amount: 49_900,
      currency: 'INR',
      status: 'captured',
      order_id: 'order_1',
    };
    const event = razorpayEvent({
      event: 'payment.dispute.created',
      eventId: 'evt_2',
      accountId: undefined,
      createdAt: undefined,
      contains: ['payment', 'dispute'],
      paymentId: 'pay_1',
      orderId: 'order_1',
      refundId: undefined,
      tokenId: undefined,
      payload: { payment: { entity: payment }, dispute: { entity: { id: 'disp_1', status: 'open' } } },
      raw: '{}',
    });
    expect(event.kind).toBe('unknown');
  });
});
