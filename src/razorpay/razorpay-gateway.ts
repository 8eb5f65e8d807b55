import { z } from 'zod';
import type {
  ClientCheckout,
  GatewayCheckout,
  GatewayCustomer,
  GatewayEvent,
  GatewayFailure,
  GatewayMandate,
  GatewayOrder,
  GatewayRefund,
  MandatePhase,
  PaymentGateway,
  PaymentRef,
} from '../billing/payment-gateway.js';
import { BillingError } from '../billing/errors.js';
import { type Clock, systemClock } from '../common/clock.js';
import { type AssertTrue, parseOptions, type SchemaMatches } from '../common/invalid-options.js';
import { type Logger, silentLogger } from '../common/logger.js';
import { httpUrlOption, transportOptionsShape } from '../common/transport-options.js';
import type { RazorpayClient } from './razorpay-client.js';
import type { RazorpayOrder, RazorpayPayment, RazorpayRefund } from './razorpay-entities.js';
import {
  isRazorpayBadRequestError,
  isRazorpayError,
  isRazorpayNotFoundError,
  isRazorpayOutcomeUnknownError,
  RazorpayValidationError,
} from './razorpay-errors.js';
import { classifyRazorpayCreatingFailure } from './razorpay-outcome.js';
import type { RazorpayNotes } from './razorpay-requests.js';
import {
  isRazorpayWebhookVerificationError,
  RAZORPAY_WEBHOOK_EVENTS,
  type RazorpayWebhookEvent,
  verifyRazorpayWebhook,
} from './razorpay-webhook.js';

// Razorpay behind the billing core's gateway port (src/billing/payment-gateway.ts): the one place that knows
// how Razorpay's orders, payments, refunds and UPI Autopay tokens amount to the core's neutral facts
// (docs/razorpay.md#the-razorpay-gateway). From the core it takes only the port's types and BillingError (the
// port's webhook rejection); the core never imports this.

type Reported = GatewayOrder['reported'];
type RefundState = GatewayRefund['reported'];
type PaymentMethod = PaymentRef['method'];

/**
 * Options of {@link createRazorpayGateway}. Validated when the gateway is built; unknown keys are rejected.
 *
 * @example
 * const options: RazorpayGatewayOptions = { client, webhookSecret: process.env.RAZORPAY_WEBHOOK_SECRET ?? '' };
 */
export interface RazorpayGatewayOptions {
  /** The Razorpay client (its key id is the gateway's account; its key secret checks checkout returns). */
  client: RazorpayClient;
  /** The secret of the dashboard's webhook (not the API key secret): the key of `X-Razorpay-Signature`. */
  webhookSecret: string;
  /**
   * The Standard Checkout script the checkout page loads. @default Razorpay's
   * `https://checkout.razorpay.com/v1/checkout.js` when the client calls Razorpay's API, else the client's
   * origin + `/v1/checkout.js` (what the emulator serves)
   */
  checkoutScriptUrl?: string;
  /** Decides when an unpaid order has expired (Razorpay's orders never expire). @default systemClock */
  clock?: Clock;
  /** pino-shaped logger. @default silentLogger */
  logger?: Logger;
}

const optionsSchema = z.strictObject({
  client: z.custom<RazorpayClient>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      typeof (value as RazorpayClient).createOrder === 'function' &&
      typeof (value as RazorpayClient).keyId === 'string',
    'must be a RazorpayClient',
  ),
  webhookSecret: z.string().min(1, 'must be a non-empty string'),
  checkoutScriptUrl: httpUrlOption.optional(),
  clock: transportOptionsShape.clock,
  logger: transportOptionsShape.logger,
});

// biome-ignore lint/correctness/noUnusedVariables: a compile-time check, never used at runtime
type OptionsTiedToSchema = AssertTrue<SchemaMatches<typeof optionsSchema, RazorpayGatewayOptions>>;

