import { BillingError } from '../../billing/errors.js';
import { formatPaise } from '../../billing/money.js';
import type { SubscriptionDetails } from '../../billing/subscriptions.js';
import type { ResolvedHandlerOptions } from '../billing-handler-options.js';
import { jsonResponse } from '../json-response.js';
import { readJsonObject } from '../read-body.js';
import { cancelBody, changePlanBody, parseBody, resumeBody } from '../request-schemas.js';
import { checkHandlerAllowlist } from '../return-url-check.js';
import type { MemberCall, RouteDefinition } from '../route-table.js';
import { subscriptionView } from '../views/subscription-view.js';

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

/** The `/subscriptions` routes (docs/http-api.md): read the subscription and its usage, cancel, resume, change plan. */
export const subscriptionRoutes: RouteDefinition[] = [
  { method: 'GET', path: '/subscriptions', access: 'read', handle: getSubscription },
  { method: 'PUT', path: '/subscriptions/cancel', access: 'manage', handle: cancel },
  { method: 'POST', path: '/subscriptions/resume', access: 'manage', handle: resume },
  { method: 'POST', path: '/subscriptions/change-plan', access: 'manage', handle: changePlan },
  { method: 'GET', path: '/subscriptions/usage', access: 'read', handle: usage },
];
