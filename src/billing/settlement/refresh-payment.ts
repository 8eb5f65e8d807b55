import type { OrderStatus } from '../../client/responses.js';
import type { StoreScope } from '../../storage/billing-store.js';
import type { PaymentRecord } from '../../storage/records.js';
import { isTerminalPaymentState } from '../payment-state-machine.js';
import { inTransaction, type BillingContext } from '../billing-context.js';
import { BillingError } from '../errors/billing-error.js';
import { providerError } from '../errors/provider-error.js';
import { applyPaymentSignal, type SettlementResult, type SignalDetails } from './apply-payment-signal.js';
import { fetchOrderStatus } from './fetch-order-status.js';
import { signalFromOrder } from './order-facts.js';

// A row still `created` (PhonePe never confirmed it) is given up only after PhonePe would have expired
// the order anyway: expireAfter plus a margin for clock skew and slow networks.
const ABANDON_MARGIN_MS = 5 * 60 * 1000;

/**
 * Brings a payment up to date with PhonePe: a terminal payment is returned as stored; otherwise the
 * order status is fetched and settled through the state machine. A row PhonePe has never heard of is
 * expired once its order could no longer be paid.
 */
export async function refreshPayment(
  ctx: BillingContext,
  scope: StoreScope,
  merchantOrderId: string,
  details: Omit<SignalDetails, 'order'>,
): Promise<SettlementResult> {
  const payment = await inTransaction(ctx, scope, (tx) => tx.payments.getByMerchantOrderId(merchantOrderId));
  if (!payment)
    throw new BillingError(
      'PAYMENT_NOT_FOUND',
      `No payment with order id ${merchantOrderId} was found in this workspace.`,
      { details: { orderId: merchantOrderId } },
    );
  return refreshLoadedPayment(ctx, scope, payment, details);
}

/**
 * {@link refreshPayment} for a row the caller has just read (the renewal worker loads them with its
 * claim): no second read. The row may be a moment old; the settlement locks and decides on the
 * current one. `details.within` runs only when something is settled.
 */
export async function refreshLoadedPayment(
  ctx: BillingContext,
  scope: StoreScope,
  payment: PaymentRecord,
  details: Omit<SignalDetails, 'order'>,
): Promise<SettlementResult> {
  const merchantOrderId = payment.merchantOrderId;
  if (isTerminalPaymentState(payment.state))
    return { outcome: 'unchanged', payment, subscription: null, reason: 'already_terminal' };
  let order: OrderStatus | null;
  try {
    order = await fetchOrderStatus(ctx, payment);
  } catch (error) {
    throw providerError(error, `checking payment ${merchantOrderId}`);
  }
  if (order)
    return applyPaymentSignal(ctx, scope, merchantOrderId, signalFromOrder(order, true), { ...details, order });
  const deadline = payment.createdAt + ctx.config.orderExpireAfterSeconds * 1000 + ABANDON_MARGIN_MS;
  if (payment.state === 'created' && ctx.clock.now() > deadline) {
    return applyPaymentSignal(ctx, scope, merchantOrderId, { type: 'abandoned' }, details);
  }
  return { outcome: 'unchanged', payment, subscription: null, reason: 'not_at_phonepe_yet' };
}