/** Razorpay's own Standard Checkout script (https://razorpay.com/docs/payments/payment-gateway/web-integration/standard/). */
const RAZORPAY_CHECKOUT_SCRIPT_URL = 'https://checkout.razorpay.com/v1/checkout.js';
const RAZORPAY_API_ORIGIN = 'https://api.razorpay.com';

/**
 * When a UPI Autopay mandate we set up ends (Unix seconds, 2099-12-31T23:59:59Z): the `expire_at` of
 * Razorpay's own authorisation-order samples (razorpay-node documents/upi.md, "Create order"). Our
 * subscriptions have no end date; the payer or we cancel the mandate instead.
 */
export const RAZORPAY_MANDATE_EXPIRE_AT = 4_102_444_799;

/**
 * How long a mandate debit's order waits for its recurring payment before we give it up (`expired`: our
 * word). Razorpay's orders never expire, and a debit whose recurring payment never reached Razorpay (every
 * `executeDebit` try lost to an outage) would otherwise stay pending for ever — and a debit in flight keeps
 * the subscription active past its due date. Once the payment exists it decides, whatever this says.
 */
export const RAZORPAY_DEBIT_ORDER_LIFE_MS = 24 * 60 * 60 * 1000;

// ---- mandate references -------------------------------------------------------------------------

/**
 * Our reference to a Razorpay mandate (stored as the gateway mandate id): `customer_id/token_id`, since
 * every token call needs both.
 *
 * @example
 * razorpayMandateRef('cust_1Aa00000000002', 'token_1Aa00000000001'); // 'cust_1Aa00000000002/token_1Aa00000000001'
 */
export function razorpayMandateRef(customerId: string, tokenId: string): string {
  return `${customerId}/${tokenId}`;
}

/**
 * The customer and token ids of a {@link razorpayMandateRef}; a `RazorpayValidationError` for anything else.
 *
 * @example
 * const { customerId, tokenId } = splitRazorpayMandateRef('cust_1/token_1', 'getMandate');
 */
export function splitRazorpayMandateRef(ref: string, operation: string): { customerId: string; tokenId: string } {
  const parts = ref.split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1])
    throw new RazorpayValidationError({
      operation,
      field: 'gatewayMandateId',
      problem: 'must be "<customer_id>/<token_id>"',
    });
  return { customerId: parts[0], tokenId: parts[1] };
}

// ---- pure translations --------------------------------------------------------------------------

// UPI token `recurring_details.status` by phase (https://razorpay.com/docs/api/payments/recurring-payments/upi/tokens/):
// only `confirmed` can be debited; `cancellation_initiated` is on its way to `cancelled`; a `rejected`
// registration never came into force. Anything else (`initiated`, words Razorpay may add) is not in force yet.
const MANDATE_PHASES: Record<string, MandatePhase> = {
  initiated: 'pending',
  confirmed: 'active',
  paused: 'paused',
  cancellation_initiated: 'cancelling',
  cancelled: 'ended',
  expired: 'ended',
  rejected: 'failed',
};

/**
 * The phase a Razorpay token status amounts to (case-blind; an unknown word is `pending`).
 *
 * @example
 * razorpayMandatePhase('cancellation_initiated'); // 'cancelling'
 */
export function razorpayMandatePhase(status: string): MandatePhase {
  return MANDATE_PHASES[status.toLowerCase()] ?? 'pending';
}

const REFUND_STATES: Record<string, Exclude<RefundState, null>> = {
  pending: 'pending',
  processed: 'completed',
  failed: 'failed',
};

/**
 * A Razorpay refund (its create, fetch or webhook entity) as a {@link GatewayRefund}: `pending`,
 * `processed` → completed, `failed`; an unknown status reports nothing. Razorpay gives no failure code.
 *
 * @example
 * razorpayRefund({ id: 'rfnd_1', status: 'processed' }).reported; // 'completed'
 */
