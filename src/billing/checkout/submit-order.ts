import { isPhonePeConflictError } from '../../client/errors/phonepe-conflict-error.js';
import { isPhonePeError } from '../../client/errors/phonepe-error.js';
import { isPhonePeOutcomeUnknownError } from '../../client/errors/phonepe-outcome-unknown-error.js';
import type { StoreScope } from '../../storage/billing-store.js';
import type { PaymentRecord } from '../../storage/records/payment-record.js';
import type { PlanRecord } from '../../storage/records/plan-record.js';
import type { BillingContext } from '../billing-context.js';
import { BillingError } from '../errors/billing-error.js';
import { providerError } from '../errors/provider-error.js';
import { applyPaymentSignal } from '../settlement/apply-payment-signal.js';
import { callbackUrlFor, mandateMaxAmount } from './new-payment-record.js';

/**
 * Creates the PhonePe order for a `created` payment row — a one-time checkout, or a checkout that also
 * sets up a UPI autopay mandate (`SUBSCRIPTION_CHECKOUT_SETUP`, FIXED, the plan's frequency, maxAmount
 * = the amount) — and settles the answer: accepted → `pending` with the payment URL; refused for good →
 * `failed`. When PhonePe's answer is lost, the row stays as the client found it (the client already asked
 * PhonePe whether the order exists) and a `BillingError` says to try again.
 */
export async function submitOrder(ctx: BillingContext, scope: StoreScope, payment: PaymentRecord, plan: PlanRecord, actor: string, options: { expireAfterSeconds?: number } = {}): Promise<PaymentRecord> {
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
    const paymentUrl = 'redirectUrl' in response && typeof response.redirectUrl === 'string' ? response.redirectUrl : null;
    const settled = await applyPaymentSignal(ctx, scope, payment.merchantOrderId, { type: 'order_created', phonepeOrderId: response.orderId, state: response.state }, {
      source: 'create',
      actor,
      patch: { paymentUrl, expiresAt: response.expireAt ?? null },
    });
    return settled.payment ?? payment;
  } catch (error) {
    if (isPhonePeOutcomeUnknownError(error) && error.created === true && error.existing) {
      // PhonePe has the order but its payment URL was lost: record the order; the payer needs a new checkout.
      await applyPaymentSignal(ctx, scope, payment.merchantOrderId, { type: 'order_created', phonepeOrderId: error.existing.orderId, state: error.existing.state }, { source: 'create', actor, order: error.existing });
    } else if (isPhonePeConflictError(error)) {
      // PhonePe already has this merchantOrderId: another request submitted it. Leave the row to that request
      // (or to reconciliation) instead of failing a payment that may succeed.
      throw new BillingError('PAYMENT_OUTCOME_UNKNOWN', `Order ${payment.merchantOrderId} was already submitted to PhonePe by another request; fetch its status or try again shortly.`, { cause: error });
    } else if (isPhonePeError(error) && !error.retryable && !isPhonePeOutcomeUnknownError(error)) {
      await applyPaymentSignal(ctx, scope, payment.merchantOrderId, { type: 'order_rejected', errorCode: error.code }, { source: 'create', actor });
    }
    throw providerError(error, `creating the PhonePe order for ${payment.merchantOrderId}`);
  }
}
