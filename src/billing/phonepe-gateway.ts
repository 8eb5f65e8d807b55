import { isPhonePeError, isPhonePeNotFoundError, isPhonePeOutcomeUnknownError } from '../client/errors.js';
import { classifyCreatingFailure } from '../client/outcome.js';
import { WEBHOOK_CATALOGUE, webhookDedupeKey, type WebhookEvent, webhookSubjectId } from '../webhooks/webhook-event.js';
import { latestPaymentAttempt, type OrderStatus, type RefundStatus } from '../client/responses.js';
import type { RefundRecordState } from '../storage/records.js';
import { mandateCalls, type PhonePeMandateDeps } from './mandate-calls.js';
import {
  type GatewayCheckout,
  type GatewayEvent,
  type GatewayFailure,
  type GatewayOrder,
  type GatewayRefund,
  type MandatePhase,
  type PaymentGateway,
  signalFromOrder,
} from './payment-gateway.js';
import type { PaymentSignal, ReportedPaymentState } from './payment-state-machine.js';

// PhonePe's answers turned into the billing core's gateway-neutral facts: the one place that knows PhonePe's
// order states, expiry codes and order-status shapes (docs/phonepe-protocol.md#order-status).

// An order that failed because nobody paid before expireAfter ran out is "expired", not "failed".
// PhonePe reports it as FAILED with e.g. errorCode OTHERS / detailedErrorCode INTENT_EXPIRED
// (docs/phonepe-protocol.md#order-status order states); the codes below are the ones documented for expiry.
const EXPIRY_CODES: ReadonlySet<string> = new Set(['INTENT_EXPIRED', 'ORDER_EXPIRED', 'EXPIRED', 'TXN_EXPIRED']);

/**
 * What a PhonePe order state amounts to for the payment state machine: COMPLETED and FAILED are terminal
 * (FAILED with an expiry code is `expired`); everything else — PENDING, CREATED, NOTIFICATION_IN_PROGRESS,
 * NOTIFIED, states PhonePe may add — is still in progress (docs/phonepe-protocol.md#order-status).
 *
 * @example
 * phonePeReportedState('FAILED', 'OTHERS', 'INTENT_EXPIRED'); // 'expired'
 */
export function phonePeReportedState(
  state: string,
  errorCode: string | null,
  detailedErrorCode: string | null,
): ReportedPaymentState {
  const upper = state.toUpperCase();
  if (upper === 'COMPLETED') return 'completed';
  if (upper === 'EXPIRED') return 'expired';
  if (upper !== 'FAILED') return 'pending';
  const expired =
    (detailedErrorCode !== null && EXPIRY_CODES.has(detailedErrorCode)) ||
    (errorCode !== null && EXPIRY_CODES.has(errorCode));
  return expired ? 'expired' : 'failed';
}

/**
 * A PhonePe order status (from the status API or a webhook payload) as a {@link GatewayOrder}: the state mapped
 * by the order's own error codes; the error codes, transaction id and mode from the order or its latest
 * attempt; a set-up order's mandate (docs/phonepe-protocol.md#autopay-api-setup, #webhook-events); a redemption
 * order's notice and window (`notifiedAt`, `validAfter` = notifiedAt + 24 h, `validUpto`, #notify).
 */
export function phonePeOrder(order: OrderStatus): GatewayOrder {
  const latest = latestPaymentAttempt(order);
  const flow = order.paymentFlow;
  const details = flow?.subscriptionDetails;
  const number = (value: unknown) => (typeof value === 'number' ? value : null);
  return {
    merchantOrderId: order.merchantOrderId || null,
    gatewayOrderId: order.orderId || null,
    reported: phonePeReportedState(order.state, order.errorCode ?? null, order.detailedErrorCode ?? null),
    gatewayState: order.state,
    // A status without an amount or order id (PhonePe's own SDK fixtures have such bodies) is not compared on it.
    amountPaise: number(order.amount),
    errorCode: order.errorCode ?? latest?.errorCode ?? null,
    detailedErrorCode: order.detailedErrorCode ?? latest?.detailedErrorCode ?? null,
    transactionId: latest?.transactionId ?? null,
    paymentMode: latest?.paymentMode ?? null,
    attempts: (order.paymentDetails ?? []).length,
    expiresAt: number(order.expireAt),
    mandate: {
      gatewayMandateId: flow?.subscriptionId ?? details?.subscriptionId ?? null,
      maxAmountPaise: flow?.maxAmount ?? details?.maxAmount ?? null,
    },
    debitWindow: {
      notifiedAt: number(flow?.notifiedAt),
      from: number(flow?.validAfter),
      until: number(flow?.validUpto),
    },
  };
}

/** The signal PhonePe's order status amounts to (see {@link phonePeOrder} and `signalFromOrder`). */
export function phonePeSignal(order: OrderStatus, authoritative: boolean): PaymentSignal {
  return signalFromOrder(phonePeOrder(order), authoritative);
}

