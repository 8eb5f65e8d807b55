import { isPhonePeOutcomeUnknownError } from '../../client/errors.js';
import type { StoreScope } from '../../storage/billing-store.js';
import type { PaymentRecord, PlanRecord } from '../../storage/records.js';
import { inTransaction, type BillingContext } from '../billing-context.js';
import { BillingError } from '../errors/billing-error.js';
import { isExplicitRefusal, providerError } from '../errors/provider-error.js';
import { isTerminalPaymentState } from '../payment-state-machine.js';
import { applyPaymentSignal } from '../settlement/apply-payment-signal.js';
import { signalFromOrder } from '../settlement/order-facts.js';
import { callbackUrlFor, mandateMaxAmount } from './new-payment-record.js';

/**
 * Creates the PhonePe order for a `created` payment row — a one-time checkout, or a checkout that also
 * sets up a UPI autopay mandate (`SUBSCRIPTION_CHECKOUT_SETUP`, FIXED, the plan's frequency, maxAmount
 * = the amount) — and settles the answer: accepted → `pending` with the payment URL; PhonePe's explicit
 * refusal → `failed`. Any other failure means PhonePe may have acted (the client has already asked the
 * order status): an order PhonePe has is recorded `pending` — its payment link is gone, so
 * `PAYMENT_LINK_LOST` asks for a new checkout — and an order PhonePe may not have leaves the row
 * `created`, counted as tried, for a retry with the same idempotency key (which submits the same
 * merchantOrderId again: PhonePe never makes two orders of one id) or for reconciliation.
 */
export async function submitOrder(
  ctx: BillingContext,
  scope: StoreScope,
  payment: PaymentRecord,
  plan: PlanRecord,
  actor: string,
  options: { expireAfterSeconds?: number } = {},
): Promise<PaymentRecord> {
  const common = {
    merchantOrderId: payment.merchantOrderId,
    amount: payment.amountPaise,
    expireAfter: options.expireAfterSeconds ?? ctx.config.orderExpireAfterSeconds,
    metaInfo: { udf1: payment.id, udf2: payment.workspaceId.slice(0, 256), udf3: plan.id },
  };
  const redirectUrl = callbackUrlFor(ctx, payment.merchantOrderId);
  try {
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
                maxAmount: mandateMaxAmount(payment),
                frequency: plan.interval === 'year' ? 'YEARLY' : 'MONTHLY',
                productType: 'UPI_MANDATE',
              },
            },
          })
        : await ctx.client.pay({ ...common, paymentFlow: { type: 'PG_CHECKOUT', merchantUrls: { redirectUrl } } });
    const paymentUrl =
      'redirectUrl' in response && typeof response.redirectUrl === 'string' ? response.redirectUrl : null;
    const settled = await applyPaymentSignal(
      ctx,
      scope,
      payment.merchantOrderId,
      { type: 'order_created', phonepeOrderId: response.orderId, state: response.state },
      {
        source: 'create',
        actor,
        patch: { paymentUrl, expiresAt: response.expireAt ?? null },
      },
    );
    return settled.payment ?? payment;
  } catch (error) {
    if (isPhonePeOutcomeUnknownError(error) && error.created === true && error.existing) {
      // PhonePe has the order (this call's or an earlier one's), read from its order-status API.
      const settled = await applyPaymentSignal(
        ctx,
        scope,
        payment.merchantOrderId,
        signalFromOrder(error.existing, true),
        { source: 'create', actor, order: error.existing },
      );
      const current = settled.payment ?? payment;
      // An earlier request may have stored the link meanwhile, or the order may already be settled.
      if (current.paymentUrl !== null || isTerminalPaymentState(current.state)) return current;
      throw paymentLinkLost(current, error);
    }
    if (isExplicitRefusal(error)) {
      await applyPaymentSignal(
        ctx,
        scope,
        payment.merchantOrderId,
        { type: 'order_rejected', errorCode: error.code },
        { source: 'create', actor },
      );
    } else {
      await noteSubmitAttempt(ctx, scope, payment);
    }
    throw providerError(error, `creating the PhonePe order for ${payment.merchantOrderId}`);
  }
}

/** The error for an open order whose payment link never reached us (PhonePe cannot give it again). */
export function paymentLinkLost(payment: PaymentRecord, cause?: unknown): BillingError {
  return new BillingError(
    'PAYMENT_LINK_LOST',
    `PhonePe created order ${payment.merchantOrderId}, but its payment link was lost on the way back; start a new checkout (with a new idempotency key). The order without a link expires unpaid.`,
    { cause, details: { orderId: payment.merchantOrderId } },
  );
}

/** Whether the request that wrote a `created` row is done with PhonePe (answered, refused or given up). */
export function isSubmitFinished(payment: Pick<PaymentRecord, 'state' | 'attempts'>): boolean {
  return payment.state !== 'created' || payment.attempts > 0;
}

// Counts a submit that ended without knowing whether PhonePe has the order: a retry with the same
// idempotency key then resumes at once instead of waiting for a request that is no longer running.
async function noteSubmitAttempt(ctx: BillingContext, scope: StoreScope, payment: PaymentRecord): Promise<void> {
  await inTransaction(ctx, scope, async (tx) => {
    const current = await tx.payments.getById(payment.id);
    if (current?.state === 'created')
      await tx.payments.update(current.id, { attempts: current.attempts + 1 }, ctx.clock.now());
  }).catch((error: unknown) => {
    ctx.logger.warn(
      { merchantOrderId: payment.merchantOrderId, err: error instanceof Error ? error.message : String(error) },
      'could not record the submit attempt; a retry waits for it first',
    );
  });
}
