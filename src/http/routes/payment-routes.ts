import { BillingError, isBillingError } from '../../billing/errors/billing-error.js';
import type { BillingErrorCode } from '../../billing/errors/billing-error-codes.js';
import { formatPaise } from '../../billing/money/format-paise.js';
import { isTerminalPaymentState } from '../../billing/payment-state-machine.js';
import { isStoreConflictError } from '../../storage/errors.js';
import type { PaymentRecord } from '../../storage/records.js';
import { jsonResponse } from '../json-response.js';
import { readJsonObject } from '../read-body.js';
import { createPaymentBody, idempotencyKeyOf, paiseFrom, parseBody, refundBody } from '../request-schemas.js';
import { checkHandlerAllowlist } from '../return-url-check.js';
import type { MemberCall, RouteDefinition } from '../route-table.js';
import { isoTime, toPaymentView } from '../views/payment-view.js';
import { toRefundView } from '../views/refund-view.js';

/**
 * `POST /payments/create` → `{ status, payment_url, order_id, transaction_id, amount, amount_paise, currency,
 * plan_id, autopay, expires_at }`. With an `Idempotency-Key`, a repeat returns the same body (and
 * `Idempotent-Replayed: true`).
 */
async function createPayment({ request, deps, actor }: MemberCall): Promise<Response> {
  const body = parseBody(createPaymentBody, await readJsonObject(request, deps.maxBodyBytes));
  const idempotencyKey = idempotencyKeyOf(request);
  const amount = paiseFrom(body.amount);
  checkHandlerAllowlist(deps.extraAllowlist, body.return_url);
  const session = await deps.billing.createCheckout({
    workspaceId: actor.workspaceId,
    userId: actor.userId,
    planId: body.plan_id,
    amount,
    currency: body.currency ?? 'INR',
    returnUrl: body.return_url,
    autopay: body.autopay ?? false,
    ...(idempotencyKey ? { idempotencyKey } : {}),
  });
  return jsonResponse(
    200,
    {
      status: 'success',
      payment_url: session.paymentUrl,
      order_id: session.orderId,
      transaction_id: session.transactionId,
      amount: formatPaise(session.amount),
      amount_paise: session.amount,
      currency: session.currency,
      plan_id: session.planId,
      autopay: session.autopay,
      expires_at: isoTime(session.expiresAt),
    },
    session.replayed ? { 'idempotent-replayed': 'true' } : {},
  );
}

// PhonePe being down, slow or refusing is no reason to hide what we already know.
const PROVIDER_CODES: readonly BillingErrorCode[] = [
  'PAYMENT_PROVIDER_UNAVAILABLE',
  'PAYMENT_OUTCOME_UNKNOWN',
  'PAYMENT_PROVIDER_REJECTED',
];

/**
 * `GET /payments/status/{order_id}` → `{ status, payment, stale }`. A payment still open is first
 * brought up to date with PhonePe; when PhonePe cannot answer, the stored state is returned with
 * `stale: true` (200), so a polling page keeps working. Another workspace's order is 404.
 */
async function paymentStatus({ params, deps, actor }: MemberCall): Promise<Response> {
  const orderId = params.order_id as string;
  const stored = await deps.billing.getPayment(orderId, { workspaceId: actor.workspaceId });
  if (!stored)
    throw new BillingError(
      'PAYMENT_NOT_FOUND',
      `No payment with order id ${orderId} was found in workspace ${actor.workspaceId}.`,
      { details: { order_id: orderId } },
    );
  const respond = (payment: PaymentRecord, stale: boolean) =>
    jsonResponse(200, { status: 'success', payment: toPaymentView(payment), stale });
  if (isTerminalPaymentState(stored.state)) return respond(stored, false);
  try {
    const refreshed = await deps.billing.refreshPayment(orderId, {
      workspaceId: actor.workspaceId,
      userId: actor.userId,
    });
    return respond(refreshed.payment ?? stored, false);
  } catch (error) {
    // PhonePe unreachable, or a concurrent settlement of the same payment won a race: the stored state
    // is still a correct answer for a polling page, just possibly a moment old.
    const raced = isStoreConflictError(error);
    if (!raced && (!isBillingError(error) || !PROVIDER_CODES.includes(error.code))) throw error;
    deps.logger.warn(
      { orderId, code: raced ? 'STORE_CONFLICT' : (error as { code: string }).code },
      'payment status: could not refresh from PhonePe; answering the stored state as stale',
    );
    return respond(stored, true);
  }
}

/** `POST /payments/{order_id}/refund` `{ amount?, reason? }` → `{ status, refund }` (the rest when `amount` is left out). */
async function refundPayment({ request, params, deps, actor }: MemberCall): Promise<Response> {
  const body = parseBody(refundBody, await readJsonObject(request, deps.maxBodyBytes));
  const amount = body.amount === undefined ? undefined : paiseFrom(body.amount);
  if (amount !== undefined && amount < 100) {
    throw new BillingError('INVALID_AMOUNT', 'amount: a refund must be at least 1.00 rupee.', {
      details: { field: 'amount', problem: 'too_small' },
    });
  }
  const orderId = params.order_id as string;
  const refund = await deps.billing.refund(orderId, {
    amount,
    reason: body.reason ?? null,
    requestedBy: actor.userId,
    workspaceId: actor.workspaceId,
  });
  return jsonResponse(200, { status: 'success', refund: toRefundView(refund, orderId) });
}

export const paymentRoutes: RouteDefinition[] = [
  { method: 'POST', path: '/payments/create', access: 'manage', handle: createPayment },
  { method: 'GET', path: '/payments/status/:order_id', access: 'read', handle: paymentStatus },
  { method: 'POST', path: '/payments/:order_id/refund', access: 'refund', handle: refundPayment },
];
