import type { EmulatorCore } from './emulator-core.js';
import { paymentAttemptView } from './payment-attempt-view.js';
import type { OrderRecord, ResponseShape } from './records.js';
import { scopedKey } from './emulator-state.js';

export interface OrderViewOptions {
  /** All attempts instead of the latest only (docs/phonepe-protocol.md#order-status `details`). */
  details?: boolean;
  /** Add `errorContext` to a FAILED order (docs/phonepe-protocol.md#order-status `errorContext`). */
  errorContext?: boolean;
  /** Only this attempt (transaction status, docs/phonepe-protocol.md#transaction-status). */
  transactionId?: string;
  /** @default the emulator's `responseShape` */
  shape?: ResponseShape;
  /** A webhook payload: it names the merchant and the order, as PhonePe's webhook samples do. */
  webhook?: boolean;
}

/**
 * The order-status body (docs/phonepe-protocol.md#order-status); also the payload of order webhooks.
 * `minimal` leaves out what PhonePe's own status fixtures leave out — `merchantId`,
 * `merchantOrderId`, `currency`, `payableAmount`, `feeAmount` — and keeps `orderId`, `state`,
 * `amount` and `expireAt`, which its docs show; a webhook payload keeps `merchantId` and
 * `merchantOrderId` in both shapes (PhonePe's webhook samples carry them).
 */
export function orderView(
  core: EmulatorCore,
  order: OrderRecord,
  options: OrderViewOptions = {},
): Record<string, unknown> {
  const documented = (options.shape ?? core.config.responseShape) === 'documented';
  const view: Record<string, unknown> = {
    ...(documented || options.webhook ? { merchantId: order.merchantId, merchantOrderId: order.merchantOrderId } : {}),
    orderId: order.orderId,
    state: order.state,
    amount: order.amount,
    ...(documented ? { currency: 'INR', payableAmount: order.amount, feeAmount: 0 } : {}),
    expireAt: order.expireAt,
  };
  if (order.failure) {
    view.errorCode = order.failure.errorCode;
    view.detailedErrorCode = order.failure.detailedErrorCode;
    if (options.errorContext && order.state === 'FAILED') view.errorContext = { ...order.failure };
  }
  if (order.metaInfo) view.metaInfo = { ...order.metaInfo };
  const flow = paymentFlowView(core, order);
  if (flow) view.paymentFlow = flow;
  view.paymentDetails = selectAttempts(order, options).map((attempt) =>
    paymentAttemptView(attempt, documented ? 'documented' : 'minimal'),
  );
  return view;
}

function selectAttempts(order: OrderRecord, options: OrderViewOptions) {
  if (options.transactionId) return order.attempts.filter((a) => a.transactionId === options.transactionId);
  if (options.details) return order.attempts;
  return order.attempts.slice(-1);
}

/** `paymentFlow` echo: subscription orders only (docs/phonepe-protocol.md#order-status, #autopay-api-setup, #notify). */
function paymentFlowView(core: EmulatorCore, order: OrderRecord): Record<string, unknown> | undefined {
  if (order.kind === 'CHECKOUT' || !order.merchantSubscriptionId) return undefined;
  if (order.kind === 'REDEMPTION' && order.redemption) {
    const r = order.redemption;
    return {
      type: order.flowType,
      merchantSubscriptionId: order.merchantSubscriptionId,
      redemptionRetryStrategy: r.redemptionRetryStrategy,
      autoDebit: r.autoDebit,
      ...(r.notifiedAt !== undefined
        ? { validAfter: r.validAfter, validUpto: r.validUpto, notifiedAt: r.notifiedAt }
        : {}),
    };
  }
  const sub = core.state.subscriptions.get(scopedKey(order.merchantId, order.merchantSubscriptionId));
  if (!sub) return undefined;
  return {
    type: order.flowType,
    merchantSubscriptionId: sub.merchantSubscriptionId,
    subscriptionId: sub.subscriptionId,
    authWorkflowType: sub.authWorkflowType,
    amountType: sub.amountType,
    maxAmount: sub.maxAmount,
    frequency: sub.frequency,
    expireAt: sub.expireAt,
    ...(sub.productType ? { productType: sub.productType } : {}),
  };
}
