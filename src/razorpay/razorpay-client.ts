import type { z } from 'zod';
import {
  type RazorpayCustomer,
  type RazorpayOrder,
  type RazorpayPayment,
  type RazorpayRecurringPayment,
  type RazorpayRefund,
  type RazorpayToken,
  razorpayAnySchema,
  razorpayCollectionSchema,
  razorpayCustomerSchema,
  razorpayOrderSchema,
  razorpayPaymentSchema,
  razorpayRecurringPaymentSchema,
  razorpayRefundSchema,
  razorpayTokenSchema,
} from './razorpay-entities.js';
import { isRazorpayBadRequestError, RazorpayValidationError } from './razorpay-errors.js';
import {
  type RazorpayClientOptions,
  type ResolvedRazorpayOptions,
  resolveRazorpayOptions,
} from './razorpay-options.js';
import { sendRazorpayCreating } from './razorpay-outcome.js';
import {
  pathId,
  type RazorpayCreateCustomerRequest,
  type RazorpayCreateOrderRequest,
  type RazorpayCreateRecurringPaymentRequest,
  type RazorpayCreateRefundRequest,
  type RazorpayNotes,
  requirePaise,
  requireText,
} from './razorpay-requests.js';
import { type RazorpayCall, RazorpayRequester } from './razorpay-requester.js';
import { verifyRazorpayPaymentSignature } from './razorpay-signature.js';

const orders = razorpayCollectionSchema(razorpayOrderSchema);
const payments = razorpayCollectionSchema(razorpayPaymentSchema);
const refunds = razorpayCollectionSchema(razorpayRefundSchema);
const tokens = razorpayCollectionSchema(razorpayTokenSchema);

/**
 * Razorpay's REST API as phonepe-billing uses it: orders, payments, refunds, customers, recurring tokens
 * and recurring debits, over HTTP Basic auth with the API key pair. Reads are retried with backoff;
 * creating calls are sent once and, when the answer is lost, looked up instead of re-sent
 * (docs/razorpay.md#the-outcome-unknown-rule).
 *
 * @example
 * const razorpay = new RazorpayClient({ keyId: 'rzp_test_1DP5mmOlF5G5ag', keySecret: 'secret' });
 * const order = await razorpay.createOrder({ amount: 49_900, receipt: 'pay_0001' });
 */
export class RazorpayClient {
  readonly #options: ResolvedRazorpayOptions;
  readonly #requester: RazorpayRequester;

  /** Validates `options` (throws `InvalidOptionsError` naming a bad or unknown option). */
  constructor(options: RazorpayClientOptions) {
    this.#options = resolveRazorpayOptions(options);
    this.#requester = new RazorpayRequester(this.#options);
  }

  /** The key id this client authenticates with (what the checkout page needs as `key`). */
  get keyId(): string {
    return this.#options.keyId;
  }

  /** The API base this client calls, `/v1` included (what a checkout page derives the script's origin from). */
  get baseUrl(): string {
    return this.#options.baseUrl;
  }