export function razorpayRefund(refund: { id?: string | null | undefined; status: string }): GatewayRefund {
  return {
    reported: REFUND_STATES[refund.status.toLowerCase()] ?? null,
    gatewayState: refund.status,
    gatewayRefundId: refund.id ?? null,
    errorCode: null,
  };
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const isCaptured = (p: RazorpayPayment) => p.status === 'captured' || p.status === 'refunded' || p.captured === true;
const inProgress = (p: RazorpayPayment) => p.status === 'authorized' || p.status === 'created';

function newest<T extends { created_at?: number | undefined }>(items: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const item of items) if (best === undefined || (item.created_at ?? 0) >= (best.created_at ?? 0)) best = item;
  return best;
}

/** The mandate a captured payment set up, when it carries its customer and token. */
function mandateOf(payment: RazorpayPayment | undefined): string | null {
  const customerId = text(payment?.customer_id);
  const tokenId = text(payment?.token_id);
  return customerId && tokenId ? razorpayMandateRef(customerId, tokenId) : null;
}

/** `max_amount` of an authorisation order's `token` block, when Razorpay's answer carries it. */
function tokenMaxAmount(order: RazorpayOrder): number | null {
  const token = (order as { token?: unknown }).token;
  const max = typeof token === 'object' && token !== null ? (token as { max_amount?: unknown }).max_amount : undefined;
  return typeof max === 'number' && Number.isSafeInteger(max) ? max : null;
}

/**
 * A Razorpay order and its payments (`GET /orders/:id` + `/payments`) as a {@link GatewayOrder}, for the
 * payment of our `method` that expires (by our own rule) at `expiresAt`:
 * - a captured (or refunded) payment, or the order `paid` → `completed` (that payment's id, method and, for a
 *   set-up, its `customer_id/token_id` mandate);
 * - an `authorized` or `created` payment → `pending`;
 * - only failed payments: a mandate debit (`autopay_redemption`) → `failed` (Razorpay does not retry it); a
 *   checkout or set-up stays `pending`, since the payer may try again in Checkout;
 * - nothing in progress and `expiresAt` past `now` → `expired` (our word: Razorpay orders never expire).
 *
 * @example
 * razorpayOrder(order, payments, { method: 'one_time', expiresAt: null, now: Date.now() }).reported;
 */
export function razorpayOrder(
  order: RazorpayOrder,
  payments: readonly RazorpayPayment[],
  context: { method: PaymentMethod; expiresAt: number | null; now: number },
): GatewayOrder {
  const captured = newest(payments.filter(isCaptured));
  const live = newest(payments.filter(inProgress));
  const latest = newest(payments);
  const failed = newest(payments.filter((p) => p.status === 'failed'));
  let reported: Reported;
  let deciding: RazorpayPayment | undefined;
  if (captured || order.status === 'paid') {
    reported = 'completed';
    deciding = captured ?? latest;
  } else if (live) {
    reported = 'pending';
    deciding = live;
  } else if (failed && context.method === 'autopay_redemption') {
    reported = 'failed';
    deciding = failed;
  } else if (context.expiresAt !== null && context.now >= context.expiresAt) {
    reported = 'expired';
  } else {
    reported = 'pending';
  }
  const attempt = deciding ?? latest;
  const failure = reported === 'completed' ? undefined : (deciding ?? failed);
  const setUp = reported === 'completed' && context.method === 'autopay_setup';
  return {
    merchantOrderId: text(order.receipt),
    gatewayOrderId: order.id,
    reported,
    // Razorpay's own word: the deciding payment's status, else the order's; `expired` is ours.
    gatewayState: reported === 'expired' ? 'expired' : (deciding?.status ?? order.status),
    amountPaise: order.amount,
    errorCode: text(failure?.error_code),
    detailedErrorCode: text(failure?.error_reason),
    transactionId: attempt?.id ?? null,
    paymentMode: text(attempt?.method),
    attempts: payments.length,
    expiresAt: null,
    mandate: {
      gatewayMandateId: setUp ? mandateOf(deciding) : null,
      maxAmountPaise: setUp ? tokenMaxAmount(order) : null,
    },
    debitWindow: { notifiedAt: null, from: null, until: null },
  };
}

