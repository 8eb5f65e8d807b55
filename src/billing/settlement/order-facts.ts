import { latestPaymentAttempt, type OrderStatus } from '../../client/responses.js';
import type { PaymentPatch } from '../../storage/billing-store.js';
import type { PaymentSignal } from '../payment-state-machine.js';

/**
 * The facts a PhonePe order status adds to a payment row: the latest attempt's transaction id and mode,
 * error codes, and — for redemption orders — when the pre-debit notice was confirmed and the window in
 * which the debit may be executed (docs/phonepe-protocol.md#notify: `validAfter` = notifiedAt + 24 h, `validUpto`).
 */
export function paymentPatchFromOrder(order: OrderStatus): PaymentPatch {
  const latest = latestPaymentAttempt(order);
  const flow = order.paymentFlow;
  const patch: PaymentPatch = {};
  if (latest?.transactionId) patch.phonepeTransactionId = latest.transactionId;
  if (latest?.paymentMode) patch.paymentMode = latest.paymentMode;
  if (order.errorCode ?? latest?.errorCode) patch.errorCode = (order.errorCode ?? latest?.errorCode) as string;
  if (order.detailedErrorCode ?? latest?.detailedErrorCode)
    patch.detailedErrorCode = (order.detailedErrorCode ?? latest?.detailedErrorCode) as string;
  if (typeof order.expireAt === 'number') patch.expiresAt = order.expireAt;
  if (typeof flow?.notifiedAt === 'number') patch.notifiedAt = flow.notifiedAt;
  if (typeof flow?.validAfter === 'number') patch.redeemAfter = flow.validAfter;
  if (typeof flow?.validUpto === 'number') patch.redeemBefore = flow.validUpto;
  return patch;
}

/** The PhonePe subscription (mandate) id a completed setup order carries, if any (docs/phonepe-protocol.md#autopay-api-setup, #webhook-events). */
export function mandateFromOrder(order: OrderStatus | undefined): {
  phonepeSubscriptionId: string | null;
  maxAmount: number | null;
} {
  const flow = order?.paymentFlow;
  const details = flow?.subscriptionDetails;
  return {
    phonepeSubscriptionId: flow?.subscriptionId ?? details?.subscriptionId ?? null,
    maxAmount: flow?.maxAmount ?? details?.maxAmount ?? null,
  };
}

/**
 * The state-machine signal an order status amounts to: `authoritative` when it was read from PhonePe's
 * order-status API, not when it is a webhook payload.
 */
export function signalFromOrder(order: OrderStatus, authoritative: boolean): PaymentSignal {
  return {
    type: 'order_status',
    authoritative,
    state: order.state,
    // A status without an amount or PhonePe order id (PhonePe's own SDK fixtures have such bodies) is
    // not compared on what it lacks.
    ...(typeof order.amount === 'number' ? { amount: order.amount } : {}),
    ...(order.merchantOrderId ? { merchantOrderId: order.merchantOrderId } : {}),
    ...(order.orderId ? { phonepeOrderId: order.orderId } : {}),
    errorCode: order.errorCode ?? null,
    detailedErrorCode: order.detailedErrorCode ?? null,
  };
}