/** PhonePe's answer to a create call (checkout, mandate set-up, pre-debit notice) as a {@link GatewayCheckout}. */
export function phonePeCreated(created: {
  orderId: string;
  state?: string | undefined;
  redirectUrl?: unknown;
  expireAt?: number | null | undefined;
}): GatewayCheckout {
  return {
    gatewayOrderId: created.orderId,
    reported: created.state ? phonePeReportedState(created.state, null, null) : null,
    paymentUrl: typeof created.redirectUrl === 'string' ? created.redirectUrl : null,
    expiresAt: created.expireAt ?? null,
  };
}

// Refund states only move forward: PENDING → CONFIRMED → COMPLETED | FAILED (docs/phonepe-protocol.md#refund-states).
const REFUND_STATES: Record<string, RefundRecordState> = {
  PENDING: 'pending',
  CONFIRMED: 'confirmed',
  COMPLETED: 'completed',
  FAILED: 'failed',
};

/** The refund state a PhonePe refund state amounts to, or `null` for a state we do not know. */
export function refundStateFromPhonePe(state: string): RefundRecordState | null {
  return REFUND_STATES[state.toUpperCase()] ?? null;
}

/** PhonePe's word for a refund (from the refund call, its status API or a webhook) as a {@link GatewayRefund}. */
export function phonePeRefund(refund: {
  state: string;
  refundId?: string | null | undefined;
  errorCode?: string | null | undefined;
}): GatewayRefund {
  return {
    reported: refundStateFromPhonePe(refund.state),
    gatewayState: refund.state,
    gatewayRefundId: refund.refundId ?? null,
    errorCode: refund.errorCode ?? null,
  };
}

// PhonePe's mandate (subscription) states by phase (docs/phonepe-protocol.md#subscription-states,
// #cancel-pause-revoke): PhonePe never debits a REVOKED, CANCELLED or EXPIRED one again, a FAILED one was
// never set up, and CANCEL_IN_PROGRESS is on its way to CANCELLED. Anything else (PENDING, CREATED, states
// PhonePe may add) is not in force yet.
const MANDATE_PHASES: Record<string, MandatePhase> = {
  ACTIVE: 'active',
  PAUSED: 'paused',
  CANCEL_IN_PROGRESS: 'cancelling',
  REVOKED: 'ended',
  CANCELLED: 'ended',
  EXPIRED: 'ended',
  FAILED: 'failed',
};

/** The phase a PhonePe mandate state amounts to. */
export function phonePeMandatePhase(state: string): MandatePhase {
  return MANDATE_PHASES[state.toUpperCase()] ?? 'pending';
}

/**
 * How a failure thrown by PhonePe's client reads (see {@link GatewayFailure}); `null` when it is not a PhonePe
 * error. The client has already looked up a creating call whose answer was lost: it throws an outcome-unknown
 * error (with the order, when PhonePe has it), and a 4xx that PhonePe's status API did not explain only after
 * the lookup showed nothing (docs/phonepe-protocol.md#outcome-unknown).
 */
export function phonePeFailure(error: unknown): GatewayFailure | null {
  if (!isPhonePeError(error)) return null;
  const failure = { code: error.code, gatewayMessage: error.phonePeMessage ?? null, existing: null };
  if (isPhonePeOutcomeUnknownError(error))
    return {
      ...failure,
      kind: 'outcome_unknown',
      existing: error.created === true && error.existing ? phonePeOrder(error.existing) : null,
    };
  if (error.retryable) return { ...failure, kind: 'unavailable' };
  const kind = classifyCreatingFailure(error);
  return { ...failure, kind: kind === 'refused' || kind === 'rejected' ? 'refused' : 'unexpected' };
}

/** What the PhonePe gateway needs: the client, the path family for mandates (`autopay.pathFamily`), a logger. */
export type PhonePeGatewayOptions = PhonePeMandateDeps;

/**
 * The {@link PaymentGateway} on PhonePe: checkout (`PG_CHECKOUT`, or `SUBSCRIPTION_CHECKOUT_SETUP` with a
 * FIXED, RECURRING UPI mandate of the plan's frequency; docs/phonepe-protocol.md#checkout-pay,
 * #autopay-checkout-setup), order status on the right endpoint (redemption status for debits), refunds,
 * mandates on the configured path family with its fallback (mandate-calls.ts), the merchant-sent pre-debit
 * notice and the redeem (#notify). Our ids ride in `metaInfo` (udf1 payment, udf2 workspace, udf3 plan).
 *
 * @example
 * const gateway = createPhonePeGateway({ client, pathFamily: 'checkout', logger });
 */