const entityOf = (payload: Record<string, unknown>, name: string): Record<string, unknown> | undefined => {
  const holder = payload[name];
  const entity = typeof holder === 'object' && holder !== null ? (holder as { entity?: unknown }).entity : undefined;
  return typeof entity === 'object' && entity !== null && !Array.isArray(entity)
    ? (entity as Record<string, unknown>)
    : undefined;
};

const ORDER_EVENTS: ReadonlySet<string> = new Set([
  'payment.authorized',
  'payment.captured',
  'payment.failed',
  'order.paid',
]);

/**
 * A verified Razorpay webhook (`verifyRazorpayWebhook`) as a {@link GatewayEvent}; `raw` is its payload and
 * the dedupe key `event:entity id:status`.
 * - `payment.authorized|captured|failed`, `order.paid` → `order`, from the payment entity; only a capture
 *   (or `order.paid`) claims `completed` — a failed checkout attempt is not final (the payer may retry);
 *   `merchantOrderId` is the order's receipt when the payload has the order (`order.paid`), else null;
 * - `refund.created|processed|failed` → `refund` (our id = its receipt);
 * - `token.confirmed|rejected|paused|cancelled` → `mandate` named by `customer_id/token_id`;
 * - anything else → `unknown`.
 *
 * @example
 * const event = razorpayEvent(await verifyRazorpayWebhook({ body, signature }, webhookSecret));
 */
export function razorpayEvent(event: RazorpayWebhookEvent): GatewayEvent {
  const payment = entityOf(event.payload, 'payment');
  const order = entityOf(event.payload, 'order');
  const refund = entityOf(event.payload, 'refund');
  const token = entityOf(event.payload, 'token');
  const base = (entity: Record<string, unknown> | undefined, status: unknown, subjectId: string | null) => ({
    gateway: 'razorpay',
    event: event.event,
    dedupeKey: `${event.event}:${text(entity?.id) ?? event.eventId ?? ''}:${text(status) ?? ''}`,
    subjectId,
    raw: event.payload,
  });
  const family = event.event.split('.')[0];
  // Only these say where an order's payment stands; `payment.dispute.*`, `payment.downtime.*` and other
  // `payment.` families carry a payment entity too but are no order event.
  if (ORDER_EVENTS.has(event.event) && (payment || order)) {
    const paid = event.event === 'order.paid';
    const receipt = text(order?.receipt);
    const subject = paid ? order : payment;
    const captured = paid || payment?.status === 'captured';
    const amount = paid ? order?.amount : payment?.amount;
    const customerId = text(payment?.customer_id);
    const tokenId = text(payment?.token_id);
    const mandateId = captured && customerId && tokenId ? razorpayMandateRef(customerId, tokenId) : null;
    return {
      ...base(subject, subject?.status, receipt),
      kind: 'order',
      merchantOrderId: receipt,
      order: {
        merchantOrderId: receipt,
        gatewayOrderId: text(payment?.order_id) ?? text(order?.id),
        reported: captured ? 'completed' : 'pending',
        gatewayState: text(subject?.status) ?? 'unknown',
        amountPaise: typeof amount === 'number' && Number.isSafeInteger(amount) ? amount : null,
        errorCode: text(payment?.error_code),
        detailedErrorCode: text(payment?.error_reason),
        transactionId: text(payment?.id),
        paymentMode: text(payment?.method),
        attempts: typeof order?.attempts === 'number' ? order.attempts : payment ? 1 : 0,
        expiresAt: null,
        mandate: { gatewayMandateId: mandateId, maxAmountPaise: null },
        debitWindow: { notifiedAt: null, from: null, until: null },
      },
      claimed: captured ? 'completed' : null,
    };
  }
  if (
    (event.event === 'refund.created' || event.event === 'refund.processed' || event.event === 'refund.failed') &&
    refund
  ) {
    const merchantRefundId = text(refund.receipt);
    const status = text(refund.status);
    return {
      ...base(refund, status, merchantRefundId),
      kind: 'refund',
      merchantRefundId,
      claim: status ? razorpayRefund({ id: text(refund.id), status }) : null,
    };
  }
  if (family === 'token' && token) {
    const details = token.recurring_details as { status?: unknown } | undefined;
    const customerId = text(token.customer_id);
    const tokenId = text(token.id);
    return {
      ...base(token, details?.status, null),
      kind: 'mandate',
      merchantMandateId: null,
      gatewayMandateId: customerId && tokenId ? razorpayMandateRef(customerId, tokenId) : null,
    };
  }
  return { ...base(payment ?? order ?? refund ?? token, undefined, null), kind: 'unknown' };
}

