import type { EmulatorCore } from './emulator-core.js';
import { paymentAttemptView } from './payment-attempt-view.js';
import type { OrderRecord } from './records.js';
import { scopedKey } from './emulator-state.js';

export interface OrderViewOptions {
  /** All attempts instead of the latest only (§2.3 `details`). */
  details?: boolean;
  /** Add `errorContext` to a FAILED order (§2.3 `errorContext`). */
  errorContext?: boolean;
  /** Only this attempt (transaction status, §2.4). */
  transactionId?: string;
}

/** The order-status body (§2.3); also the payload of order webhooks (§5.2). */
export function orderView(core: EmulatorCore, order: OrderRecord, options: OrderViewOptions = {}): Record<string, unknown> {
  const view: Record<string, unknown> = {
    merchantId: order.merchantId,
    merchantOrderId: order.merchantOrderId,
    orderId: order.orderId,
    state: order.state,
    amount: order.amount,
    currency: 'INR',
    payableAmount: order.amount,
    feeAmount: 0,
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
  view.paymentDetails = selectAttempts(order, options).map(paymentAttemptView);
  return view;
}

function selectAttempts(order: OrderRecord, options: OrderViewOptions) {
  if (options.transactionId) return order.attempts.filter((a) => a.transactionId === options.transactionId);
  if (options.details) return order.attempts;
  return order.attempts.slice(-1);
}

/** `paymentFlow` echo: subscription orders only (§2.3, §4.2, §4.4). */
function paymentFlowView(core: EmulatorCore, order: OrderRecord): Record<string, unknown> | undefined {
  if (order.kind === 'CHECKOUT' || !order.merchantSubscriptionId) return undefined;
  if (order.kind === 'REDEMPTION' && order.redemption) {
    const r = order.redemption;
    return {
      type: order.flowType,
      merchantSubscriptionId: order.merchantSubscriptionId,
      redemptionRetryStrategy: r.redemptionRetryStrategy,
      autoDebit: r.autoDebit,
      ...(r.notifiedAt !== undefined ? { validAfter: r.validAfter, validUpto: r.validUpto, notifiedAt: r.notifiedAt } : {}),
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