export function createPhonePeGateway(options: PhonePeGatewayOptions): PaymentGateway {
  const { client } = options;
  const mandates = mandateCalls(options);
  return {
    name: 'phonepe',
    displayName: 'PhonePe',
    account: client.clientId ?? null,
    capabilities: { mandates: true, preDebitNotice: 'merchant', mandateNeedsCustomer: false },
    activeMandateState: 'ACTIVE',
    webhookEvents: Object.keys(WEBHOOK_CATALOGUE),
    mandatePhase: phonePeMandatePhase,
    classifyFailure: phonePeFailure,
    async createCheckout(request) {
      const common = {
        merchantOrderId: request.merchantOrderId,
        amount: request.amountPaise,
        expireAfter: request.expireAfterSeconds,
        metaInfo: {
          udf1: request.references.paymentId,
          udf2: request.references.workspaceId.slice(0, 256),
          udf3: request.references.planId,
        },
      };
      const merchantUrls = { redirectUrl: request.redirectUrl };
      const response = request.mandate
        ? await client.subscriptions.setup({
            ...common,
            paymentFlow: {
              type: 'SUBSCRIPTION_CHECKOUT_SETUP',
              merchantUrls,
              subscriptionDetails: {
                subscriptionType: 'RECURRING',
                merchantSubscriptionId: request.mandate.merchantMandateId,
                authWorkflowType: 'TRANSACTION',
                amountType: 'FIXED',
                maxAmount: request.mandate.maxAmountPaise,
                frequency: request.mandate.interval === 'year' ? 'YEARLY' : 'MONTHLY',
                productType: 'UPI_MANDATE',
              },
            },
          })
        : await client.pay({ ...common, paymentFlow: { type: 'PG_CHECKOUT', merchantUrls } });
      return phonePeCreated(response);
    },
    async getOrder(payment) {
      try {
        const order =
          payment.method === 'autopay_redemption'
            ? await mandates.getRedemptionStatus(payment.merchantOrderId)
            : await client.getOrderStatus(payment.merchantOrderId, { details: false, errorContext: true });
        return phonePeOrder(order);
      } catch (error) {
        if (isPhonePeNotFoundError(error)) return null;
        throw error;
      }
    },
    async refund(request) {
      return phonePeRefund(
        await client.refund({
          merchantRefundId: request.merchantRefundId,
          originalMerchantOrderId: request.payment.merchantOrderId,
          amount: request.amountPaise,
        }),
      );
    },
    async getRefund(refund) {
      let status: RefundStatus;
      try {
        status = await client.getRefundStatus(refund.merchantRefundId);
      } catch (error) {
        if (isPhonePeNotFoundError(error)) return null;
        throw error;
      }
      // PhonePe's fixtures put a failed refund's code on the attempt only.
      return phonePeRefund({
        ...status,
        errorCode: status.errorCode ?? latestPaymentAttempt(status)?.errorCode ?? null,
      });
    },
    async getMandate(mandate) {
      const status = await mandates.getStatus(mandate.merchantMandateId);
      const gatewayState = String(status.state).toUpperCase();
      return { gatewayState, phase: phonePeMandatePhase(gatewayState) };
    },
    cancelMandate: (mandate) => mandates.cancel(mandate.merchantMandateId),
    async notifyDebit(request) {
      return phonePeCreated(
        await mandates.notify({
          merchantOrderId: request.merchantOrderId,
          amount: request.amountPaise,
          paymentFlow: {
            merchantSubscriptionId: request.mandate.merchantMandateId,
            redemptionRetryStrategy: 'STANDARD',
            autoDebit: false,
          },
        }),
      );
    },
    async executeDebit(payment) {
      const response = await mandates.redeem(payment.merchantOrderId);
      return { transactionId: response.transactionId ?? null };
    },
  };
}

/**
 * A verified PhonePe webhook event (`verifyWebhook`) as a {@link GatewayEvent}: the dedupe key is
 * `event:subject:state` (plus the attempt's transaction ids for `pg.transaction.*`), an order payload becomes
 * the order it describes (PENDING when it reports no state), a refund payload the refund (none without a
 * state), a `subscription.*` event the mandate to read again (docs/phonepe-protocol.md#webhook-events).
 */
export function phonePeEvent(event: WebhookEvent): GatewayEvent {
  const base = {
    gateway: 'phonepe',
    event: event.event,
    dedupeKey: webhookDedupeKey(event),
    subjectId: webhookSubjectId(event),
    raw: event.payload,
  };
  switch (event.kind) {
    case 'order': {
      const payload = event.payload;
      return {
        ...base,
        kind: 'order',
        merchantOrderId: payload.merchantOrderId ?? null,
        order: phonePeOrder({ ...payload, state: payload.state ?? 'PENDING' } as OrderStatus),
        claimed: payload.state
          ? phonePeReportedState(payload.state, payload.errorCode ?? null, payload.detailedErrorCode ?? null)
          : null,
      };
    }
    case 'refund': {
      const payload = event.payload;
      return {
        ...base,
        kind: 'refund',
        merchantRefundId: payload.merchantRefundId ?? null,
        claim: payload.state
          ? phonePeRefund({ state: payload.state, refundId: payload.refundId, errorCode: payload.errorCode })
          : null,
      };
    }
    case 'subscription':
      return { ...base, kind: 'mandate', merchantMandateId: event.payload.merchantSubscriptionId ?? null };
    default:
      return { ...base, kind: 'unknown' };
  }
}
