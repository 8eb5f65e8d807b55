import type { PaymentRecord } from '../../storage/records.js';
import { inTransaction, SYSTEM_SCOPE, type BillingContext } from '../billing-context.js';
import { refreshPayment } from './refresh-payment.js';

/** Where to send the payer's browser after PhonePe's redirect, and what we know by then. */
export interface RedirectOutcome {
  /** The stored, allowlisted return URL with `payment_status` and `order_id` appended; `null` if unknown. */
  redirectUrl: string | null;
  status: 'completed' | 'failed' | 'expired' | 'pending' | 'unknown';
  payment: PaymentRecord | null;
}

const ORDER_ID = /^[A-Za-z0-9_-]{1,63}$/;

/**
 * Handles the payer's return from PhonePe. The query is never trusted: the order status is asked from
 * PhonePe and settled through the state machine, then the browser goes to the return URL stored (and
 * allowlist-checked) when the checkout was created — never to a URL taken from the request. If PhonePe
 * cannot be reached the payer is still sent back, with `payment_status=pending`.
 */
export async function handleRedirect(ctx: BillingContext, merchantOrderId: string): Promise<RedirectOutcome> {
  if (typeof merchantOrderId !== 'string' || !ORDER_ID.test(merchantOrderId))
    return { redirectUrl: null, status: 'unknown', payment: null };
  let payment = await inTransaction(ctx, SYSTEM_SCOPE, (tx) => tx.payments.getByMerchantOrderId(merchantOrderId));
  if (!payment) return { redirectUrl: null, status: 'unknown', payment: null };
  try {
    payment =
      (await refreshPayment(ctx, SYSTEM_SCOPE, merchantOrderId, { source: 'redirect', actor: 'phonepe:redirect' }))
        .payment ?? payment;
  } catch (error) {
    ctx.logger.warn(
      { merchantOrderId, err: error instanceof Error ? error.message : String(error) },
      'could not confirm the payment on redirect; sending the payer back as pending',
    );
  }
  const status = payment.state === 'created' ? 'pending' : payment.state;
  const allowed = payment.returnUrl ? ctx.allowlist.check(payment.returnUrl) : null;
  if (!allowed?.ok) return { redirectUrl: null, status, payment };
  const url = new URL(allowed.url);
  url.searchParams.set('payment_status', status);
  url.searchParams.set('order_id', merchantOrderId);
  return { redirectUrl: url.href, status, payment };
}
