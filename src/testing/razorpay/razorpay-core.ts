import type { Clock } from '../../common/clock.js';
import type { Logger } from '../../common/logger.js';
import { createVirtualClock, type VirtualClock } from '../core/emulator-core.js';
import { createFaultRegistry, type FaultRegistry } from '../core/fault-registry.js';
import type { WebhookDispatcher } from '../core/webhook-dispatcher.js';
import { RazorpayEmulatorError, rzpBadRequest, rzpUnknownId } from './razorpay-emulator-error.js';
import {
  type CustomerRecord,
  emptyRazorpayState,
  type OrderRecord,
  type PaymentError,
  type PaymentRecord,
  type RazorpayState,
  type RazorpayTokenStatus,
  type RefundRecord,
  type TokenRecord,
  type TokenTerms,
} from './razorpay-records.js';
import { razorpayId, razorpayPaymentSignature } from './razorpay-signatures.js';
import { orderEntity, paymentEntity, refundEntity, tokenEntity } from './razorpay-views.js';
import {
  createRazorpayWebhooks,
  eventPayload,
  type RazorpayEmulatorWebhookEvent,
  type RazorpayWebhookTarget,
} from './razorpay-webhooks.js';

/** The validated configuration of one Razorpay emulator (see razorpay-emulator-options.ts). */
export interface RazorpayCoreConfig {
  keyId: string;
  keySecret: string;
  webhookSecret: string;
  accountId: string;
  webhookUrl: string | undefined;
  webhookRetries: number;
  webhookDelaysMs: readonly number[];
  webhookTimeoutMs: number;
  waitForFirstAttemptMs: number;
  webhookFetch: typeof fetch | undefined;
  /** A UPI authorisation payment confirms its token at once (else it stays `initiated`). */
  confirmTokens: boolean;
  /** `immediate`: a recurring payment is captured at once; `manual`: it stays `created` until a control settles it. */
  recurringDebits: 'immediate' | 'manual';
  /** A pending refund is processed this long after creation (emulator clock); null: only by a control call. */
  refundProcessAfterMs: number | null;
  clock: Clock | undefined;
  logger: Logger;
}

/** What the payer's checkout gets back on success (https://razorpay.com/docs/developer-tools/integrations/standard-checkout). */
export interface CheckoutSuccess {
  razorpay_payment_id: string;
  razorpay_order_id: string;
  razorpay_signature: string;
}

/** What `payment.failed` hands the page: Razorpay's error object with the ids in `metadata`. */
export interface CheckoutFailure {
  error: PaymentError & { metadata: { order_id: string; payment_id: string } };
}

/** Default failure of a payer's failed attempt (Razorpay's sample of a declined payment). */
const DEFAULT_FAILURE: PaymentError = {
  code: 'BAD_REQUEST_ERROR',
  description: 'Payment failed',
  source: 'customer',
  step: 'payment_authentication',
  reason: 'payment_failed',
};

const asNotes = (value: unknown): Record<string, string> => {
  if (value === undefined || value === null) return {};
  if (Array.isArray(value) && value.length === 0) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw rzpBadRequest('notes must be an object', 'notes');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 15) throw rzpBadRequest('notes can have at most 15 keys', 'notes');
  return Object.fromEntries(entries.map(([k, v]) => [k, String(v)]));
};

const isFlag = (value: unknown) => value === true || value === 1 || value === '1' || value === 'true';

/** How long NPCI takes, on the emulator clock, to confirm a merchant's token cancellation. */
export const TOKEN_CANCELLATION_MS = 60_000;

/**
 * The Razorpay emulator's state and every transition, on a virtual clock: orders, payments (payer,
 * capture, recurring), refunds (pending → processed | failed), customers and UPI Autopay tokens. Each
 * transition records the webhooks Razorpay would send.
 */
export class RazorpayCore {
  readonly config: RazorpayCoreConfig;
  readonly clock: VirtualClock;
  readonly state: RazorpayState = emptyRazorpayState();
  readonly faults: FaultRegistry = createFaultRegistry();
  readonly webhooks: WebhookDispatcher<RazorpayWebhookTarget>;
  /** The origin the checkout page and script are served from. */
  publicUrl = '';