/**
 * How a failure thrown by the Razorpay client reads (see {@link GatewayFailure}); `null` for any other
 * error. A lost answer the client's lookup could not settle is `outcome_unknown`; throttling, 5xx, network
 * failures, timeouts and unreadable answers are `unavailable`; Razorpay's explicit 4xx refusal (and our own
 * validation, which sent nothing) is `refused`; a 4xx without Razorpay's error body, or a 409, `unexpected`.
 *
 * @example
 * razorpayFailure(new RazorpayValidationError({ operation: 'createOrder', field: 'amount', problem: 'x' }))?.kind; // 'refused'
 */
export function razorpayFailure(error: unknown): GatewayFailure | null {
  if (!isRazorpayError(error)) return null;
  const failure = { code: error.code, gatewayMessage: error.razorpay?.description ?? null, existing: null };
  if (isRazorpayOutcomeUnknownError(error)) return { ...failure, kind: 'outcome_unknown' };
  if (error.retryable) return { ...failure, kind: 'unavailable' };
  return { ...failure, kind: classifyRazorpayCreatingFailure(error) === 'refused' ? 'refused' : 'unexpected' };
}

// ---- the gateway --------------------------------------------------------------------------------

const INTERVAL_FREQUENCIES = { month: 'monthly', year: 'as_presented' } as const;

/**
 * The {@link PaymentGateway} on Razorpay: Standard Checkout on our own page (no hosted page), orders
 * found again by `receipt` (our order id), UPI Autopay mandates as a customer's token
 * (`customer_id/token_id`), debits that Razorpay announces and executes by itself about a day after they
 * are asked for, signed webhooks (docs/razorpay.md#the-razorpay-gateway). Our ids ride in `notes`.
 *
 * @example
 * const gateway = createRazorpayGateway({ client: new RazorpayClient({ keyId, keySecret }), webhookSecret });
 */