  /**
   * Checks the `razorpay_signature` Standard Checkout hands back for `orderId` and `paymentId` under this
   * client's key secret (see `verifyRazorpayPaymentSignature`), so the secret never leaves the client.
   * Constant-time; pass the order id you stored, never one from the browser.
   *
   * @example
   * const genuine = await razorpay.verifyPaymentSignature({ orderId: stored.orderId, paymentId, signature });
   */
  verifyPaymentSignature(input: { orderId: string; paymentId: string; signature: string }): Promise<boolean> {
    return verifyRazorpayPaymentSignature(input, this.#options.keySecret);
  }

  /**
   * Creates an order (`POST /orders`). When the answer is lost (timeout, dropped connection, 5xx,
   * unreadable body) the order is looked up by `receipt` and returned if Razorpay has it; otherwise
   * `RazorpayOutcomeUnknownError`. Razorpay's explicit 4xx is thrown as it is.
   *
   * @example
   * const order = await razorpay.createOrder({ amount: 49_900, receipt: 'pay_0001', notes: { plan: 'pro' } });
   */
  async createOrder(request: RazorpayCreateOrderRequest): Promise<RazorpayOrder> {
    const operation = 'createOrder';
    const amount = requirePaise(operation, 'amount', request.amount);
    const receipt = requireText(operation, 'receipt', request.receipt, 40);
    const body: Record<string, unknown> = { amount, currency: request.currency ?? 'INR', receipt };
    if (request.notes !== undefined) body.notes = notesOf(operation, request.notes);
    if (request.paymentCapture !== undefined) body.payment_capture = request.paymentCapture;
    if (request.customerId !== undefined) body.customer_id = requireText(operation, 'customerId', request.customerId);
    if (request.method !== undefined) body.method = requireText(operation, 'method', request.method);
    if (request.token !== undefined) {
      const { maxAmount, expireAt, frequency, extra } = request.token;
      if (!Number.isSafeInteger(expireAt) || expireAt <= 0)
        throw new RazorpayValidationError({ operation, field: 'token.expireAt', problem: 'must be Unix seconds' });
      body.token = {
        ...extra,
        max_amount: requirePaise(operation, 'token.maxAmount', maxAmount),
        expire_at: expireAt,
        frequency: requireText(operation, 'token.frequency', frequency),
      };
    }
    return sendRazorpayCreating(
      () => this.#call({ operation, method: 'POST', path: '/orders', json: body, schema: razorpayOrderSchema }),
      {
        operation,
        reference: receipt,
        referenceName: 'receipt',
        lookup: () => this.findOrderByReceipt(receipt),
        logger: this.#options.logger,
      },
    );
  }

  /**
   * Reads an order (`GET /orders/:id`).
   *
   * @example
   * const { status } = await razorpay.getOrder('order_EKwxwAgItmmXdp');
   */
  async getOrder(orderId: string): Promise<RazorpayOrder> {
    const id = pathId('getOrder', 'orderId', orderId);
    return this.#call({ operation: 'getOrder', method: 'GET', path: `/orders/${id}`, schema: razorpayOrderSchema });
  }

  /**
   * Finds the order created with `receipt` (`GET /orders?receipt=…`), or undefined. Razorpay filters by
   * receipt; the newest exact match wins if there are several.
   *
   * @example
   * const order = await razorpay.findOrderByReceipt('pay_0001');
   */
  async findOrderByReceipt(receipt: string): Promise<RazorpayOrder | undefined> {
    const value = requireText('findOrderByReceipt', 'receipt', receipt, 40);
    const list = await this.#call({
      operation: 'findOrderByReceipt',
      method: 'GET',
      path: '/orders',
      query: { receipt: value },
      schema: orders,
    });
    return newest(list.items.filter((order) => order.receipt === value));
  }

  /**
   * The payments made against an order (`GET /orders/:id/payments`), in Razorpay's order.
   *
   * @example
   * const attempts = await razorpay.listOrderPayments('order_EKwxwAgItmmXdp');
   */
  async listOrderPayments(orderId: string): Promise<RazorpayPayment[]> {
    const id = pathId('listOrderPayments', 'orderId', orderId);
    const list = await this.#call({
      operation: 'listOrderPayments',
      method: 'GET',
      path: `/orders/${id}/payments`,
      schema: payments,
    });
    return list.items;
  }

  /**
   * Reads a payment (`GET /payments/:id`): the authoritative status after checkout.
   *
   * @example
   * const payment = await razorpay.getPayment('pay_29QQoUBi66xm2f');
   */
  async getPayment(paymentId: string): Promise<RazorpayPayment> {
    const id = pathId('getPayment', 'paymentId', paymentId);
    return this.#call({
      operation: 'getPayment',
      method: 'GET',
      path: `/payments/${id}`,
      schema: razorpayPaymentSchema,
    });
  }

  /**
   * Refunds (part of) a payment (`POST /payments/:id/refund`), sent with `X-Refund-Idempotency` derived from
   * the payment id and `receipt`, so a request Razorpay acts on late, or one sent again with the same receipt,
   * makes one refund. When the answer is lost the payment's refunds are searched for `receipt` and the match
   * returned; otherwise `RazorpayOutcomeUnknownError`.
   *
   * @example
   * const refund = await razorpay.createRefund({ paymentId: 'pay_29QQoUBi66xm2f', amount: 10_000, receipt: 'rf_0001' });
   */
  async createRefund(request: RazorpayCreateRefundRequest): Promise<RazorpayRefund> {
    const operation = 'createRefund';
    const paymentId = pathId(operation, 'paymentId', request.paymentId);
    const amount = requirePaise(operation, 'amount', request.amount);
    const receipt = requireText(operation, 'receipt', request.receipt, 40);
    const body: Record<string, unknown> = { amount, receipt };
    if (request.notes !== undefined) body.notes = notesOf(operation, request.notes);
    if (request.speed !== undefined) body.speed = request.speed;
    const idempotencyKey = await refundIdempotencyKey(request.paymentId, receipt);
    return sendRazorpayCreating(
      () =>
        this.#call({
          operation,
          method: 'POST',
          path: `/payments/${paymentId}/refund`,
          json: body,
          headers: { 'X-Refund-Idempotency': idempotencyKey },
          schema: razorpayRefundSchema,
        }),
      {
        operation,
        reference: receipt,
        referenceName: 'receipt',
        lookup: async () =>
          newest(
            (await this.listPaymentRefunds(request.paymentId)).filter(
              (refund) => refund.receipt === receipt || noteValue(refund.notes, 'receipt') === receipt,
            ),
          ),
        logger: this.#options.logger,
      },
    );
  }

  /**
   * Reads a refund (`GET /refunds/:id`).
   *
   * @example
   * const { status } = await razorpay.getRefund('rfnd_FP8QHiV938haTz');
   */
  async getRefund(refundId: string): Promise<RazorpayRefund> {
    const id = pathId('getRefund', 'refundId', refundId);
    return this.#call({ operation: 'getRefund', method: 'GET', path: `/refunds/${id}`, schema: razorpayRefundSchema });
  }

  /**
   * The refunds of a payment (`GET /payments/:id/refunds`).
   *
   * @example
   * const refunds = await razorpay.listPaymentRefunds('pay_29QQoUBi66xm2f');
   */
  async listPaymentRefunds(paymentId: string): Promise<RazorpayRefund[]> {
    const id = pathId('listPaymentRefunds', 'paymentId', paymentId);
    const list = await this.#call({
      operation: 'listPaymentRefunds',
      method: 'GET',
      path: `/payments/${id}/refunds`,
      schema: refunds,
    });
    return list.items;
  }

  /**
   * Creates a customer, or returns the existing one with the same details (`POST /customers` with
   * `fail_existing: "0"`). Because that call is documented to answer with the existing customer, a
   * lost answer is settled by sending the same request once more — it cannot make a second customer.
   *
   * @example
   * const customer = await razorpay.createCustomer({ name: 'Gaurav Kumar', email: 'gaurav.kumar@example.com' });
   */
  async createCustomer(request: RazorpayCreateCustomerRequest): Promise<RazorpayCustomer> {
    const operation = 'createCustomer';
    const body: Record<string, unknown> = { fail_existing: '0' };
    if (request.name !== undefined) body.name = requireText(operation, 'name', request.name, 50);
    if (request.email !== undefined) body.email = requireText(operation, 'email', request.email, 64);
    if (request.contact !== undefined) body.contact = requireText(operation, 'contact', request.contact, 15);
    if (request.notes !== undefined) body.notes = notesOf(operation, request.notes);
    if (body.email === undefined && body.contact === undefined)
      throw new RazorpayValidationError({ operation, field: 'email', problem: 'or contact is required' });
    const post = () =>
      this.#call({ operation, method: 'POST', path: '/customers', json: body, schema: razorpayCustomerSchema });
    return sendRazorpayCreating(post, {
      operation,
      reference: String(body.email ?? body.contact),
      referenceName: body.email === undefined ? 'contact' : 'email',
      lookup: post,
      logger: this.#options.logger,
    });
  }

  /**
   * Reads a customer (`GET /customers/:id`): the email and contact a recurring debit must carry.
   *
   * @example
   * const { email, contact } = await razorpay.getCustomer('cust_1Aa00000000002');
   */
  async getCustomer(customerId: string): Promise<RazorpayCustomer> {
    const id = pathId('getCustomer', 'customerId', customerId);
    return this.#call({
      operation: 'getCustomer',
      method: 'GET',
      path: `/customers/${id}`,
      schema: razorpayCustomerSchema,
    });
  }

  /**
   * The tokens (mandates) of a customer (`GET /customers/:id/tokens`). Razorpay leaves expired and
   * unused tokens out of this list.
   *
   * @example
   * const confirmed = (await razorpay.listTokens('cust_1Aa00000000002')).filter((t) => t.recurring_details?.status === 'confirmed');
   */
  async listTokens(customerId: string): Promise<RazorpayToken[]> {
    const id = pathId('listTokens', 'customerId', customerId);
    const list = await this.#call({
      operation: 'listTokens',
      method: 'GET',
      path: `/customers/${id}/tokens`,
      schema: tokens,
    });
    return list.items;
  }

  /**
   * Reads one token of a customer (`GET /customers/:customer_id/tokens/:token_id`).
   *
   * @example
   * const token = await razorpay.getToken('cust_1Aa00000000002', 'token_1Aa00000000001');
   */
  async getToken(customerId: string, tokenId: string): Promise<RazorpayToken> {
    const customer = pathId('getToken', 'customerId', customerId);
    const token = pathId('getToken', 'tokenId', tokenId);
    return this.#call({
      operation: 'getToken',
      method: 'GET',
      path: `/customers/${customer}/tokens/${token}`,
      schema: razorpayTokenSchema,
    });
  }

  /**
   * Cancels a mandate with NPCI (`PUT /customers/:customer_id/tokens/:token_id/cancel`): the token moves to
   * `cancellation_initiated`, then `cancelled` (a `token.cancelled` webhook). Razorpay's answer is
   * returned as it came. Safe to call again.
   *
   * @example
   * await razorpay.cancelToken('cust_1Aa00000000002', 'token_1Aa00000000001');
   */
  async cancelToken(customerId: string, tokenId: string): Promise<Record<string, unknown>> {
    const customer = pathId('cancelToken', 'customerId', customerId);
    const token = pathId('cancelToken', 'tokenId', tokenId);
    return this.#call({
      operation: 'cancelToken',
      method: 'PUT',
      path: `/customers/${customer}/tokens/${token}/cancel`,
      schema: razorpayAnySchema,
      emptyBodyOk: true,
    });
  }

  /**
   * Deletes a token from Razorpay's records (`DELETE /customers/:customer_id/tokens/:token_id`). Razorpay's
   * docs say this does not cancel the mandate with NPCI: use {@link RazorpayClient.cancelToken} for that.
   *
   * @example
   * await razorpay.deleteToken('cust_1Aa00000000002', 'token_1Aa00000000001');
   */
  async deleteToken(customerId: string, tokenId: string): Promise<Record<string, unknown>> {
    const customer = pathId('deleteToken', 'customerId', customerId);
    const token = pathId('deleteToken', 'tokenId', tokenId);
    return this.#call({
      operation: 'deleteToken',
      method: 'DELETE',
      path: `/customers/${customer}/tokens/${token}`,
      schema: razorpayAnySchema,
      emptyBodyOk: true,
    });
  }

  /**
   * Debits a confirmed token (`POST /payments/create/recurring`) against `orderId`, a new order made for
   * this debit. When the answer is lost, the order's payments are read: a payment there is this debit
   * (returned without a signature); none → `RazorpayOutcomeUnknownError` `created: false`. A refusal (400)
   * of an order that already holds a payment that did not fail answers with that payment too: the debit
   * was made by an earlier request Razorpay acted on late.
   *
   * @example
   * const { razorpay_payment_id } = await razorpay.createRecurringPayment({ orderId, customerId, tokenId, amount: 49_900, email, contact });
   */
  async createRecurringPayment(request: RazorpayCreateRecurringPaymentRequest): Promise<RazorpayRecurringPayment> {
    const operation = 'createRecurringPayment';
    const orderId = requireText(operation, 'orderId', request.orderId, 100);
    const body: Record<string, unknown> = {
      email: requireText(operation, 'email', request.email, 64),
      contact: requireText(operation, 'contact', request.contact, 15),
      amount: requirePaise(operation, 'amount', request.amount),
      currency: request.currency ?? 'INR',
      order_id: orderId,
      customer_id: requireText(operation, 'customerId', request.customerId, 100),
      token: requireText(operation, 'tokenId', request.tokenId, 100),
      recurring: '1',
    };
    if (request.description !== undefined) body.description = request.description;
    if (request.notes !== undefined) body.notes = notesOf(operation, request.notes);
    const made = async (): Promise<RazorpayRecurringPayment | undefined> => {
      const payment = newest(await this.listOrderPayments(orderId));
      return payment === undefined ? undefined : { razorpay_payment_id: payment.id, razorpay_order_id: orderId };
    };
    const send = async (): Promise<RazorpayRecurringPayment> => {
      try {
        return await this.#call({
          operation,
          method: 'POST',
          path: '/payments/create/recurring',
          json: body,
          schema: razorpayRecurringPaymentSchema,
        });
      } catch (error) {
        // Sent again after a lost answer, the debit is refused because its order already has it (a request
        // Razorpay acted on after the lookup): the order exists for this debit only, so that payment is the answer.
        if (!isRazorpayBadRequestError(error)) throw error;
        const earlier = await this.listOrderPayments(orderId).catch(() => []);
        const live = newest(earlier.filter((payment) => payment.status !== 'failed'));
        if (live === undefined) throw error;
        return { razorpay_payment_id: live.id, razorpay_order_id: orderId };
      }
    };
    return sendRazorpayCreating(send, {
      operation,
      reference: orderId,
      referenceName: 'order_id',
      lookup: made,
      logger: this.#options.logger,
    });
  }

  #call<T>(call: RazorpayCall<T> & { schema: z.ZodType<T> }): Promise<T> {
    return this.#requester.call(call);
  }
}

/**
 * The `X-Refund-Idempotency` key of a refund: the hex SHA-256 of its payment id and receipt (Razorpay takes
 * at least 10 letters, digits, `-` or `_`; a receipt may hold any character).
 */
async function refundIdempotencyKey(paymentId: string, receipt: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`refund|${paymentId}|${receipt}`));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function newest<T extends { created_at?: number | undefined }>(items: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const item of items) if (best === undefined || (item.created_at ?? 0) > (best.created_at ?? 0)) best = item;
  return best;
}

function noteValue(notes: unknown, key: string): unknown {
  return typeof notes === 'object' && notes !== null && !Array.isArray(notes)
    ? (notes as Record<string, unknown>)[key]
    : undefined;
}

// Razorpay's documented limit: at most 15 pairs of at most 256 characters.
function notesOf(operation: string, notes: RazorpayNotes): RazorpayNotes {
  const entries = Object.entries(notes);
  if (entries.length > 15 || entries.some(([, value]) => typeof value !== 'string' || value.length > 256))
    throw new RazorpayValidationError({
      operation,
      field: 'notes',
      problem: 'must hold at most 15 string values of at most 256 characters',
    });
  return notes;
}