  constructor(config: RazorpayCoreConfig) {
    this.config = config;
    this.clock = createVirtualClock(config.clock);
    this.webhooks = createRazorpayWebhooks({
      accountId: config.accountId,
      target: () => (config.webhookUrl ? { url: config.webhookUrl, secret: config.webhookSecret } : undefined),
      retries: config.webhookRetries,
      delaysMs: config.webhookDelaysMs,
      timeoutMs: config.webhookTimeoutMs,
      fetch: () => config.webhookFetch ?? globalThis.fetch,
      clock: this.clock,
      logger: config.logger,
    });
  }

  /** Records and sends one webhook. */
  emit(event: RazorpayEmulatorWebhookEvent, entities: Record<string, Record<string, unknown>>): void {
    this.webhooks.send(this.config.accountId, event, eventPayload(entities));
  }

  /** Processes refunds, and completes token cancellations, that fell due on the clock. */
  sweep(): void {
    const now = this.clock.now();
    for (const refund of this.state.refunds.values())
      if (refund.status === 'pending' && refund.processAt !== null && refund.processAt <= now)
        this.processRefund(refund.id);
    for (const token of this.state.tokens.values())
      if (token.status === 'cancellation_initiated' && token.cancelAt !== null && token.cancelAt <= now)
        this.setTokenStatus(token.id, 'cancelled');
  }

  /**
   * The merchant's cancel (`PUT …/tokens/:id/cancel`): Razorpay forwards it to NPCI, the token is
   * `cancellation_initiated` until NPCI confirms — here {@link TOKEN_CANCELLATION_MS} later on the emulator
   * clock — and then `cancelled`, with `token.cancelled`
   * (https://razorpay.com/docs/api/payments/recurring-payments/upi/tokens/, token states).
   */
  requestTokenCancellation(tokenId: string): TokenRecord {
    const token = this.setTokenStatus(tokenId, 'cancellation_initiated');
    token.cancelAt = this.clock.now() + TOKEN_CANCELLATION_MS;
    return token;
  }

  /**
   * `DELETE …/tokens/:id`: removes Razorpay's record of the token — it is no longer listed, fetched or usable
   * for a debit here — without cancelling the mandate at NPCI (Razorpay's "Delete Token" notes this,
   * https://razorpay.com/docs/payments/payment-gateway/s2s-integration/recurring-payments/upi/tokens/).
   */
  deleteToken(tokenId: string): void {
    this.state.tokens.delete(this.token(tokenId).id);
  }

  reset(): void {
    Object.assign(this.state, emptyRazorpayState());
    this.#refundKeys.clear();
  }

  // ---- lookups ------------------------------------------------------------------------------