export function createRazorpayGateway(options: RazorpayGatewayOptions): PaymentGateway {
  const parsed = parseOptions(optionsSchema, options, 'createRazorpayGateway');
  const client = parsed.client;
  const clock = parsed.clock ?? systemClock;
  const logger = parsed.logger ?? silentLogger;
  const scriptUrl = parsed.checkoutScriptUrl ?? checkoutScriptFor(client.baseUrl);

  // The order of a payment: by Razorpay's id once we have it, else by our receipt; none → undefined.
  const findOrder = async (payment: Pick<PaymentRef, 'merchantOrderId' | 'gatewayOrderId'>) => {
    try {
      return payment.gatewayOrderId
        ? await client.getOrder(payment.gatewayOrderId)
        : await client.findOrderByReceipt(payment.merchantOrderId);
    } catch (error) {
      if (isRazorpayNotFoundError(error)) return undefined;
      throw error;
    }
  };

  // The captured payment a refund draws on.
  const capturedPayment = async (payment: Pick<PaymentRef, 'merchantOrderId' | 'gatewayOrderId'>) => {
    const order = await findOrder(payment);
    if (!order) return undefined;
    return newest((await client.listOrderPayments(order.id)).filter(isCaptured));
  };

  const customerOf = async (customer: GatewayCustomer | null, operation: string, notes?: RazorpayNotes) => {
    const email = customer?.email;
    const contact = customer?.contact;
    if (!email || !contact)
      throw new RazorpayValidationError({
        operation,
        field: 'customer',
        problem: "needs the payer's email and contact for a UPI Autopay mandate",
      });
    return client.createCustomer({
      email,
      contact,
      ...(customer.name ? { name: customer.name.slice(0, 50) } : {}),
      ...(notes ? { notes } : {}),
    });
  };

  return {
    name: 'razorpay',
    displayName: 'Razorpay',
    account: client.keyId,
    capabilities: { mandates: true, preDebitNotice: 'gateway', mandateNeedsCustomer: true },
    activeMandateState: 'confirmed',
    webhookEvents: RAZORPAY_WEBHOOK_EVENTS,
    mandatePhase: razorpayMandatePhase,
    classifyFailure: razorpayFailure,

    async createCheckout(request): Promise<GatewayCheckout> {
      const notes = referenceNotes(request.references, request.mandate?.merchantMandateId);
      const common = { amount: request.amountPaise, receipt: request.merchantOrderId, notes, paymentCapture: true };
      // Sent again after a lost answer (Razorpay never refuses a repeated receipt): the order made before is
      // found instead of making a second — only one that is this payment's (its amount and our payment id).
      const earlier = await client.findOrderByReceipt(request.merchantOrderId);
      let order: RazorpayOrder;
      let customerId: string | null = null;
      if (earlier && isOrderOf(earlier, request.amountPaise, notes)) order = earlier;
      else if (request.mandate) {
        const customer = await customerOf(request.customer, 'createCheckout', {
          billing_workspace_id: request.references.workspaceId.slice(0, 256),
        });
        customerId = customer.id;
        order = await client.createOrder({
          ...common,
          customerId: customer.id,
          method: 'upi',
          token: {
            maxAmount: request.mandate.maxAmountPaise,
            expireAt: RAZORPAY_MANDATE_EXPIRE_AT,
            frequency: INTERVAL_FREQUENCIES[request.mandate.interval],
          },
        });
      } else order = await client.createOrder(common);
      return {
        gatewayOrderId: order.id,
        reported: 'pending',
        paymentUrl: null,
        // Razorpay orders never expire by themselves: our own expiry decides (getOrder reads it back).
        expiresAt: clock.now() + request.expireAfterSeconds * 1000,
        // Checkout opens a mandate set-up for its customer: kept, so the page never has to ask Razorpay again.
        clientState: customerId ? { customer_id: customerId } : null,
      };
    },

    async getOrder(payment) {
      const order = await findOrder(payment);
      if (!order) return null;
      const payments = await client.listOrderPayments(order.id);
      return razorpayOrder(order, payments, { method: payment.method, expiresAt: payment.expiresAt, now: clock.now() });
    },

    async refund(request) {
      const paid = await capturedPayment(request.payment);
      if (!paid)
        throw new RazorpayValidationError({
          operation: 'refund',
          field: 'payment',
          problem: `has no captured Razorpay payment for order ${request.payment.merchantOrderId}`,
        });
      return razorpayRefund(
        await client.createRefund({
          paymentId: paid.id,
          amount: request.amountPaise,
          receipt: request.merchantRefundId,
        }),
      );
    },

    async getRefund(refund) {
      if (refund.gatewayRefundId) {
        try {
          return razorpayRefund(await client.getRefund(refund.gatewayRefundId));
        } catch (error) {
          if (isRazorpayNotFoundError(error)) return null;
          throw error;
        }
      }
      const paid = await capturedPayment(refund.payment);
      if (!paid) return null;
      const refunds = await client.listPaymentRefunds(paid.id);
      const found = newest(refunds.filter((r: RazorpayRefund) => r.receipt === refund.merchantRefundId));
      return found ? razorpayRefund(found) : null;
    },

    async getMandate(mandate): Promise<GatewayMandate> {
      if (mandate.gatewayMandateId === null) return { gatewayState: 'initiated', phase: 'pending' };
      const { customerId, tokenId } = splitRazorpayMandateRef(mandate.gatewayMandateId, 'getMandate');
      const token = await client.getToken(customerId, tokenId);
      const gatewayState = (token.recurring_details?.status ?? 'initiated').toLowerCase();
      return { gatewayState, phase: razorpayMandatePhase(gatewayState) };
    },

    async cancelMandate(mandate) {
      if (mandate.gatewayMandateId === null) return;
      const { customerId, tokenId } = splitRazorpayMandateRef(mandate.gatewayMandateId, 'cancelMandate');
      try {
        await client.cancelToken(customerId, tokenId);
      } catch (error) {
        // Cancelled before (by us, or the payer in their UPI app): Razorpay refuses to cancel it again.
        if (!isRazorpayBadRequestError(error)) throw error;
        const status = (await client.getToken(customerId, tokenId)).recurring_details?.status ?? '';
        const phase = razorpayMandatePhase(status);
        if (phase !== 'cancelling' && phase !== 'ended' && phase !== 'failed') throw error;
        logger.debug({ customerId, tokenId, status }, 'Razorpay token already cancelled; nothing to cancel');
      }
    },

    async notifyDebit(request) {
      // Razorpay notifies the payer itself once the debit is asked for (executeDebit): here only its order.
      // A retry after a lost answer finds the order by receipt instead of making a second one (only this
      // debit's: another integration on the account may use the same receipt).
      const notes = referenceNotes(request.references, request.mandate.merchantMandateId);
      const existing = await client.findOrderByReceipt(request.merchantOrderId);
      const order =
        existing && isOrderOf(existing, request.amountPaise, notes)
          ? existing
          : await client.createOrder({
              amount: request.amountPaise,
              receipt: request.merchantOrderId,
              paymentCapture: true,
              notes,
            });
      return {
        gatewayOrderId: order.id,
        reported: 'pending',
        paymentUrl: null,
        expiresAt: clock.now() + RAZORPAY_DEBIT_ORDER_LIFE_MS,
      };
    },

    async executeDebit(payment) {
      const order = await findOrder(payment);
      if (!order)
        throw new RazorpayValidationError({
          operation: 'executeDebit',
          field: 'merchantOrderId',
          problem: `has no Razorpay order (${payment.merchantOrderId}); notifyDebit makes it`,
        });
      // The order exists for this debit only: a payment on it is this debit, asked for before.
      const earlier = newest(await client.listOrderPayments(order.id));
      if (earlier) return { transactionId: earlier.id };
      if (payment.mandate.gatewayMandateId === null)
        throw new RazorpayValidationError({
          operation: 'executeDebit',
          field: 'mandate',
          problem: 'has no Razorpay token yet',
        });
      const { customerId, tokenId } = splitRazorpayMandateRef(payment.mandate.gatewayMandateId, 'executeDebit');
      const customer = await client.getCustomer(customerId);
      const email = text(customer.email);
      const contact = customer.contact === null || customer.contact === undefined ? null : String(customer.contact);
      if (!email || !contact)
        throw new RazorpayValidationError({
          operation: 'executeDebit',
          field: 'customer',
          problem: `${customerId} has no email or contact, which a recurring debit must carry`,
        });
      const debit = await client.createRecurringPayment({
        orderId: order.id,
        customerId,
        tokenId,
        amount: payment.amountPaise,
        email,
        contact,
      });
      return { transactionId: debit.razorpay_payment_id };
    },

    async verifyWebhook(request) {
      let event: RazorpayWebhookEvent;
      try {
        event = await verifyRazorpayWebhook(
          {
            body: request.body,
            signature: request.headers.get('x-razorpay-signature'),
            eventId: request.headers.get('x-razorpay-event-id'),
          },
          parsed.webhookSecret,
        );
      } catch (error) {
        // The port's rejection is the core's error (the HTTP layer knows no gateway's classes), Razorpay's as cause.
        if (!isRazorpayWebhookVerificationError(error)) throw error;
        throw error.reason === 'malformed-body'
          ? new BillingError('INVALID_INPUT', `Razorpay webhook refused: ${error.message}`, { cause: error })
          : new BillingError('WEBHOOK_REJECTED', error.message, { cause: error });
      }
      return razorpayEvent(event);
    },

    async clientCheckout(payment, callbackUrl): Promise<ClientCheckout> {
      if (!payment.gatewayOrderId)
        throw new RazorpayValidationError({
          operation: 'clientCheckout',
          field: 'gatewayOrderId',
          problem: `is missing for ${payment.merchantOrderId}: the order was never created`,
        });
      const prefill: Record<string, string> = {};
      for (const key of ['name', 'email', 'contact'] as const) {
        const value = payment.customer?.[key];
        if (value) prefill[key] = value;
      }
      const checkoutOptions: Record<string, unknown> = {
        key: client.keyId,
        order_id: payment.gatewayOrderId,
        amount: payment.amountPaise,
        currency: 'INR',
        callback_url: callbackUrl,
        redirect: true,
        prefill,
      };
      if (payment.method === 'autopay_setup') {
        // Kept at creation; only an order found again after a lost answer asks Razorpay (fail_existing "0"
        // answers the customer the set-up order was made for).
        checkoutOptions.customer_id =
          payment.clientState?.customer_id ?? (await customerOf(payment.customer, 'clientCheckout')).id;
        checkoutOptions.recurring = '1';
      }
      // Standard Checkout's script defines `window.Razorpay`; the page opens `new Razorpay(options)`.
      return { gateway: 'razorpay', scriptUrl, global: 'Razorpay', options: checkoutOptions };
    },

    async verifyCheckoutReturn(fields, payment) {
      const orderId = fields.razorpay_order_id;
      const paymentId = fields.razorpay_payment_id;
      const signature = fields.razorpay_signature;
      if (!payment.gatewayOrderId || orderId !== payment.gatewayOrderId) return false;
      if (typeof paymentId !== 'string' || typeof signature !== 'string') return false;
      return client.verifyPaymentSignature({ orderId: payment.gatewayOrderId, paymentId, signature });
    },
  };
}

