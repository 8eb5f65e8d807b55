import { isPhonePeNotFoundError } from '../../client/errors.js';
import type { OrderStatus } from '../../client/responses.js';
import type { PaymentRecord } from '../../storage/records.js';
import { mandateCalls } from '../autopay/mandate-calls.js';
import type { BillingContext } from '../billing-context.js';

/**
 * Asks PhonePe for a payment's order status on the right endpoint: the checkout order status for
 * checkouts and mandate setups, the redemption status for autopay debits (docs/phonepe-protocol.md#order-status, #autopay).
 * Returns `null` when PhonePe has no such order. Other failures are thrown (PhonePe errors).
 */
export async function fetchOrderStatus(
  ctx: BillingContext,
  payment: Pick<PaymentRecord, 'merchantOrderId' | 'method'>,
): Promise<OrderStatus | null> {
  try {
    if (payment.method === 'autopay_redemption')
      return await mandateCalls(ctx).getRedemptionStatus(payment.merchantOrderId);
    return await ctx.client.getOrderStatus(payment.merchantOrderId, { details: false, errorContext: true });
  } catch (error) {
    if (isPhonePeNotFoundError(error)) return null;
    throw error;
  }
}
