import { BillingError, type BillingErrorCode, isBillingError } from '../billing/errors.js';
import { formatPaise } from '../billing/money.js';
import { isTerminalPaymentState } from '../billing/payment-state-machine.js';
import type { SubscriptionDetails } from '../billing/subscriptions.js';
import { isStoreConflictError } from '../storage/errors.js';
import type { PaymentRecord } from '../storage/records.js';
import type { ResolvedHandlerOptions } from './create-billing-handler.js';
import { jsonResponse } from './errors.js';
import {
  cancelBody,
  changePlanBody,
  checkHandlerAllowlist,
  createPaymentBody,
  idempotencyKeyOf,
  paiseFrom,
  parseBody,
  readJsonObject,
  refundBody,
  resumeBody,
} from './request.js';
import { parseReportQuery } from './report-query.js';
import type { MemberCall, RouteCall, RouteDefinition } from './route-table.js';
import { isoTime, subscriptionView, toPaymentView, toPlanView, toRefundView } from './views.js';

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
    ...(body.gateway ? { gateway: body.gateway } : {}),
    ...(body.customer ? { customer: body.customer } : {}),
    ...(idempotencyKey ? { idempotencyKey } : {}),
  });
  return jsonResponse(
    200,
    {
      status: 'success',
      payment_url: session.paymentUrl,
      gateway: session.gateway,
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

/** `GET /plans` → `{ status, plans }`. Public: no identity or workspace needed (a pricing page calls it). */
async function listPlans({ deps }: RouteCall): Promise<Response> {
  const plans = await deps.billing.listPlans();
  return jsonResponse(200, { status: 'success', plans: plans.map(toPlanView) });
}

export const planRoutes: RouteDefinition[] = [{ method: 'GET', path: '/plans', access: 'public', handle: listPlans }];

/** The workspace's subscription after a change (the change itself returns a bare record). */
async function current(deps: ResolvedHandlerOptions, workspaceId: string): Promise<SubscriptionDetails> {
  const details = await deps.billing.getSubscription(workspaceId);
  if (!details) throw new BillingError('SUBSCRIPTION_NOT_FOUND', `Workspace ${workspaceId} has no subscription.`);
  return details;
}

/**
 * `GET /subscriptions` → the seed's shape, `{ status, data: { subscription, usage } }`: the subscription
 * (null when the workspace never subscribed) and, beside it, usage per metric `{ current, limit, percentage }`.
 */
async function getSubscription({ deps, actor }: MemberCall): Promise<Response> {
  const details = await deps.billing.getSubscription(actor.workspaceId);
  if (!details) return jsonResponse(200, { status: 'success', data: { subscription: null, usage: {} } });
  const { usage, ...subscription } = subscriptionView(details);
  return jsonResponse(200, { status: 'success', data: { subscription, usage } });
}

/** `PUT /subscriptions/cancel` `{ cancellation_reason?, at_period_end? = true }` → `{ status, subscription }`. */
async function cancel({ request, deps, actor }: MemberCall): Promise<Response> {
  const body = parseBody(cancelBody, await readJsonObject(request, deps.maxBodyBytes));
  await deps.billing.cancel(actor.workspaceId, {
    reason: body.cancellation_reason ?? null,
    atPeriodEnd: body.at_period_end ?? true,
    userId: actor.userId,
  });
  return jsonResponse(200, {
    status: 'success',
    subscription: subscriptionView(await current(deps, actor.workspaceId)),
  });
}

/** `POST /subscriptions/resume` (no body) → `{ status, subscription }`. */
async function resume({ request, deps, actor }: MemberCall): Promise<Response> {
  parseBody(resumeBody, await readJsonObject(request, deps.maxBodyBytes));
  await deps.billing.resume(actor.workspaceId, { userId: actor.userId });
  return jsonResponse(200, {
    status: 'success',
    subscription: subscriptionView(await current(deps, actor.workspaceId)),
  });
}

/**
 * `POST /subscriptions/change-plan` `{ plan_id, return_url?, force? }` → `{ status, result, subscription }`,
 * plus `payment_url`, `order_id`, `amount`, `amount_paise` when the upgrade must be paid
 * (`result: 'payment_required'`; `payment_url` is null when an autopay debit pays it).
 */
async function changePlan({ request, deps, actor }: MemberCall): Promise<Response> {
  const body = parseBody(changePlanBody, await readJsonObject(request, deps.maxBodyBytes));
  checkHandlerAllowlist(deps.extraAllowlist, body.return_url);
  const result = await deps.billing.changePlan(actor.workspaceId, {
    planId: body.plan_id,
    userId: actor.userId,
    force: body.force ?? false,
    ...(body.return_url === undefined ? {} : { returnUrl: body.return_url }),
  });
  const payment = result.payment
    ? {
        payment_url: result.payment.paymentUrl,
        order_id: result.payment.merchantOrderId,
        amount: formatPaise(result.amountPaise),
        amount_paise: result.amountPaise,
      }
    : {};
  return jsonResponse(200, {
    status: 'success',
    result: result.kind,
    subscription: subscriptionView(await current(deps, actor.workspaceId)),
    ...payment,
  });
}

/** `GET /subscriptions/usage` → `{ status, plan_id, usage: { metric: { current, limit, percentage } }, period_start, period_end }`. */
async function usage({ deps, actor }: MemberCall): Promise<Response> {
  const details = await deps.billing.getSubscription(actor.workspaceId);
  if (!details)
    throw new BillingError(
      'SUBSCRIPTION_NOT_FOUND',
      `Workspace ${actor.workspaceId} has no subscription, so it has no usage to show; subscribe to a plan first.`,
    );
  return jsonResponse(200, {
    status: 'success',
    plan_id: details.planId,
    usage: details.usage,
    period_start: new Date(details.currentPeriodStart).toISOString(),
    period_end: new Date(details.currentPeriodEnd).toISOString(),
  });
}

/**
 * `GET /subscriptions/usage/history?from=2026-11-01&to=2026-11-30&granularity=day|period` → the workspace's
 * usage per UTC day (zero-filled; `unattributed` is usage recorded without a key, which has no day) or per
 * billing period. Dates are UTC and both are included; 30 days up to today without them.
 */
async function usageHistory({ url, deps, actor }: MemberCall): Promise<Response> {
  const query = parseReportQuery(url, ['day', 'period'], deps.billing.now());
  const report = await deps.billing.usageReport(actor.workspaceId, query);
  const range = { from: isoDay(report.from), to: isoDay(report.to - 86_400_000) };
  const base = {
    status: 'success',
    workspace_id: report.workspaceId,
    granularity: report.granularity,
    time_zone: 'UTC',
  };
  if (report.granularity === 'period') {
    return jsonResponse(200, {
      ...base,
      ...range,
      metrics: report.metrics,
      periods: report.periods.map((p) => ({ start: isoTime(p.start), usage: p.usage, keyed: p.keyed })),
      totals: report.totals,
    });
  }
  return jsonResponse(200, {
    ...base,
    ...range,
    metrics: report.metrics,
    days: report.days.map((d) => ({ date: d.date, usage: d.usage })),
    totals: report.totals,
    unattributed: report.unattributed,
  });
}

const isoDay = (epochMs: number) => new Date(epochMs).toISOString().slice(0, 10);

/** The `/subscriptions` routes (docs/http-api.md): read the subscription and its usage, cancel, resume, change plan. */
export const subscriptionRoutes: RouteDefinition[] = [
  { method: 'GET', path: '/subscriptions', access: 'read', handle: getSubscription },
  { method: 'PUT', path: '/subscriptions/cancel', access: 'manage', handle: cancel },
  { method: 'POST', path: '/subscriptions/resume', access: 'manage', handle: resume },
  { method: 'POST', path: '/subscriptions/change-plan', access: 'manage', handle: changePlan },
  { method: 'GET', path: '/subscriptions/usage', access: 'read', handle: usage },
  { method: 'GET', path: '/subscriptions/usage/history', access: 'read', handle: usageHistory },
];