  order(id: string): OrderRecord {
    return this.state.orders.get(id) ?? this.#unknown();
  }
  payment(id: string): PaymentRecord {
    return this.state.payments.get(id) ?? this.#unknown();
  }
  refund(id: string): RefundRecord {
    return this.state.refunds.get(id) ?? this.#unknown();
  }
  customer(id: string): CustomerRecord {
    return this.state.customers.get(id) ?? this.#unknown();
  }
  token(id: string): TokenRecord {
    return this.state.tokens.get(id) ?? this.#unknown();
  }
  #unknown(): never {
    throw rzpUnknownId();
  }

  // ---- orders -------------------------------------------------------------------------------

  /** `POST /v1/orders` (https://razorpay.com/docs/payments/payment-gateway/quick-integration/integration-steps/). */
  createOrder(body: Record<string, unknown>): OrderRecord {
    const amount = body.amount;
    if (typeof amount !== 'number' || !Number.isInteger(amount) || amount < 100)
      throw rzpBadRequest('The amount must be atleast INR 1.00', 'amount');
    const currency = body.currency ?? 'INR';
    if (currency !== 'INR') throw rzpBadRequest('The currency should be INR', 'currency');
    const receipt = body.receipt;
    if (receipt !== undefined && receipt !== null && (typeof receipt !== 'string' || receipt.length > 40))
      throw rzpBadRequest('The receipt may not be greater than 40 characters.', 'receipt');
    const customerId = typeof body.customer_id === 'string' ? body.customer_id : null;
    if (customerId !== null && !this.state.customers.has(customerId)) throw rzpUnknownId();
    const tokenTerms = body.token === undefined ? null : this.#tokenTerms(body.token, customerId);
    const method = typeof body.method === 'string' ? body.method : null;
    if (tokenTerms && method !== 'upi')
      throw rzpBadRequest('The method field is required for recurring token.', 'method');
    const order: OrderRecord = {
      id: razorpayId('order'),
      amount,
      currency: 'INR',
      receipt: (receipt as string | undefined) ?? null,
      notes: asNotes(body.notes),
      status: 'created',
      attempts: 0,
      amountPaid: 0,
      paymentCapture: body.payment_capture === undefined ? true : isFlag(body.payment_capture),
      customerId,
      method,
      tokenTerms,
      paymentIds: [],
      createdAt: this.clock.now(),
    };
    this.state.orders.set(order.id, order);
    return order;
  }

  #tokenTerms(token: unknown, customerId: string | null): TokenTerms {
    if (customerId === null) throw rzpBadRequest('The customer_id field is required for a token.', 'customer_id');
    if (typeof token !== 'object' || token === null || Array.isArray(token))
      throw rzpBadRequest('token must be an object', 'token');
    const t = token as Record<string, unknown>;
    if (typeof t.max_amount !== 'number' || !Number.isInteger(t.max_amount) || t.max_amount < 100)
      throw rzpBadRequest('The token.max_amount must be an integer of at least 100.', 'token.max_amount');
    // "UPI Recurring Payment only supports as_presented and monthly frequency"
    // (https://razorpay.com/docs/payments/payment-gateway/s2s-integration/recurring-payments/upi/authorization-transaction/).
    const frequencies = ['as_presented', 'monthly'];
    if (typeof t.frequency !== 'string' || !frequencies.includes(t.frequency))
      throw rzpBadRequest(`token.frequency must be one of ${frequencies.join(', ')}.`, 'token.frequency');
    if (t.expire_at !== undefined && (typeof t.expire_at !== 'number' || !Number.isInteger(t.expire_at)))
      throw rzpBadRequest('token.expire_at must be a Unix timestamp in seconds.', 'token.expire_at');
    return { ...t, max_amount: t.max_amount, frequency: t.frequency, expire_at: (t.expire_at as number) ?? null };
  }

  /** Orders, newest first, filtered as `GET /v1/orders` allows (https://razorpay.com/docs/api/orders/fetch-all/). */
  listOrders(filter: { receipt?: string; authorized?: boolean; from?: number; to?: number }): OrderRecord[] {
    return [...this.state.orders.values()]
      .filter((o) => filter.receipt === undefined || o.receipt === filter.receipt)
      .filter((o) => filter.authorized === undefined || (o.status !== 'created') === filter.authorized)
      .filter((o) => filter.from === undefined || o.createdAt / 1000 >= filter.from)
      .filter((o) => filter.to === undefined || o.createdAt / 1000 <= filter.to)
      .reverse();
  }

  // ---- payer actions ------------------------------------------------------------------------

  /**
   * The payer pays the order (Checkout's success path): the payment is authorized, captured when
   * the order auto-captures, and an authorisation order creates the UPI token. A recurring payment
   * left `created` (`recurringDebits: 'manual'`) is settled instead.
   */
  payOrder(
    orderId: string,
    options: { method?: string; email?: string; contact?: string; recurring?: boolean; customerId?: string } = {},
  ): CheckoutSuccess {
    const order = this.order(orderId);
    if (order.status === 'paid') throw rzpBadRequest('Order has already been paid', 'order_id');
    if (options.customerId !== undefined && options.customerId !== order.customerId)
      throw rzpBadRequest('The customer_id does not match the order.', 'customer_id');
    const waiting = this.#waitingPayment(order);
    if (waiting?.recurring) this.#requireDebitableToken(waiting.tokenId);
    const payment = waiting ?? this.#newPayment(order, options.method ?? order.method ?? 'upi', options);
    // Checkout without `recurring: 1` makes a one-time payment even on an authorisation order
    // (https://razorpay.com/docs/payments/recurring-payments/upi/apis/): no token.
    if (!waiting && order.tokenTerms && order.customerId && options.recurring !== false) {
      const token = this.#newToken(order, order.customerId, order.tokenTerms);
      payment.tokenId = token.id;
      payment.customerId = order.customerId;
      payment.recurring = true;
    }
    this.#authorize(payment);
    if (order.paymentCapture) this.capture(payment.id);
    const token = payment.tokenId ? this.state.tokens.get(payment.tokenId) : undefined;
    if (!waiting && token && token.status === 'initiated' && this.config.confirmTokens)
      this.setTokenStatus(token.id, 'confirmed');
    return this.checkoutSuccess(payment);
  }

  /** The payer's attempt fails (Checkout's `payment.failed`); the order stays open for another attempt. */
  failOrder(orderId: string, failure: Partial<PaymentError> = {}): CheckoutFailure {
    const order = this.order(orderId);
    if (order.status === 'paid') throw rzpBadRequest('Order has already been paid', 'order_id');
    const payment = this.#waitingPayment(order) ?? this.#newPayment(order, order.method ?? 'upi', {});
    payment.status = 'failed';
    payment.error = { ...DEFAULT_FAILURE, ...failure };
    this.emit('payment.failed', { payment: paymentEntity(payment) });
    return { error: { ...payment.error, metadata: { order_id: order.id, payment_id: payment.id } } };
  }

  /** The handler's answer for a paid order, signed as Checkout signs it. */
  checkoutSuccess(payment: PaymentRecord): CheckoutSuccess {
    return {
      razorpay_payment_id: payment.id,
      razorpay_order_id: payment.orderId,
      razorpay_signature: razorpayPaymentSignature(payment.orderId, payment.id, this.config.keySecret),
    };
  }

  /**
   * A waiting recurring debit is taken only if its token can still be charged: one paused, cancelled (or
   * being cancelled), deleted or expired since the debit was requested refuses it, as `createRecurringPayment`
   * would (the payment stays `created`; `failOrder` fails it).
   */
  #requireDebitableToken(tokenId: string | null): void {
    const token = tokenId === null ? undefined : this.state.tokens.get(tokenId);
    if (token === undefined)
      throw rzpBadRequest('The token of this recurring payment no longer exists; it cannot be charged.', 'token');
    if (token.status !== 'confirmed')
      throw rzpBadRequest(`The token is ${token.status}; only a confirmed token can be charged.`, 'token');
    if (token.expireAt !== null && token.expireAt * 1000 <= this.clock.now())
      throw rzpBadRequest('The token has expired; register a new mandate.', 'token');
  }

  #waitingPayment(order: OrderRecord): PaymentRecord | undefined {
    return order.paymentIds.map((id) => this.payment(id)).find((p) => p.status === 'created');
  }

  #newPayment(
    order: OrderRecord,
    method: string,
    who: { email?: string; contact?: string; customerId?: string | null },
  ): PaymentRecord {
    const payment: PaymentRecord = {
      id: razorpayId('pay'),
      orderId: order.id,
      amount: order.amount,
      currency: order.currency,
      status: 'created',
      method,
      captured: false,
      amountRefunded: 0,
      email: who.email ?? 'void@razorpay.com',
      contact: who.contact ?? '+919999999999',
      customerId: who.customerId ?? order.customerId,
      tokenId: null,
      recurring: false,
      description: null,
      notes: {},
      error: null,
      createdAt: this.clock.now(),
    };
    this.state.payments.set(payment.id, payment);
    order.paymentIds.push(payment.id);
    order.attempts += 1;
    order.status = 'attempted';
    return payment;
  }

  #authorize(payment: PaymentRecord): void {
    payment.status = 'authorized';
    payment.error = null;
    this.emit('payment.authorized', { payment: paymentEntity(payment) });
  }

  /** `POST /v1/payments/:id/capture` (as the Node SDK sends it); the order is then paid. */
  capture(paymentId: string, amount?: number): PaymentRecord {
    const payment = this.payment(paymentId);
    if (payment.status !== 'authorized')
      throw rzpBadRequest(
        payment.status === 'captured'
          ? 'This payment has already been captured'
          : 'Only payments which have been authorized and not yet captured can be captured',
      );
    if (amount !== undefined && amount !== payment.amount)
      throw rzpBadRequest('Capture amount must be equal to the amount authorized', 'amount');
    payment.status = 'captured';
    payment.captured = true;
    const order = this.order(payment.orderId);
    order.status = 'paid';
    order.amountPaid = payment.amount;
    this.emit('payment.captured', { payment: paymentEntity(payment) });
    this.emit('order.paid', { payment: paymentEntity(payment), order: orderEntity(order) });
    return payment;
  }

  // ---- refunds ------------------------------------------------------------------------------

  /** `POST /v1/payments/:id/refund` (https://razorpay.com/docs/api/refunds/create-normal/); partial allowed. */
  createRefund(paymentId: string, body: Record<string, unknown>): RefundRecord {
    const payment = this.payment(paymentId);
    if (payment.status !== 'captured' && payment.status !== 'refunded')
      throw rzpBadRequest('The payment has not been captured', 'payment_id');
    const left = payment.amount - payment.amountRefunded;
    const amount = body.amount === undefined ? left : body.amount;
    if (typeof amount !== 'number' || !Number.isInteger(amount) || amount < 100)
      throw rzpBadRequest('The amount must be atleast INR 1.00', 'amount');
    if (left <= 0) throw rzpBadRequest('The payment has been fully refunded already', 'payment_id');
    if (amount > left) throw rzpBadRequest('The refund amount provided is greater than amount captured', 'amount');
    const speed = body.speed === undefined ? 'normal' : body.speed;
    if (speed !== 'normal' && speed !== 'optimum') throw rzpBadRequest('speed must be normal or optimum', 'speed');
    const now = this.clock.now();
    const after = this.config.refundProcessAfterMs;
    const refund: RefundRecord = {
      id: razorpayId('rfnd'),
      paymentId,
      amount,
      currency: payment.currency,
      receipt: typeof body.receipt === 'string' ? body.receipt : null,
      notes: asNotes(body.notes),
      status: 'pending',
      speedRequested: speed,
      createdAt: now,
      processAt: after === null ? null : now + after,
    };
    this.state.refunds.set(refund.id, refund);
    payment.amountRefunded += amount;
    if (payment.amountRefunded >= payment.amount) payment.status = 'refunded';
    this.emit('refund.created', { refund: refundEntity(refund), payment: paymentEntity(payment) });
    if (after === 0) this.processRefund(refund.id);
    return refund;
  }

  /**
   * `X-Refund-Idempotency` (https://razorpay.com/docs/api/refunds/normal-refunds-idempotent/): the same
   * key with the same request answers the refund it made; with a different request it is refused.
   */
  createRefundOnce(key: string, paymentId: string, requestText: string, body: Record<string, unknown>): RefundRecord {
    if (!/^[A-Za-z0-9_-]{10,}$/.test(key))
      throw rzpBadRequest(
        'The idempotency key must be at least 10 characters: letters, digits, - and _.',
        'X-Refund-Idempotency',
      );
    const seen = this.#refundKeys.get(key);
    if (seen) {
      if (seen.paymentId !== paymentId || seen.requestText !== requestText)
        throw rzpBadRequest('A different request was already made with this idempotency key.', 'X-Refund-Idempotency');
      return this.refund(seen.refundId);
    }
    const refund = this.createRefund(paymentId, body);
    this.#refundKeys.set(key, { paymentId, requestText, refundId: refund.id });
    return refund;
  }

  readonly #refundKeys = new Map<string, { paymentId: string; requestText: string; refundId: string }>();

  /** A pending refund is processed (`refund.processed`). */
  processRefund(refundId: string): RefundRecord {
    const refund = this.#pendingRefund(refundId);
    refund.status = 'processed';
    this.emit('refund.processed', {
      refund: refundEntity(refund),
      payment: paymentEntity(this.payment(refund.paymentId)),
    });
    return refund;
  }

  /** A pending refund fails (`refund.failed`); its amount is refundable again. */
  failRefund(refundId: string): RefundRecord {
    const refund = this.#pendingRefund(refundId);
    refund.status = 'failed';
    const payment = this.payment(refund.paymentId);
    payment.amountRefunded -= refund.amount;
    if (payment.status === 'refunded') payment.status = 'captured';
    this.emit('refund.failed', { refund: refundEntity(refund), payment: paymentEntity(payment) });
    return refund;
  }

  #pendingRefund(refundId: string): RefundRecord {
    const refund = this.refund(refundId);
    if (refund.status !== 'pending') throw rzpBadRequest(`The refund is already ${refund.status}`, 'refund_id');
    return refund;
  }

  // ---- customers and tokens -----------------------------------------------------------------

  /** `POST /v1/customers` with `fail_existing` (https://razorpay.com/docs/api/payments/recurring-payments/upi/create-authorization-transaction/). */
  createCustomer(body: Record<string, unknown>): CustomerRecord {
    const text = (field: string, max: number) => {
      const value = body[field];
      if (value === undefined || value === null) return null;
      if (typeof value !== 'string' || value.length > max) throw rzpBadRequest(`The ${field} is invalid.`, field);
      return value;
    };
    const name = text('name', 50);
    const email = text('email', 64);
    const contact = text('contact', 15);
    const existing = [...this.state.customers.values()].find(
      (c) => (email !== null || contact !== null) && c.email === email && c.contact === contact,
    );
    if (existing) {
      // fail_existing: "1" (default) refuses; "0" answers the existing customer.
      if (body.fail_existing === '0' || body.fail_existing === 0 || body.fail_existing === false) return existing;
      throw rzpBadRequest('Customer already exists for the merchant', 'email');
    }
    const customer: CustomerRecord = {
      id: razorpayId('cust'),
      name,
      email,
      contact,
      gstin: text('gstin', 15),
      notes: asNotes(body.notes),
      createdAt: this.clock.now(),
    };
    this.state.customers.set(customer.id, customer);
    return customer;
  }

  /** A customer's token, or Razorpay's unknown-id refusal. */
  customerToken(customerId: string, tokenId: string): TokenRecord {
    this.customer(customerId);
    const token = this.token(tokenId);
    if (token.customerId !== customerId) throw rzpUnknownId();
    return token;
  }

  #newToken(order: OrderRecord, customerId: string, terms: TokenTerms): TokenRecord {
    const token: TokenRecord = {
      id: razorpayId('token'),
      customerId,
      orderId: order.id,
      token: razorpayId('tkn').slice(4),
      status: 'initiated',
      failureReason: null,
      maxAmount: terms.max_amount,
      expireAt: terms.expire_at,
      frequency: terms.frequency,
      usedAt: null,
      cancelAt: null,
      createdAt: this.clock.now(),
    };
    this.state.tokens.set(token.id, token);
    return token;
  }

  /**
   * Moves a token (UPI Autopay mandate) through Razorpay's token states: initiated → confirmed |
   * rejected; confirmed ⇄ paused (the customer, in their UPI app); initiated | confirmed | paused →
   * cancellation_initiated (the merchant's cancel, until NPCI confirms) → cancelled, or straight to cancelled
   * (the customer revokes it) (https://razorpay.com/docs/api/payments/recurring-payments/upi/tokens/).
   */
  setTokenStatus(tokenId: string, status: RazorpayTokenStatus, failureReason?: string): TokenRecord {
    const token = this.token(tokenId);
    const allowed: Record<RazorpayTokenStatus, RazorpayTokenStatus[]> = {
      initiated: [],
      confirmed: ['initiated', 'paused'],
      rejected: ['initiated'],
      paused: ['confirmed'],
      cancellation_initiated: ['initiated', 'confirmed', 'paused'],
      cancelled: ['initiated', 'confirmed', 'paused', 'cancellation_initiated'],
    };
    if (!allowed[status].includes(token.status))
      throw rzpBadRequest(`A ${token.status} token cannot become ${status}.`, 'token_id');
    const resumed = status === 'confirmed' && token.status === 'paused';
    token.status = status;
    token.failureReason = status === 'rejected' ? (failureReason ?? 'Mandate registration declined') : null;
    // Razorpay documents token.confirmed, token.rejected and token.cancelled for UPI; no pause/resume event.
    if (status === 'confirmed' && !resumed) this.emit('token.confirmed', { token: tokenEntity(token) });
    if (status === 'rejected') this.emit('token.rejected', { token: tokenEntity(token) });
    if (status === 'cancelled') this.emit('token.cancelled', { token: tokenEntity(token) });
    return token;
  }

  // ---- recurring debits ---------------------------------------------------------------------

  /**
   * `POST /v1/payments/create/recurring` on a fresh order
   * (https://razorpay.com/docs/api/payments/recurring-payments/custom/upi/create-subsequent-payments): refused
   * unless the token is the customer's, `confirmed`, and the amount is within `max_amount`.
   */
  createRecurringPayment(body: Record<string, unknown>): CheckoutSuccess {
    for (const field of ['email', 'contact', 'amount', 'currency', 'order_id', 'customer_id', 'token', 'recurring'])
      if (body[field] === undefined || body[field] === null || body[field] === '')
        throw rzpBadRequest(`The ${field} field is required.`, field);
    if (!isFlag(body.recurring)) throw rzpBadRequest('recurring must be 1 for a recurring payment.', 'recurring');
    const order = this.order(String(body.order_id));
    const token = this.customerToken(String(body.customer_id), String(body.token));
    if (body.amount !== order.amount) throw rzpBadRequest('Amount must match the order amount', 'amount');
    if (body.currency !== order.currency) throw rzpBadRequest('Currency must match the order currency', 'currency');
    if (order.status !== 'created') throw rzpBadRequest('Order has already been paid or attempted', 'order_id');
    if (token.status !== 'confirmed')
      throw new RazorpayEmulatorError(
        400,
        'BAD_REQUEST_ERROR',
        `The token is ${token.status}; only a confirmed token can be charged.`,
        'token',
        {
          source: 'business',
          step: 'payment_initiation',
          reason: 'token_not_confirmed',
        },
      );
    if (token.expireAt !== null && token.expireAt * 1000 <= this.clock.now())
      throw rzpBadRequest('The token has expired; register a new mandate.', 'token');
    if (order.amount > token.maxAmount)
      throw rzpBadRequest('The amount exceeds the maximum amount allowed for this token', 'amount');
    const payment = this.#newPayment(order, 'upi', {
      email: String(body.email),
      contact: String(body.contact),
      customerId: token.customerId,
    });
    payment.tokenId = token.id;
    payment.recurring = true;
    payment.description = typeof body.description === 'string' ? body.description : null;
    payment.notes = asNotes(body.notes);
    token.usedAt = this.clock.now();
    if (this.config.recurringDebits === 'immediate') {
      this.#authorize(payment);
      if (order.paymentCapture) this.capture(payment.id);
    }
    return this.checkoutSuccess(payment);
  }

  // ---- snapshots ----------------------------------------------------------------------------

  /** Every entity as Razorpay would show it, for `emu.state()`. */
  snapshot() {
    return {
      now: this.clock.now(),
      orders: [...this.state.orders.values()].map(orderEntity),
      payments: [...this.state.payments.values()].map(paymentEntity),
      refunds: [...this.state.refunds.values()].map(refundEntity),
      customers: [...this.state.customers.values()].map((c) => ({
        id: c.id,
        name: c.name,
        email: c.email,
        contact: c.contact,
      })),
      tokens: [...this.state.tokens.values()].map(tokenEntity),
    };
  }
}