/** Whether an order found by our receipt is the one we made for this payment: its amount and our payment id. */
function isOrderOf(order: RazorpayOrder, amountPaise: number, notes: RazorpayNotes): boolean {
  const held = order.notes;
  return (
    order.amount === amountPaise &&
    typeof held === 'object' &&
    held !== null &&
    !Array.isArray(held) &&
    held.billing_payment_id === notes.billing_payment_id
  );
}

/** Our ids as Razorpay `notes` (at most 256 characters each). */
function referenceNotes(
  references: { paymentId: string; workspaceId: string; planId: string },
  merchantMandateId: string | undefined,
): RazorpayNotes {
  return {
    billing_payment_id: references.paymentId.slice(0, 256),
    billing_workspace_id: references.workspaceId.slice(0, 256),
    billing_plan_id: references.planId.slice(0, 256),
    ...(merchantMandateId ? { billing_mandate_id: merchantMandateId.slice(0, 256) } : {}),
  };
}

/** Razorpay's own checkout script for its API; the same origin's `/v1/checkout.js` for any other (an emulator). */
function checkoutScriptFor(baseUrl: string): string {
  const origin = new URL(baseUrl).origin;
  return origin === RAZORPAY_API_ORIGIN ? RAZORPAY_CHECKOUT_SCRIPT_URL : `${origin}/v1/checkout.js`;
}
