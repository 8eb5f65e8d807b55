import type { PaymentRecord } from '../storage/records.js';
import { type BillingContext, gatewayFor, inTransaction, paymentRef, SYSTEM_SCOPE } from './billing-context.js';
import { callbackUrlFor, storedClientState, storedCustomer } from './checkout.js';
import { BillingError } from './errors.js';
import type { ClientCheckout } from './payment-gateway.js';
import { handleRedirect, ORDER_ID, type RedirectOutcome } from './settlement.js';

// Checkout through a gateway's own script on a page of ours (Razorpay's Standard Checkout): the gateway has no
// hosted payment page, so `paymentUrl` is our checkout page, which opens the script for the order; the script
// posts the payer's result back to the callback route, where it is checked before the payment is read again.

/** What our checkout page shows for a payment: the gateway's script to open, or — when it is no longer open — nothing. */
export interface CheckoutPage {
  payment: PaymentRecord;
  /** `null` when the payment is no longer payable (settled, expired): the page sends the payer on instead. */
  checkout: ClientCheckout | null;
}

async function findPayment(ctx: BillingContext, merchantOrderId: string): Promise<PaymentRecord> {
  const payment = ORDER_ID.test(merchantOrderId)
    ? await inTransaction(ctx, SYSTEM_SCOPE, (tx) => tx.payments.getByMerchantOrderId(merchantOrderId))
    : null;
  if (!payment)
    throw new BillingError('PAYMENT_NOT_FOUND', `No payment with order id ${merchantOrderId} was found.`, {
      details: { order_id: merchantOrderId },
    });
  return payment;
}

/**
 * The checkout page's content for an order: its gateway's client-side checkout for a payment still open at
 * the gateway, or `checkout: null` for one that is settled or past its expiry. A payment whose gateway has a
 * hosted page of its own (PhonePe) is `PAYMENT_NOT_FOUND` here: it is never sent to this page.
 */
export async function checkoutPage(ctx: BillingContext, merchantOrderId: string): Promise<CheckoutPage> {
  const payment = await findPayment(ctx, merchantOrderId);
  const gateway = gatewayFor(ctx, payment.gateway);
  if (!gateway.clientCheckout)
    throw new BillingError(
      'PAYMENT_NOT_FOUND',
      `Order ${merchantOrderId} is paid on ${gateway.displayName}'s own page; there is no checkout page for it here.`,
      { details: { order_id: merchantOrderId } },
    );
  const expired = payment.expiresAt !== null && ctx.clock.now() >= payment.expiresAt;
  if (payment.state !== 'pending' || payment.phonepeOrderId === null || expired) return { payment, checkout: null };
  const checkout = await gateway.clientCheckout(
    {
      ...paymentRef(payment),
      amountPaise: payment.amountPaise,
      customer: storedCustomer(payment),
      clientState: storedClientState(payment),
    },
    callbackUrlFor(ctx, merchantOrderId),
  );
  return { payment, checkout };
}

/**
 * The payer's browser came back from a gateway's script with its result (Razorpay posts
 * `razorpay_payment_id`, `razorpay_order_id`, `razorpay_signature`). A result that carries a signature must be
 * the gateway's own for this very order (`CHECKOUT_RETURN_INVALID` otherwise, nothing changes); either way
 * the payment is then read from the gateway's API — never taken from the post — and settled like a redirect.
 */
export async function handleCheckoutReturn(
  ctx: BillingContext,
  merchantOrderId: string,
  fields: Readonly<Record<string, string>>,
): Promise<RedirectOutcome> {
  const payment = await findPayment(ctx, merchantOrderId);
  const gateway = gatewayFor(ctx, payment.gateway);
  const signed = Object.keys(fields).some((name) => name.endsWith('_signature'));
  if (signed && !(await gateway.verifyCheckoutReturn?.(fields, paymentRef(payment)))) {
    ctx.logger.warn(
      { merchantOrderId, gateway: gateway.name },
      'a checkout result with a signature that does not verify',
    );
    throw new BillingError(
      'CHECKOUT_RETURN_INVALID',
      `The payment result posted for order ${merchantOrderId} is not ${gateway.displayName}'s own; nothing was changed.`,
      { details: { order_id: merchantOrderId } },
    );
  }
  return handleRedirect(ctx, merchantOrderId);
}
