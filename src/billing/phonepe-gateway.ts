import { isPhonePeError, isPhonePeNotFoundError, isPhonePeOutcomeUnknownError } from '../client/errors.js';
import { classifyCreatingFailure } from '../client/outcome.js';
import { latestPaymentAttempt, type OrderStatus, type RefundStatus } from '../client/responses.js';
import type { PaymentRecord, PlanRecord, RefundRecordState, SubscriptionRecord } from '../storage/records.js';
import type { BillingContext } from './billing-context.js';
import { mandateCalls } from './mandate-calls.js';
import {
  type GatewayCheckout,
  type GatewayFailure,
  type GatewayMandate,
  type GatewayOrder,
  type GatewayRefund,
  type MandatePhase,
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

/**
 * Creates the PhonePe order for a payment row: a one-time checkout (`PG_CHECKOUT`), or a checkout that also
 * sets up a UPI autopay mandate (`SUBSCRIPTION_CHECKOUT_SETUP`: FIXED, RECURRING, the plan's frequency,
 * maxAmount = `mandateMaxAmountPaise`; docs/phonepe-protocol.md#checkout-pay, #autopay-checkout-setup). Our
 * ids ride along in `metaInfo` (udf1 payment id, udf2 workspace, udf3 plan). Failures are thrown as PhonePe
 * errors (a lost answer already looked up by the client).
 */
export async function createPhonePeCheckout(
  ctx: BillingContext,
  request: {
    payment: PaymentRecord;
    plan: PlanRecord;
    redirectUrl: string;
    expireAfterSeconds: number;
    mandateMaxAmountPaise: number;
  },
): Promise<GatewayCheckout> {
  const { payment, plan, redirectUrl } = request;
  const common = {
    merchantOrderId: payment.merchantOrderId,
    amount: payment.amountPaise,
    expireAfter: request.expireAfterSeconds,
    metaInfo: { udf1: payment.id, udf2: payment.workspaceId.slice(0, 256), udf3: plan.id },
  };
  const response =
    payment.method === 'autopay_setup'
      ? await ctx.client.subscriptions.setup({
          ...common,
          paymentFlow: {
            type: 'SUBSCRIPTION_CHECKOUT_SETUP',
            merchantUrls: { redirectUrl },
            subscriptionDetails: {
              subscriptionType: 'RECURRING',
              merchantSubscriptionId: payment.merchantSubscriptionId as string,
              authWorkflowType: 'TRANSACTION',
              amountType: 'FIXED',
              maxAmount: request.mandateMaxAmountPaise,
              frequency: plan.interval === 'year' ? 'YEARLY' : 'MONTHLY',
              productType: 'UPI_MANDATE',
            },
          },
        })
      : await ctx.client.pay({ ...common, paymentFlow: { type: 'PG_CHECKOUT', merchantUrls: { redirectUrl } } });
  return phonePeCreated(response);
}

/**
 * Asks PhonePe for a payment's order on the right endpoint: the checkout order status for checkouts and
 * mandate set-ups, the redemption status for autopay debits (docs/phonepe-protocol.md#order-status, #autopay).
 * Returns `null` when PhonePe has no such order. Other failures are thrown (PhonePe errors).
 */
export async function fetchPhonePeOrder(
  ctx: BillingContext,
  payment: Pick<PaymentRecord, 'merchantOrderId' | 'method'>,
): Promise<GatewayOrder | null> {
  try {
    const order =
      payment.method === 'autopay_redemption'
        ? await mandateCalls(ctx).getRedemptionStatus(payment.merchantOrderId)
        : await ctx.client.getOrderStatus(payment.merchantOrderId, { details: false, errorContext: true });
    return phonePeOrder(order);
  } catch (error) {
    if (isPhonePeNotFoundError(error)) return null;
    throw error;
  }
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

/** Asks PhonePe for a refund's status; `null` when PhonePe has no such refund. Other failures are thrown. */
export async function fetchPhonePeRefund(ctx: BillingContext, merchantRefundId: string): Promise<GatewayRefund | null> {
  let status: RefundStatus;
  try {
    status = await ctx.client.getRefundStatus(merchantRefundId);
  } catch (error) {
    if (isPhonePeNotFoundError(error)) return null;
    throw error;
  }
  // PhonePe's fixtures put a failed refund's code on the attempt only.
  return phonePeRefund({ ...status, errorCode: status.errorCode ?? latestPaymentAttempt(status)?.errorCode ?? null });
}

/**
 * Sends a refund to PhonePe under its own merchantRefundId (docs/phonepe-protocol.md#refund). A lost or
 * unreadable answer is looked up by the client; failures are thrown as PhonePe errors.
 */
export async function createPhonePeRefund(
  ctx: BillingContext,
  request: { merchantRefundId: string; merchantOrderId: string; amountPaise: number },
): Promise<GatewayRefund> {
  return phonePeRefund(
    await ctx.client.refund({
      merchantRefundId: request.merchantRefundId,
      originalMerchantOrderId: request.merchantOrderId,
      amount: request.amountPaise,
    }),
  );
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

/** PhonePe's word for the mandate a completed set-up order put in force. */
export const PHONEPE_MANDATE_ACTIVE = 'ACTIVE';

/**
 * The phase of a subscription's stored mandate state (`null` without one). Every mandate is PhonePe's today;
 * a row's `mandateGateway` will pick the gateway's mapping.
 */
export function mandatePhaseOf(sub: Pick<SubscriptionRecord, 'mandateState'>): MandatePhase | null {
  return sub.mandateState === null ? null : phonePeMandatePhase(String(sub.mandateState));
}

/** Reads a mandate's state from PhonePe's subscription-status API (on the configured path family). */
export async function fetchPhonePeMandate(
  ctx: BillingContext,
  merchantSubscriptionId: string,
): Promise<GatewayMandate> {
  const status = await mandateCalls(ctx).getStatus(merchantSubscriptionId);
  const gatewayState = String(status.state).toUpperCase();
  return { gatewayState, phase: phonePeMandatePhase(gatewayState) };
}

/** Cancels a mandate at PhonePe (docs/phonepe-protocol.md#cancel-pause-revoke). */
export function cancelPhonePeMandate(ctx: BillingContext, merchantSubscriptionId: string): Promise<void> {
  return mandateCalls(ctx).cancel(merchantSubscriptionId);
}

/**
 * Sends PhonePe's pre-debit notice for a mandate debit (the merchant notifies on PhonePe, at least 24 h
 * before the debit; docs/phonepe-protocol.md#notify). Failures are thrown as PhonePe errors.
 */
export async function notifyPhonePeDebit(ctx: BillingContext, payment: PaymentRecord): Promise<GatewayCheckout> {
  return phonePeCreated(
    await mandateCalls(ctx).notify({
      merchantOrderId: payment.merchantOrderId,
      amount: payment.amountPaise,
      paymentFlow: {
        merchantSubscriptionId: payment.merchantSubscriptionId as string,
        redemptionRetryStrategy: 'STANDARD',
        autoDebit: false,
      },
    }),
  );
}

/** Executes a notified debit (PhonePe's redeem); answers the attempt's transaction id when PhonePe gives it. */
export async function executePhonePeDebit(
  ctx: BillingContext,
  merchantOrderId: string,
): Promise<{ transactionId: string | null }> {
  const response = await mandateCalls(ctx).redeem(merchantOrderId);
  return { transactionId: response.transactionId ?? null };
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
